/** Marks every message record of a queue as deleted for storage, before the queue drops them. */
import type { EngineState } from '../engine-state.js';
import type { Queue } from '../queue.js';

export function forgetMessages(state: EngineState, queue: Queue): void {
  if (!state.changes.enabled) return;
  queue.store.forEachMessage((message) => state.changes.message(queue.id, message));
}
