/**
 * The Housekeeping command: the time-driven changes that drop or move data, applied at the
 * leader's `now` so every node does exactly the same — retention expiry, the end of FIFO
 * deduplication and receive-attempt windows, message move task progress. Afterwards it works
 * out when housekeeping is next due, so `housekeepingDue` is a single comparison.
 */
import { COOLDOWN_MS, type EngineState } from './engine-state.js';
import { advanceMoveTasks, nextMoveTaskStepAt } from './move-task-progress.js';

/** Records one Housekeeping command may drop: a large backlog (a million expired messages, a
 *  burst of deduplication ids) is worked off over several commands — housekeeping stays due —
 *  instead of stalling the node in one long command. */
const MAX_REMOVALS_PER_COMMAND = 5000;

export function runHousekeeping(state: EngineState, now: number): { expired: number; moved: number } {
  let budget = MAX_REMOVALS_PER_COMMAND;
  let expired = 0;
  for (const queue of state.queues.values()) {
    if (budget <= 0) break;
    const removed = queue.store.removeExpired(now, queue.retentionMs, budget);
    for (const message of removed) state.changes.message(queue.id, message);
    if (removed.length > 0) state.changes.queue(queue.id);
    expired += removed.length;
    budget -= removed.length;
    for (const key of queue.deduplication.removeExpired(now, budget)) {
      state.changes.deduplication(queue.id, key);
      budget--;
    }
    for (const key of queue.receiveAttempts.removeExpired(now, budget)) {
      state.changes.receiveAttempt(queue.id, key);
      budget--;
    }
  }
  for (const [name, deletedAt] of state.deletedQueues) {
    if (now - deletedAt < COOLDOWN_MS) continue;
    state.deletedQueues.delete(name);
    state.changes.deletedQueue(name);
  }
  const moved = advanceMoveTasks(state, now);
  recomputeNextHousekeeping(state);
  return { expired, moved };
}

export function recomputeNextHousekeeping(state: EngineState): void {
  let next = nextMoveTaskStepAt(state) ?? Number.POSITIVE_INFINITY;
  for (const deletedAt of state.deletedQueues.values()) next = Math.min(next, deletedAt + COOLDOWN_MS);
  for (const queue of state.queues.values()) {
    for (const at of [
      queue.store.nextExpiryAt(queue.retentionMs),
      queue.deduplication.nextExpiryAt(),
      queue.receiveAttempts.nextExpiryAt(),
    ]) {
      if (at !== undefined && at < next) next = at;
    }
  }
  state.nextHousekeepingAt = next;
}
