/**
 * replimq's own message actions, for people looking at a queue rather than consuming it:
 *
 * - PeekMessages (a read): every message as a receive would show it — all system attributes,
 *   all message attributes — without touching visibility, receive counts or anything else.
 *   It follows LocalStack's developer endpoint (`/_aws/sqs/messages`): visible messages always,
 *   in-flight ones with `ShowInvisible` (each then says `IsVisible`), delayed ones with
 *   `ShowDelayed` (each then says `IsDelayed`), and a placeholder receipt handle, since a peek
 *   hands out no right to delete or hide a message.
 * - DeleteMessageById (a command): deletes one message whatever its state. A message never
 *   received has no receipt handle, so the admin page could not otherwise delete it.
 */
import type { ActionInput, ActionOutput, ReceivedMessage } from '../actions.js';
import type { CommandContext, EngineState } from '../engine-state.js';
import { SqsError } from '../errors.js';
import type { Queue } from '../queue.js';
import { renderReceived, type AttributeSelection } from '../received-message.js';
import { MessageState, type StoredMessage } from '../stored-message.js';

/** What LocalStack puts where a receipt handle would be: visibly not one. */
export const PEEK_RECEIPT_HANDLE = 'SQS/BACKDOOR/ACCESS';

const EVERYTHING: AttributeSelection = { systemNames: ['All'], messageAttributeNames: ['All'] };

export function peekMessages(state: EngineState, input: ActionInput<'PeekMessages'>, now: number): ActionOutput<'PeekMessages'> {
  const queue = state.queueByUrl(input.QueueUrl);
  const max = input.MaxNumberOfMessages;
  if (max !== undefined && !(Number.isInteger(max) && max >= 1)) {
    throw new SqsError('InvalidParameterValue', `Value ${max} for parameter MaxNumberOfMessages is invalid. Reason: Must be a positive integer, if provided.`);
  }
  const showInvisible = input.ShowInvisible === true;
  const showDelayed = input.ShowDelayed === true;
  const shown: StoredMessage[] = [];
  queue.store.forEachMessage((message) => {
    if (isExpired(queue, message, now)) return;
    const delayed = isDelayedAt(message, now);
    const inFlight = message.isInFlightAt(now);
    if ((delayed && !showDelayed) || (inFlight && !showInvisible)) return;
    shown.push(message);
  });
  // In the order they were sent (the retention order is oldest-first only loosely).
  shown.sort((a, b) => a.seq - b.seq);
  if (shown.length === 0) return {};
  const messages = (max === undefined ? shown : shown.slice(0, max)).map((message): ReceivedMessage => {
    const rendered = renderReceived(message, queue.fifo, EVERYTHING);
    rendered.ReceiptHandle = PEEK_RECEIPT_HANDLE;
    const attributes = rendered.Attributes ?? {};
    if (showInvisible) attributes.IsVisible = String(!message.isInFlightAt(now) && !isDelayedAt(message, now));
    if (showDelayed) attributes.IsDelayed = String(isDelayedAt(message, now));
    if (Object.keys(attributes).length > 0) rendered.Attributes = attributes;
    return rendered;
  });
  return { Messages: messages };
}

export function deleteMessageById(
  state: EngineState,
  input: ActionInput<'DeleteMessageById'>,
  context: CommandContext,
): ActionOutput<'DeleteMessageById'> {
  const queue = state.queueByUrl(input.QueueUrl);
  // Received messages are indexed by id; the others are found by one walk over the queue (an
  // operator's click, not a hot path).
  const message = queue.store.find(input.MessageId);
  // Already gone (deleted, expired, moved): deleting is idempotent, as DeleteMessage is.
  if (message === undefined || isExpired(queue, message, context.now)) return {};
  queue.store.remove(message);
  state.changes.message(queue.id, message);
  return {};
}

function isDelayedAt(message: StoredMessage, now: number): boolean {
  return message.state === MessageState.Delayed && (message.visibleAt ?? 0) > now;
}

/** Past its retention period but not yet dropped by Housekeeping: already gone for a receiver. */
function isExpired(queue: Queue, message: StoredMessage, now: number): boolean {
  return message.retainedFrom + queue.retentionMs <= now;
}
