/**
 * How a stored message is shown to a receiver: its receipt handle, the system attributes it
 * asked for (AttributeNames / MessageSystemAttributeNames) and the message attributes it asked
 * for (MessageAttributeNames: names, `All`, `*`, `.*`, or `prefix.*`).
 */
import type { ReceivedMessage } from './actions.js';
import { formatSequenceNumber } from './deduplication.js';
import { md5OfAttributes } from './md5.js';
import { encodeReceiptHandle } from './receipt-handle.js';
import type { AttributeMap, StoredMessage } from './stored-message.js';

export interface AttributeSelection {
  readonly systemNames: readonly string[];
  readonly messageAttributeNames: readonly string[];
}

export function renderReceived(message: StoredMessage, fifo: boolean, selection: AttributeSelection): ReceivedMessage {
  // The id is unpacked from its compact form on each read: once per message here.
  const id = message.id;
  const received: ReceivedMessage = {
    MessageId: id,
    ReceiptHandle: encodeReceiptHandle(id, message.receiptNonce),
    MD5OfBody: message.md5OfBody,
    Body: message.body,
  };
  const system = systemAttributes(message, fifo, selection.systemNames);
  if (system !== undefined) received.Attributes = system;
  const attributes = selectMessageAttributes(message.attributes, selection.messageAttributeNames);
  if (attributes !== undefined) {
    received.MessageAttributes = attributes;
    received.MD5OfMessageAttributes = attributes === message.attributes
      ? (message.md5OfAttributes as string)
      : (md5OfAttributes(attributes) as string);
  }
  return received;
}

function systemAttributes(message: StoredMessage, fifo: boolean, names: readonly string[]): Record<string, string> | undefined {
  if (names.length === 0) return undefined;
  const all = names.includes('All');
  const wanted = (name: string): boolean => all || names.includes(name);
  const values: Record<string, string> = {};
  const set = (name: string, value: string | undefined): void => {
    if (value !== undefined && wanted(name)) values[name] = value;
  };
  set('SenderId', message.senderId);
  set('SentTimestamp', String(message.sentAt));
  set('ApproximateReceiveCount', String(message.receiveCount));
  set('ApproximateFirstReceiveTimestamp', String(message.firstReceivedAt));
  set('AWSTraceHeader', message.systemAttributes?.AWSTraceHeader?.StringValue);
  set('MessageGroupId', message.groupId);
  if (fifo) {
    set('MessageDeduplicationId', message.deduplicationId);
    set('SequenceNumber', formatSequenceNumber(message.seq));
  }
  set('DeadLetterQueueSourceArn', message.deadLetterSourceArn);
  return Object.keys(values).length > 0 ? values : undefined;
}

/** The attributes to return; the stored map itself when all of them are asked for. */
function selectMessageAttributes(attributes: AttributeMap | undefined, names: readonly string[]): AttributeMap | undefined {
  if (attributes === undefined || names.length === 0) return undefined;
  // `All`, `.*` and `*` all mean every attribute (recorded SQS answers each with all of them).
  if (names.includes('All') || names.includes('.*') || names.includes('*')) return attributes;
  // `prefix.*` selects every name starting with `prefix` (SQS matches `Hel.*` to Hello and Help.Me).
  const prefixes = names.filter((name) => name.endsWith('.*')).map((name) => name.slice(0, -2));
  // fromEntries defines own keys, so an attribute named `__proto__` stays an attribute.
  const selected: AttributeMap = Object.fromEntries(
    Object.entries(attributes).filter(([name]) => names.includes(name) || prefixes.some((prefix) => name.startsWith(prefix))),
  );
  if (Object.keys(selected).length === Object.keys(attributes).length) return attributes;
  return Object.keys(selected).length > 0 ? selected : undefined;
}
