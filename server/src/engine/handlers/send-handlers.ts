/**
 * SendMessage and SendMessageBatch. Each entry is fully checked (`prepareSend`) before anything
 * is stored (`commitSend`), so a rejected send changes nothing and a batch's failures are
 * exactly its rejected entries.
 */
import type { ActionInput, ActionOutput, SendMessageBatchRequestEntry, SendMessageBatchResultEntry } from '../actions.js';
import { validateBatchEntries, batchFailure } from '../batch.js';
import type { CommandContext, EngineState } from '../engine-state.js';
import { SqsError, isSqsError } from '../errors.js';
import { DEDUPLICATION_WINDOW_MS, type Queue } from '../queue.js';
import { deduplicationKey, formatSequenceNumber } from '../deduplication.js';
import { md5OfAttributes, md5OfBody } from '../md5.js';
import {
  validateBody, validateDelaySeconds, validateGroupOrDeduplicationId, validateMessageAttributes,
  validateMessageSize, validateSystemAttributes,
} from '../message-validation.js';
import { StoredMessage, type AttributeMap, type MessageExtras } from '../stored-message.js';

/** Total payload of one SendMessageBatch request (raised with the message size in 2025). */
const MAX_BATCH_PAYLOAD_BYTES = 1048576;

type SendEntry = Omit<SendMessageBatchRequestEntry, 'Id'>;
type SendResult = ActionOutput<'SendMessage'>;

interface PreparedSend {
  readonly entry: SendEntry;
  readonly payloadBytes: number;
  readonly delayMs: number;
  readonly deduplication: { key: string; id: string } | undefined;
}

export function sendMessage(state: EngineState, input: ActionInput<'SendMessage'>, context: CommandContext): ActionOutput<'SendMessage'> {
  const queue = state.queueByUrl(input.QueueUrl);
  const prepared = prepareSend(queue, input);
  return commitSend(state, queue, prepared, context);
}

export function sendMessageBatch(state: EngineState, input: ActionInput<'SendMessageBatch'>, context: CommandContext): ActionOutput<'SendMessageBatch'> {
  const queue = state.queueByUrl(input.QueueUrl);
  validateBatchEntries(input.Entries);
  if (queue.fifo) requireFifoIdentifiers(queue, input.Entries);
  const outcomes = input.Entries.map((entry) => {
    try {
      return prepareSend(queue, entry, true);
    } catch (error) {
      if (isSqsError(error)) return error;
      throw error;
    }
  });
  const totalBytes = outcomes.reduce((sum, outcome) => sum + (isSqsError(outcome) ? 0 : outcome.payloadBytes), 0);
  if (totalBytes > MAX_BATCH_PAYLOAD_BYTES) {
    throw new SqsError('BatchRequestTooLong', `Batch requests cannot be longer than ${MAX_BATCH_PAYLOAD_BYTES} bytes. You have sent ${totalBytes} bytes.`);
  }
  const output: ActionOutput<'SendMessageBatch'> = { Successful: [], Failed: [] };
  input.Entries.forEach((entry, index) => {
    const outcome = outcomes[index] as PreparedSend | SqsError;
    if (isSqsError(outcome)) {
      output.Failed.push(batchFailure(entry.Id, outcome));
      return;
    }
    output.Successful.push(commitSend(state, queue, outcome, context, entry.Id) as SendMessageBatchResultEntry);
  });
  return output;
}

/** Every check a send must pass; nothing is changed. */
function prepareSend(queue: Queue, entry: SendEntry, inBatch = false): PreparedSend {
  validateBody(entry.MessageBody);
  const attributeBytes = validateMessageAttributes(entry.MessageAttributes);
  // System attributes (AWSTraceHeader) do not count towards the message size, per AWS.
  validateSystemAttributes(entry.MessageSystemAttributes);
  const payloadBytes = Buffer.byteLength(entry.MessageBody, 'utf8') + attributeBytes;
  validateMessageSize(payloadBytes, 0, queue.maximumMessageSize, inBatch);
  if (entry.DelaySeconds !== undefined) validateDelaySeconds(entry.DelaySeconds);
  if (entry.MessageGroupId !== undefined) validateGroupOrDeduplicationId('MessageGroupId', entry.MessageGroupId);
  if (entry.MessageDeduplicationId !== undefined) validateGroupOrDeduplicationId('MessageDeduplicationId', entry.MessageDeduplicationId);
  if (!queue.fifo) {
    if (entry.MessageDeduplicationId !== undefined) throw notForThisQueueType('MessageDeduplicationId', entry.MessageDeduplicationId);
    const delaySeconds = entry.DelaySeconds;
    return { entry, payloadBytes, delayMs: delaySeconds === undefined ? queue.delayMs : delaySeconds * 1000, deduplication: undefined };
  }
  // FIFO queues only have a queue-wide delay.
  if (entry.DelaySeconds !== undefined && entry.DelaySeconds !== 0) throw notForThisQueueType('DelaySeconds', String(entry.DelaySeconds));
  if (entry.MessageGroupId === undefined) {
    throw new SqsError('MissingParameter', 'The request must contain the parameter MessageGroupId.');
  }
  const deduplication = deduplicationKey(queue, entry.MessageBody, entry.MessageGroupId, entry.MessageDeduplicationId);
  return { entry, payloadBytes, delayMs: queue.delayMs, deduplication };
}

