/**
 * The experiment's SQS calls, each recorded as one operation of the history: sends (single and
 * batch), receives, and deletes of what a receive returned. Every call is made once (the SDK's
 * retries are off: a retry would hide an `unknown` outcome) and abandoned after the timeout.
 */
import {
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { commitFromHeaders } from '../commit-log.js';
import type { DeletedEntry, Delivery, OperationRecord, Outcome, SentEntry } from './history.js';
import { messageBody, readMessageBody } from './message-body.js';
import { batchEntryOutcome, classifyError } from './outcome.js';
import type { PlannedMessage } from './plan.js';
import type { HistoryRecorder } from './recorder.js';

export interface QueueTarget {
  key: string;
  url: string;
  fifo: boolean;
}

export interface OperationContext {
  recorder: HistoryRecorder;
  /** One client per node, `clients[0]` for node 1; made with `answerHeaderClient()`. */
  clients: readonly SQSClient[];
  runId: string;
  messageBytes: number;
  timeoutMs: number;
  /** Operations of the heal-and-drain phase. */
  drain?: boolean;
}

/** A received message the consumer still has to delete. */
export interface HeldMessage {
  delivery: string;
  receiptHandle: string;
  id?: string;
  messageId: string;
}

const answers = new WeakMap<object, Record<string, string>>();

/** A client (SDK retries off) whose answers keep their HTTP headers for `x-replimq-log-index`. */
export function answerHeaderClient(client: SQSClient): SQSClient {
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const headers = (result.response as { headers?: Record<string, string> }).headers;
      if (headers && typeof result.output === 'object' && result.output !== null) answers.set(result.output, headers);
      return result;
    },
    { step: 'deserialize', name: 'replimqExperimentHeaders', priority: 'high' },
  );
  return client;
}

export async function sendMessages(
  context: OperationContext,
  worker: string,
  queue: QueueTarget,
  node: number,
  messages: readonly PlannedMessage[],
  batch: boolean,
): Promise<OperationRecord> {
  const client = clientOf(context, node);
  const entry = (message: PlannedMessage) => ({
    MessageBody: messageBody(context.runId, message.id, context.messageBytes),
    ...(message.group !== undefined ? { MessageGroupId: message.group } : {}),
    ...(message.dedupId !== undefined ? { MessageDeduplicationId: message.dedupId } : {}),
  });
  const planned = (message: PlannedMessage, outcome: Outcome, extra: Partial<SentEntry> = {}): SentEntry => ({ ...message, outcome, ...extra });
  const draft = { worker, kind: batch ? ('send-batch' as const) : ('send' as const), queue: queue.key, node, ...drainFlag(context) };
  return context.recorder.record(draft, async () => {
    try {
      if (!batch) {
        const [message] = messages as [PlannedMessage];
        const output = await client.send(new SendMessageCommand({ QueueUrl: queue.url, ...entry(message) }), signal(context));
        return {
          outcome: 'ok',
          ...commitOf(output),
          sent: [planned(message, 'ok', { ...optional('messageId', output.MessageId), ...optional('sequenceNumber', output.SequenceNumber) })],
        };
      }
      const output = await client.send(
        new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: messages.map((message, index) => ({ Id: `e${index}`, ...entry(message) })) }),
        signal(context),
      );
      const sent = messages.map((message, index) => {
        const success = output.Successful?.find((result) => result.Id === `e${index}`);
        if (success) return planned(message, 'ok', { ...optional('messageId', success.MessageId), ...optional('sequenceNumber', success.SequenceNumber) });
        const failure = output.Failed?.find((result) => result.Id === `e${index}`);
        // An entry the answer does not mention at all: nothing says what became of it.
        const { outcome, error } = failure ? batchEntryOutcome(failure) : { outcome: 'unknown' as const, error: 'missing from the answer' };
        return planned(message, outcome, { error });
      });
      return { outcome: sent.every((result) => result.outcome === 'ok') ? 'ok' : worst(sent), ...commitOf(output), sent };
    } catch (error) {
      const { outcome, error: reason } = classifyError(error);
      return { outcome, error: reason, sent: messages.map((message) => planned(message, outcome)) };
    }
  });
}

