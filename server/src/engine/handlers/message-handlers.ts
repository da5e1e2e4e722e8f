/**
 * DeleteMessage, ChangeMessageVisibility and their batches: everything addressed by a receipt
 * handle. Stale handles behave as SQS does: on a standard queue any handle the message was given
 * deletes it, even while a newer receive holds it (the DeleteMessage reference: "Even if the
 * message is locked by another reader due to the visibility timeout setting, it is still deleted
 * from the queue"); a FIFO queue refuses a handle that is not the latest or whose visibility
 * timeout has ended. Changing visibility works alike on a standard queue: any handle the message
 * was given changes its current visibility (recorded SQS: receive with VisibilityTimeout 0 → r1,
 * receive again → r2, ChangeMessageVisibility(r1, 0) succeeds and the message is receivable at
 * once); a FIFO queue needs the latest handle. With a handle whose timeout already ended it
 * succeeds without hiding the message again (recorded SQS; the reference's MessageNotInflight is
 * not what it answers). Only a message that is gone, or never received from this queue, is
 * "not available for visibility timeout change".
 */
import type { ActionInput, ActionOutput } from '../actions.js';
import { runBatch, validateBatchEntries } from '../batch.js';
import type { CommandContext, EngineState } from '../engine-state.js';
import { SqsError } from '../errors.js';
import type { Queue } from '../queue.js';
import { decodeReceiptHandle, type ReceiptHandle } from '../receipt-handle.js';

const MAX_VISIBILITY_TIMEOUT = 43200;
const MAX_VISIBILITY_TIMEOUT_MS = MAX_VISIBILITY_TIMEOUT * 1000;

export function deleteMessage(state: EngineState, input: ActionInput<'DeleteMessage'>, context: CommandContext): ActionOutput<'DeleteMessage'> {
  const queue = state.queueByUrl(input.QueueUrl);
  deleteByHandle(state, queue, input.ReceiptHandle, context.now);
  return {};
}

export function deleteMessageBatch(state: EngineState, input: ActionInput<'DeleteMessageBatch'>, context: CommandContext): ActionOutput<'DeleteMessageBatch'> {
  const queue = state.queueByUrl(input.QueueUrl);
  validateBatchEntries(input.Entries, 'DeleteMessageBatchRequestEntry');
  return runBatch(input.Entries, (entry) => deleteByHandle(state, queue, entry.ReceiptHandle, context.now));
}

export function changeMessageVisibility(state: EngineState, input: ActionInput<'ChangeMessageVisibility'>, context: CommandContext): ActionOutput<'ChangeMessageVisibility'> {
  const queue = state.queueByUrl(input.QueueUrl);
  changeByHandle(state, queue, input.ReceiptHandle, input.VisibilityTimeout, context.now);
  return {};
}

export function changeMessageVisibilityBatch(
  state: EngineState,
  input: ActionInput<'ChangeMessageVisibilityBatch'>,
  context: CommandContext,
): ActionOutput<'ChangeMessageVisibilityBatch'> {
  const queue = state.queueByUrl(input.QueueUrl);
  validateBatchEntries(input.Entries, 'ChangeMessageVisibilityBatchRequestEntry');
  return runBatch(input.Entries, (entry) => changeByHandle(state, queue, entry.ReceiptHandle, entry.VisibilityTimeout ?? 0, context.now));
}

function deleteByHandle(state: EngineState, queue: Queue, receiptHandle: string, now: number): void {
  const handle = parseHandle(receiptHandle);
  const message = queue.store.findReceived(handle.messageId);
  if (message === undefined) return; // already gone: deleting is idempotent
  const current = message.receiptNonce === handle.nonce;
  if (queue.fifo && !(current && message.isInFlightAt(now))) {
    throw new SqsError('InvalidParameterValue', `Value ${receiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`);
  }
  // A dead letter not yet received here only has handles from its source queue: not this queue's.
  if (message.receiptNonce === '') return;
  queue.store.remove(message);
  state.changes.message(queue.name, message);
  state.changes.queue(queue.name);
}

function changeByHandle(state: EngineState, queue: Queue, receiptHandle: string, timeoutSeconds: number, now: number): void {
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 0 || timeoutSeconds > MAX_VISIBILITY_TIMEOUT) {
    throw new SqsError('InvalidParameterValue', `Value ${timeoutSeconds} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and ${MAX_VISIBILITY_TIMEOUT}.`);
  }
  const handle = parseHandle(receiptHandle);
  const message = queue.store.findReceived(handle.messageId);
  // A dead letter not yet received here has only its source queue's handles (empty nonce).
  const usable = message !== undefined && message.receiptNonce !== ''
    && (!queue.fifo || message.receiptNonce === handle.nonce);
  if (!usable) {
    throw new SqsError(
      'InvalidParameterValue',
      `Value ${receiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
    );
  }
  const visibleAt = now + timeoutSeconds * 1000;
  if (visibleAt - message.receivedAt > MAX_VISIBILITY_TIMEOUT_MS) {
    throw new SqsError(
      'InvalidParameterValue',
      `Value ${timeoutSeconds} for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [${MAX_VISIBILITY_TIMEOUT} seconds].`,
    );
  }
  if (!message.isInFlightAt(now)) return;
  queue.store.promoteDue(now);
  queue.store.changeVisibility(message, visibleAt, now);
  state.changes.message(queue.name, message);
}

function parseHandle(receiptHandle: string): ReceiptHandle {
  const handle = decodeReceiptHandle(receiptHandle);
  if (handle === undefined) {
    throw new SqsError('ReceiptHandleIsInvalid', `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`);
  }
  return handle;
}