/** Stores the message; answers SendMessage's result, or with `entryId` a batch's result entry
 *  (the entry's Id first, as SQS lists it: made in place rather than spread from a copy). */
function commitSend(state: EngineState, queue: Queue, prepared: PreparedSend, context: CommandContext, entryId?: string): SendResult {
  const { entry, deduplication } = prepared;
  const messageId = context.takeId();
  const md5Body = md5OfBody(entry.MessageBody);
  const attributes = nonEmpty(entry.MessageAttributes);
  const systemAttributes = nonEmpty(entry.MessageSystemAttributes);
  const md5Attributes = md5OfAttributes(attributes);
  const md5System = md5OfAttributes(systemAttributes);
  const result: SendResult = entryId === undefined
    ? { MessageId: messageId, MD5OfMessageBody: md5Body }
    : batchResultEntry(entryId, messageId, md5Body);
  if (md5Attributes !== undefined) result.MD5OfMessageAttributes = md5Attributes;
  if (md5System !== undefined) result.MD5OfMessageSystemAttributes = md5System;

  if (deduplication !== undefined) {
    const earlier = queue.deduplication.get(deduplication.key, context.now);
    if (earlier !== undefined) {
      // A duplicate within the window is acknowledged as the original and not enqueued.
      result.MessageId = earlier.messageId;
      if (earlier.sequenceNumber !== undefined) result.SequenceNumber = earlier.sequenceNumber;
      return result;
    }
  }
  const message = new StoredMessage({
    id: messageId,
    body: entry.MessageBody,
    md5OfBody: md5Body,
    senderId: context.senderId,
    sentAt: context.now,
    // A plain standard message (the usual case) has no extras: no candidates object to walk.
    extras: attributes === undefined && systemAttributes === undefined && entry.MessageGroupId === undefined && deduplication === undefined
      ? undefined
      : extrasOf({
        attributes,
        md5OfAttributes: md5Attributes,
        systemAttributes,
        md5OfSystemAttributes: md5System,
        groupId: entry.MessageGroupId,
        deduplicationId: deduplication?.id,
      }),
  });
  queue.store.add(message, context.now + prepared.delayMs, context.now);
  state.changes.message(queue.id, message);
  state.changes.queue(queue.id);
  state.housekeepingNeededAt(message.retainedFrom + queue.retentionMs);
  if (deduplication !== undefined) {
    const sequenceNumber = formatSequenceNumber(message.seq);
    result.SequenceNumber = sequenceNumber;
    const expiresAt = context.now + DEDUPLICATION_WINDOW_MS;
    queue.deduplication.set(deduplication.key, { messageId, sequenceNumber, expiresAt });
    state.changes.deduplication(queue.id, deduplication.key);
    state.housekeepingNeededAt(expiresAt);
  }
  return result;
}

function batchResultEntry(id: string, messageId: string, md5Body: string): SendMessageBatchResultEntry {
  return { Id: id, MessageId: messageId, MD5OfMessageBody: md5Body };
}

/** SQS rejects a whole FIFO batch, not just the entry, when an entry lacks a group id or a
 *  way to deduplicate. */
function requireFifoIdentifiers(queue: Queue, entries: readonly SendMessageBatchRequestEntry[]): void {
  for (const entry of entries) {
    if (entry.MessageGroupId === undefined) {
      throw new SqsError('InvalidParameterValue', 'The request must contain the parameter MessageGroupId.');
    }
    if (entry.MessageDeduplicationId === undefined && !queue.contentBasedDeduplication) {
      deduplicationKey(queue, entry.MessageBody, entry.MessageGroupId, undefined); // throws the SQS error
    }
  }
}

function notForThisQueueType(parameter: string, value: string): SqsError {
  return new SqsError(
    'InvalidParameterValue',
    `Value ${value} for parameter ${parameter} is invalid. Reason: The request include parameter that is not valid for this queue type.`,
  );
}

/** Only the optional fields that are set, or nothing at all for a plain message. */
function extrasOf(candidates: MessageExtras): MessageExtras | undefined {
  let extras: MessageExtras | undefined;
  for (const key in candidates) {
    const name = key as keyof MessageExtras;
    if (candidates[name] === undefined) continue;
    extras ??= {};
    (extras as Record<string, unknown>)[name] = candidates[name];
  }
  return extras;
}

function nonEmpty(map: AttributeMap | undefined): AttributeMap | undefined {
  return map !== undefined && Object.keys(map).length > 0 ? map : undefined;
}