export async function receiveMessages(
  context: OperationContext,
  worker: string,
  queue: QueueTarget,
  node: number,
  maxMessages: number,
  waitSeconds: number,
): Promise<{ record: OperationRecord; held: HeldMessage[] }> {
  const held: HeldMessage[] = [];
  const record = await context.recorder.record({ worker, kind: 'receive', queue: queue.key, node, ...drainFlag(context) }, async () => {
    try {
      const output = await clientOf(context, node).send(
        new ReceiveMessageCommand({
          QueueUrl: queue.url,
          MaxNumberOfMessages: maxMessages,
          WaitTimeSeconds: waitSeconds,
          MessageSystemAttributeNames: ['All'],
        }),
        signal(context, waitSeconds),
      );
      const received: Delivery[] = (output.Messages ?? []).map((message) => {
        const { id, intact } = readMessageBody(context.runId, message.Body ?? '', context.messageBytes);
        const attributes = message.Attributes ?? {};
        return {
          ...optional('id', id),
          messageId: message.MessageId ?? '',
          intact,
          ...optional('group', attributes.MessageGroupId),
          ...optional('sequenceNumber', attributes.SequenceNumber),
          ...(attributes.ApproximateReceiveCount ? { receiveCount: Number(attributes.ApproximateReceiveCount) } : {}),
        };
      });
      (output.Messages ?? []).forEach((message, position) => {
        if (message.ReceiptHandle) held.push({ delivery: `${position}`, receiptHandle: message.ReceiptHandle, messageId: message.MessageId ?? '', ...optional('id', received[position]!.id) });
      });
      return { outcome: 'ok', received };
    } catch (error) {
      return classifyError(error);
    }
  });
  // The delivery key names the receive operation, known only once it was recorded.
  for (const message of held) message.delivery = `${record.id}:${message.delivery}`;
  return { record, held };
}

export async function deleteMessages(
  context: OperationContext,
  worker: string,
  queue: QueueTarget,
  node: number,
  held: readonly HeldMessage[],
): Promise<OperationRecord> {
  const client = clientOf(context, node);
  const target = (message: HeldMessage, outcome: Outcome, error?: string): DeletedEntry => ({
    ...optional('id', message.id),
    messageId: message.messageId,
    delivery: message.delivery,
    outcome,
    ...optional('error', error),
  });
  const batch = held.length > 1;
  const draft = { worker, kind: batch ? ('delete-batch' as const) : ('delete' as const), queue: queue.key, node, ...drainFlag(context) };
  return context.recorder.record(draft, async () => {
    try {
      if (!batch) {
        const output = await client.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: held[0]!.receiptHandle }), signal(context));
        return { outcome: 'ok', ...commitOf(output), deleted: [target(held[0]!, 'ok')] };
      }
      const output = await client.send(
        new DeleteMessageBatchCommand({ QueueUrl: queue.url, Entries: held.map((message, index) => ({ Id: `e${index}`, ReceiptHandle: message.receiptHandle })) }),
        signal(context),
      );
      const deleted = held.map((message, index) => {
        if (output.Successful?.some((result) => result.Id === `e${index}`)) return target(message, 'ok');
        const failure = output.Failed?.find((result) => result.Id === `e${index}`);
        const { outcome, error } = failure ? batchEntryOutcome(failure) : { outcome: 'unknown' as const, error: 'missing from the answer' };
        return target(message, outcome, error);
      });
      return { outcome: deleted.every((entry) => entry.outcome === 'ok') ? 'ok' : worst(deleted), ...commitOf(output), deleted };
    } catch (error) {
      const { outcome, error: reason } = classifyError(error);
      return { outcome, error: reason, deleted: held.map((message) => target(message, outcome)) };
    }
  });
}

function clientOf(context: OperationContext, node: number): SQSClient {
  const client = context.clients[node - 1];
  if (!client) throw new RangeError(`no client for node ${node}`);
  return client;
}

/** A long poll may take its wait on top of the timeout. */
function signal(context: OperationContext, waitSeconds = 0): { abortSignal: AbortSignal } {
  return { abortSignal: AbortSignal.timeout(context.timeoutMs + waitSeconds * 1000) };
}

function commitOf(output: object): Partial<Pick<OperationRecord, 'logIndex' | 'replicas'>> {
  const headers = answers.get(output);
  const commit = headers ? commitFromHeaders(headers) : undefined;
  return commit ? { logIndex: commit.logIndex, replicas: commit.replicas } : {};
}

/** A batch's outcome when some entry was not `ok`: `unknown` if any is, else `fail`. */
function worst(entries: readonly { outcome: Outcome }[]): Outcome {
  return entries.some((entry) => entry.outcome === 'unknown') ? 'unknown' : 'fail';
}

function drainFlag(context: OperationContext): { drain?: true } {
  return context.drain ? { drain: true } : {};
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
