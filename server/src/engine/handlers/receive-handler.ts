/**
 * ReceiveMessage: validates the request, replays a FIFO receive-request attempt within its
 * window, otherwise takes messages (dropping expired ones and dead-lettering exhausted ones on
 * the way), puts them in flight with fresh receipt handles, and renders them.
 */
import type { ActionInput, ActionOutput, ReceivedMessage } from '../actions.js';
import type { CommandContext, EngineState } from '../engine-state.js';
import type { Account } from '../queue-address.js';
import { SqsError } from '../errors.js';
import { validateGroupOrDeduplicationId } from '../message-validation.js';
import { DEDUPLICATION_WINDOW_MS, type Queue } from '../queue.js';
import { nonceFrom } from '../receipt-handle.js';
import { renderReceived, type AttributeSelection } from '../received-message.js';
import { deadLetterIfExhausted } from '../redrive.js';
import { MessageState, type StoredMessage } from '../stored-message.js';

const MAX_MESSAGES = 10;
const MAX_VISIBILITY_TIMEOUT = 43200;
const MAX_WAIT_SECONDS = 20;
const MAX_IN_FLIGHT_STANDARD = 120_000;
const MAX_IN_FLIGHT_FIFO = 20_000;

/**
 * Random values a receive consumes: one receipt nonce, shared by the messages it returns. A
 * handle carries its message's id, so the messages of one receive need no nonces of their own;
 * the nonce only has to tell this receive of a message from its earlier ones. (One per message
 * was ten random UUIDs drawn and carried in the log for every ReceiveMessage of 10.)
 */
export function receiveIdsNeeded(_input: ActionInput<'ReceiveMessage'>): number {
  return 1;
}

export function receiveMessage(state: EngineState, input: ActionInput<'ReceiveMessage'>, context: CommandContext): ActionOutput<'ReceiveMessage'> {
  const queue = state.queueByUrl(input.QueueUrl);
  const max = input.MaxNumberOfMessages ?? 1;
  checkRange('MaxNumberOfMessages', max, 1, MAX_MESSAGES, 'between');
  if (input.VisibilityTimeout !== undefined) checkRange('VisibilityTimeout', input.VisibilityTimeout, 0, MAX_VISIBILITY_TIMEOUT, 'bounds');
  if (input.WaitTimeSeconds !== undefined) checkRange('WaitTimeSeconds', input.WaitTimeSeconds, 0, MAX_WAIT_SECONDS, 'bounds');
  const attemptId = queue.fifo ? input.ReceiveRequestAttemptId : undefined;
  if (attemptId !== undefined) validateAttemptId(attemptId);

  const { now } = context;
  const room = inFlightRoom(queue, now);
  const visibleAt = now + (input.VisibilityTimeout === undefined ? queue.visibilityTimeoutMs : input.VisibilityTimeout * 1000);
  queue.store.promoteDue(now);
  const replayed = attemptId === undefined ? undefined : replayAttempt(state, queue, attemptId, visibleAt, now);
  const messages = replayed ?? (room > 0 ? takeMessages(state, queue, Math.min(max, room), visibleAt, context) : []);
  if (attemptId !== undefined && replayed === undefined && messages.length > 0) {
    const expiresAt = now + DEDUPLICATION_WINDOW_MS;
    queue.receiveAttempts.set(attemptId, { expiresAt, messages: messages.map((message) => [message.id, message.receiptNonce] as const) });
    state.changes.receiveAttempt(queue.id, attemptId);
    state.housekeepingNeededAt(expiresAt);
  }
  if (messages.length === 0) return {};
  const selection = attributeSelection(input);
  return { Messages: messages.map((message): ReceivedMessage => renderReceived(message, queue.fifo, selection)) };
}

/**
 * True when this ReceiveMessage, applied at `now`, would answer no messages and change nothing:
 * the caller's queue exists and may be received from, every parameter is within SQS's ranges,
 * no receive-request attempt id is given (a FIFO retry may replay), the standard queue is not
 * near the 120,000 in-flight limit (where the receive answers OverLimit even with nothing
 * visible) and nothing is receivable (`promoteDue` would promote nothing, no expired or
 * exhausted message would be met on the way). Such a receive needs no log entry: the node
 * answers it empty at once. False whenever in doubt; the command then decides.
 */
export function receiveChangesNothing(state: EngineState, input: ActionInput<'ReceiveMessage'>, account: Account, now: number): boolean {
  if (input.ReceiveRequestAttemptId !== undefined) return false;
  if (!within(input.MaxNumberOfMessages, 1, MAX_MESSAGES)) return false;
  if (!within(input.VisibilityTimeout, 0, MAX_VISIBILITY_TIMEOUT) || !within(input.WaitTimeSeconds, 0, MAX_WAIT_SECONDS)) return false;
  let queue: Queue | undefined;
  try {
    queue = state.findQueueByUrl(input.QueueUrl, account, 'ReceiveMessage');
  } catch {
    return false; // AccessDenied: the command reports it
  }
  if (queue === undefined) return false;
  if (!queue.fifo && queue.store.inFlightCount + MAX_MESSAGES >= MAX_IN_FLIGHT_STANDARD) return false;
  return !queue.store.hasReceivable(now);
}

