/**
 * The message ids a leader draws into SendMessage(Batch) commands (engine/command.ts). UUID-shaped and distinct like `randomUUID`'s, across restarts and leaders too
 * (a fresh random prefix per source, i.e. per process), but **increasing** within a process: the
 * prefix is drawn once and the last twelve hex digits count (sqs/request-ids.ts does the work).
 *
 * Why ordered: a message's state record is keyed `m/<queue>/<message id>` (engine/record-keys.ts),
 * and SQLite (and PostgreSQL) keep records in a B-tree by key. With random ids every message sent
 * landed on a leaf page of its own, so a group commit of 70 messages wrote ~120 pages (~500 KB) to
 * the WAL and, at the next checkpoint, again to the file — about 40 µs of CPU per stored message,
 * more than the rest of a request. Ordered ids append to the end of their queue's key range: the
 * same commit fills about ten pages (10 µs per message, measured in isolation; bench/README.md,
 * tuning log of 2026-12-04).
 *
 * Receipt-handle nonces and move-task handles are not drawn here but from `randomUUID`
 * (command-envelope.ts): a client that knows a message id (any sender does) must not be able to
 * guess the handle of a receive it did not make and delete or hide that message.
 */
import { randomUUID } from 'node:crypto';
import { requestIdSource } from '../sqs/request-ids.js';

export function leaderIdSource(): () => string {
  return requestIdSource();
}

/** The two id sources of a leader's command envelopes (command-envelope.ts). */
export interface LeaderIds {
  /** Message ids, ordered. */
  randomId: () => string;
  /** Receipt nonces and task handles, random. */
  secretId: () => string;
}

/** A replicator's id sources; `injected` (tests, for determinism) serves as both. */
export function leaderIds(injected?: () => string): LeaderIds {
  return injected ? { randomId: injected, secretId: injected } : { randomId: leaderIdSource(), secretId: randomUUID };
}
