/**
 * FIFO queue delays are retroactive. Developer Guide, delay queues: "For FIFO queues, the
 * per-queue delay setting is retroactive - changing the setting affects the delay of messages
 * already in the queue." (Standard queues' is not: their messages keep the delay they were sent
 * with.)
 */
import type { EngineState } from '../engine-state.js';
import type { Queue } from '../queue.js';
import type { StoredMessage } from '../stored-message.js';

/** Every message not yet received now waits until its send plus the queue's new delay. One pass
 *  over the queue, on an operator action. */
export function redelayWaitingMessages(state: EngineState, queue: Queue, now: number): void {
  const changed: StoredMessage[] = [];
  queue.store.forEachMessage((message) => {
    if (queue.store.redelay(message, message.sentAt + queue.delayMs, now)) changed.push(message);
  });
  for (const message of changed) state.changes.message(queue.id, message);
}
