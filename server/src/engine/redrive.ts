/**
 * Moving a message between queues: to the dead-letter queue when its receive count exceeds the
 * source's maxReceiveCount, and back out of it in message move tasks.
 *
 * The message keeps its id, body and attributes. Standard queues keep the original enqueue time
 * for retention; FIFO queues restart it at the move, as AWS documents.
 */
import type { EngineState } from './engine-state.js';
import type { Queue } from './queue.js';
import { StoredMessage } from './stored-message.js';

export interface MoveOptions {
  /** Set DeadLetterQueueSourceArn (dead-lettering) or clear it (redrive back). */
  readonly deadLetterSourceArn: string | undefined;
  /** Keep the receive count (dead-lettering) or start again from zero (redrive back). */
  readonly keepReceiveCount: boolean;
}

export function moveMessage(state: EngineState, message: StoredMessage, from: Queue, to: Queue, now: number, options: MoveOptions): void {
  from.store.remove(message);
  state.changes.message(from.name, message.id);
  const moved = new StoredMessage(message);
  if (to.fifo) moved.retainedFrom = now;
  else moved.retainedFrom = message.retainedFrom;
  if (options.keepReceiveCount) {
    moved.receiveCount = message.receiveCount;
    moved.firstReceivedAt = message.firstReceivedAt;
  }
  moved.deadLetterSourceArn = options.deadLetterSourceArn;
  // An id already present in the target (moved there before and back) must not collide.
  const clash = to.store.byId.get(moved.id);
  if (clash !== undefined) to.store.remove(clash);
  to.store.add(moved, now, now);
  state.changes.message(to.name, moved.id);
  state.changes.queue(to.name);
  state.changes.queue(from.name);
  state.housekeepingNeededAt(moved.retainedFrom + to.retentionMs);
}

/** On receive: dead-letters the message if this receive would exceed maxReceiveCount. */
export function deadLetterIfExhausted(state: EngineState, queue: Queue, message: StoredMessage, now: number): boolean {
  const policy = queue.redrive;
  if (policy === undefined || message.receiveCount < policy.maxReceiveCount) return false;
  const target = state.queues.get(policy.targetName);
  if (target === undefined || target === queue) return false;
  moveMessage(state, message, queue, target, now, { deadLetterSourceArn: state.arnOf(queue), keepReceiveCount: true });
  return true;
}
