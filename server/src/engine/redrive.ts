/**
 * Moving a message between queues: to the dead-letter queue when its receive count exceeds the
 * source's maxReceiveCount, and back out of it in message move tasks.
 *
 * Dead-lettering keeps the message's id, body and attributes. Standard queues keep the original
 * enqueue time for retention; FIFO queues restart it at the move and replace the deduplication id
 * with the message id, as AWS documents. A redrive out of a dead-letter queue enqueues a new
 * message: new id, enqueue time now, receive count zero (Developer Guide, DLQ redrive).
 */
import type { EngineState } from './engine-state.js';
import type { Queue } from './queue.js';
import { StoredMessage, type MessageExtras } from './stored-message.js';

export interface MoveOptions {
  /** Set DeadLetterQueueSourceArn (dead-lettering) or clear it (redrive back). */
  readonly deadLetterSourceArn: string | undefined;
  /** Keep the receive count (dead-lettering) or start again from zero (redrive back). */
  readonly keepReceiveCount: boolean;
  /** Redrive: enqueue as a new message with this id, sent now. */
  readonly newId?: string;
}

export function moveMessage(state: EngineState, message: StoredMessage, from: Queue, to: Queue, now: number, options: MoveOptions): void {
  from.store.remove(message);
  state.changes.message(from.id, message);
  const extras: MessageExtras = { ...message.extras };
  delete extras.deadLetterSourceArn;
  delete extras.movedAt;
  if (options.deadLetterSourceArn !== undefined) {
    extras.deadLetterSourceArn = options.deadLetterSourceArn;
    // Two dead letters sharing a deduplication id must not be taken for duplicates of each other.
    if (to.fifo) extras.deduplicationId = message.id;
  }
  const renewed = options.newId !== undefined;
  if (to.fifo && !renewed) extras.movedAt = now;
  else if (!renewed && message.extras?.movedAt !== undefined) extras.movedAt = message.extras.movedAt;
  const moved = new StoredMessage({
    id: options.newId ?? message.id,
    body: message.body,
    md5OfBody: message.md5OfBody,
    senderId: message.senderId,
    sentAt: renewed ? now : message.sentAt,
    extras: Object.keys(extras).length > 0 ? extras : undefined,
  });
  // The count moves along; the source queue's receipt handle does not (an empty nonce matches none).
  if (options.keepReceiveCount && message.delivery !== undefined) moved.delivery = { ...message.delivery, nonce: '' };
  to.store.add(moved, now, now);
  state.changes.message(to.id, moved);
  state.changes.queue(to.id);
  state.changes.queue(from.id);
  state.housekeepingNeededAt(moved.retainedFrom + to.retentionMs);
}

/** On receive: dead-letters the message if this receive would exceed maxReceiveCount. */
export function deadLetterIfExhausted(state: EngineState, queue: Queue, message: StoredMessage, now: number): boolean {
  const policy = queue.redrive;
  if (policy === undefined || message.receiveCount < policy.maxReceiveCount) return false;
  const target = state.queueByArn(policy.deadLetterTargetArn);
  if (target === undefined || target === queue) return false;
  moveMessage(state, message, queue, target, now, { deadLetterSourceArn: state.arnOf(queue), keepReceiveCount: true });
  return true;
}
