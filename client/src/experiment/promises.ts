/**
 * What each ack mode promises, and whether the checked history kept it. `majority` and `all`
 * answer only once the write is committed, so nothing acknowledged may be lost, resurrected,
 * reordered or duplicated past deduplication. `none` and `one` answer earlier: a failure may lose
 * what they acknowledged (server/src/cluster/ack-condition.ts), which the report shows without
 * calling it broken. No mode may ever deliver what nobody sent, or change a body.
 */
import type { AckMode } from '../node-options.js';
import type { DeliveryCounts } from './checker.js';

export type PromiseCheck = 'lost' | 'unexpected' | 'phantoms' | 'redeliveredAfterDelete' | 'orderViolations' | 'dedupViolations' | 'corrupted';

export interface AckModePromise {
  /** In words, for the report. */
  promise: string;
  /** Findings that break it when not zero. */
  checks: readonly PromiseCheck[];
}

const ALWAYS: readonly PromiseCheck[] = ['phantoms', 'corrupted'];
const COMMITTED: readonly PromiseCheck[] = [...ALWAYS, 'lost', 'unexpected', 'redeliveredAfterDelete', 'orderViolations', 'dedupViolations'];

export const ACK_MODE_PROMISES: Record<AckMode, AckModePromise> = {
  none: {
    promise: 'Answered as soon as the receiving leader has the write: a failure may lose acknowledged messages and deletes; nothing is delivered that was not sent.',
    checks: ALWAYS,
  },
  one: {
    promise: 'Answered once one more node holds the write: survives the loss of either holder, but a failover may still lose acknowledged writes; nothing is delivered that was not sent.',
    checks: ALWAYS,
  },
  majority: {
    promise: 'Answered once a majority holds the write (committed): nothing acknowledged is lost or undone, FIFO order and deduplication hold, while a majority survives.',
    checks: COMMITTED,
  },
  all: {
    promise: "Answered once every node in the leader's view (never fewer than a majority) holds the write: as majority, and every live node has it.",
    checks: COMMITTED,
  },
};

const WORDS: Record<PromiseCheck, string> = {
  lost: 'acknowledged messages lost',
  unexpected: 'sends that failed were delivered',
  phantoms: 'messages delivered that nobody sent',
  redeliveredAfterDelete: 'messages delivered again after an acknowledged delete',
  orderViolations: 'FIFO order violations',
  dedupViolations: 'FIFO deduplication violations',
  corrupted: 'bodies changed',
};

/** What broke the mode's promise, in words (`3 acknowledged messages lost`); empty when kept. */
export function brokenPromises(ackMode: AckMode, counts: DeliveryCounts): string[] {
  return ACK_MODE_PROMISES[ackMode].checks.filter((check) => counts[check] > 0).map((check) => `${counts[check]} ${WORDS[check]}`);
}