function within(value: number | undefined, min: number, max: number): boolean {
  return value === undefined || (Number.isInteger(value) && value >= min && value <= max);
}

/**
 * How many more messages may go in flight: SQS allows 120,000 per standard queue and answers
 * OverLimit beyond, and 20,000 per FIFO queue, where it answers no messages instead of an error
 * (ReceiveMessage and ChangeMessageVisibility references). Checked before anything changes.
 */
function inFlightRoom(queue: Queue, now: number): number {
  // The counter is exact but for timeouts that ended and were not yet promoted: only near the
  // limit is it worth counting those (a walk over the due entries).
  const limit = queue.fifo ? MAX_IN_FLIGHT_FIFO : MAX_IN_FLIGHT_STANDARD;
  if (queue.store.inFlightCount + MAX_MESSAGES < limit) return limit - queue.store.inFlightCount;
  const inFlight = queue.store.countsAt(now).inFlight;
  if (queue.fifo) return MAX_IN_FLIGHT_FIFO - inFlight;
  if (inFlight >= MAX_IN_FLIGHT_STANDARD) {
    throw new SqsError('OverLimit', `The maximum number of in flight messages (${MAX_IN_FLIGHT_STANDARD}) for this queue has been reached.`);
  }
  return MAX_IN_FLIGHT_STANDARD - inFlight;
}

function takeMessages(state: EngineState, queue: Queue, max: number, visibleAt: number, context: CommandContext): StoredMessage[] {
  const { now } = context;
  const admit = (message: StoredMessage): boolean => {
    if (message.retainedFrom + queue.retentionMs <= now) {
      queue.store.remove(message);
      state.changes.message(queue.id, message);
      return false;
    }
    return !deadLetterIfExhausted(state, queue, message, now);
  };
  const taken = queue.store.receive(now, max, visibleAt, admit);
  // Taken only when something is received: commands from before one nonce per receive carry one
  // value per message, and the first of them serves.
  const nonce = taken.length > 0 ? nonceFrom(context.takeId()) : '';
  for (const message of taken) {
    message.recordReceive(now, nonce);
    state.changes.message(queue.id, message);
  }
  return taken;
}

const NOTHING: readonly string[] = [];

/** What the receiver asked to see; built only for a receive that returns messages, and without
 *  copying lists when only one of the two system-attribute parameters is given (the usual case). */
function attributeSelection(input: ActionInput<'ReceiveMessage'>): AttributeSelection {
  const { AttributeNames: legacy, MessageSystemAttributeNames: current } = input;
  const systemNames = legacy === undefined || legacy.length === 0 ? current ?? NOTHING : current === undefined ? legacy : [...legacy, ...current];
  return { systemNames, messageAttributeNames: input.MessageAttributeNames ?? NOTHING };
}

/** The same messages and handles again, if the attempt is recent and none of its messages was
 *  deleted, made visible or received by someone else since. */
function replayAttempt(state: EngineState, queue: Queue, attemptId: string, visibleAt: number, now: number): StoredMessage[] | undefined {
  const attempt = queue.receiveAttempts.get(attemptId, now);
  if (attempt === undefined) return undefined;
  const messages: StoredMessage[] = [];
  for (const [id, nonce] of attempt.messages) {
    const message = queue.store.findReceived(id);
    if (message === undefined || message.state !== MessageState.InFlight || message.receiptNonce !== nonce) return undefined;
    messages.push(message);
  }
  for (const message of messages) {
    queue.store.changeVisibility(message, visibleAt, now);
    state.changes.message(queue.id, message);
  }
  return messages;
}

/** SQS words the range of MaxNumberOfMessages "between 1 and 10", the others ">= 0 and <= N". */
function checkRange(parameter: string, value: number, min: number, max: number, wording: 'between' | 'bounds'): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = wording === 'between' ? `between ${min} and ${max}` : `>= ${min} and <= ${max}`;
    throw new SqsError('InvalidParameterValue', `Value ${value} for parameter ${parameter} is invalid. Reason: Must be ${range}, if provided.`);
  }
}

function validateAttemptId(attemptId: string): void {
  try {
    validateGroupOrDeduplicationId('MessageDeduplicationId', attemptId);
  } catch {
    throw new SqsError(
      'InvalidParameterValue',
      `Value ${attemptId} for parameter ReceiveRequestAttemptId is invalid. Reason: ReceiveRequestAttemptId can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
    );
  }
}
