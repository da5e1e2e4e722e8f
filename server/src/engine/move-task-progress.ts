/**
 * Advancing running message move tasks, one Housekeeping command at a time: each task may move
 * as many messages as its rate allows for the time since it last moved, oldest first, each to
 * the task's destination or back to the queue it was dead-lettered from.
 */
import type { EngineState } from './engine-state.js';
import type { MoveTask } from './move-task.js';
import { derivedMessageId } from './message-id.js';
import { moveMessage } from './redrive.js';
import type { StoredMessage } from './stored-message.js';

/** Pace of tasks started without MaxNumberOfMessagesPerSecond ("system optimised"). */
const DEFAULT_RATE = 500;
/** Upper bound per task per Housekeeping, so one command stays small. */
const MAX_MOVES_PER_STEP = 1000;

/** Moves what is due; returns how many messages moved. */
export function advanceMoveTasks(state: EngineState, now: number): number {
  let moved = 0;
  for (const task of state.moveTasks.values()) {
    if (task.status === 'RUNNING') moved += advance(state, task, now);
  }
  return moved;
}

/** When the earliest running task may next move a message, if any task runs. */
export function nextMoveTaskStepAt(state: EngineState): number | undefined {
  let next: number | undefined;
  for (const task of state.moveTasks.values()) {
    if (task.status !== 'RUNNING') continue;
    const at = task.progressedAt + 1000 / rateOf(task);
    if (next === undefined || at < next) next = at;
  }
  return next;
}

function advance(state: EngineState, task: MoveTask, now: number): number {
  const source = state.queueByArn(task.sourceArn);
  if (source === undefined) return fail(state, task, 'AWS.SimpleQueueService.NonExistentQueue');
  const rate = rateOf(task);
  const allowance = Math.min(Math.floor(((now - task.progressedAt) * rate) / 1000), MAX_MOVES_PER_STEP);
  if (allowance < 1) return 0;
  // Visibility timeouts that ended since the queue was last touched only take effect here:
  // without this, a DLQ nobody touched since would look empty and the task complete unmoved.
  source.store.promoteDue(now);
  const batch: StoredMessage[] = [];
  // One more than allowed tells whether anything remains after this step.
  source.store.forEachVisible((message) => {
    if (message.seq <= task.lastSeq) batch.push(message);
    return batch.length <= allowance;
  });
  let moved = 0;
  for (const message of batch.slice(0, allowance)) {
    const destinationArn = task.destinationArn ?? message.deadLetterSourceArn;
    const destination = destinationArn === undefined ? undefined : state.queueByArn(destinationArn);
    if (destination === undefined) {
      fail(state, task, 'AWS.SimpleQueueService.NonExistentQueue');
      return moved;
    }
    // Redriven messages are new messages; their ids derive from the task and its progress so
    // every node makes the same ones without a random source.
    const newId = derivedMessageId(`${task.taskId}:${task.moved + moved}`);
    moveMessage(state, message, source, destination, now, { deadLetterSourceArn: undefined, keepReceiveCount: false, newId });
    moved++;
  }
  task.moved += moved;
  task.progressedAt = moved < allowance ? now : task.progressedAt + (moved * 1000) / rate;
  if (batch.length <= allowance) task.status = 'COMPLETED';
  state.changes.moveTask(task.taskId);
  return moved;
}

function fail(state: EngineState, task: MoveTask, reason: string): number {
  task.status = 'FAILED';
  task.failureReason = reason;
  state.changes.moveTask(task.taskId);
  return 0;
}

function rateOf(task: MoveTask): number {
  return task.maxNumberOfMessagesPerSecond ?? DEFAULT_RATE;
}
