/**
 * How often the replicator ticks its raft core.
 *
 * Ticks drive elections, heartbeats, quorum checks and the replication timeout. A lone leader
 * with nothing in flight has none of these to do: no peer to heartbeat or hear from, no vote to
 * hold, no write waiting for its ack mode. Yet at the usual pace (every 5–20 ms) its ticks were
 * nearly all an idle single node did: 50 wake-ups a second, about 1% of a core on a 2-core
 * machine with nothing to serve. So such a node ticks slowly (`QUIET_TICK_MS`) until anything
 * arrives that could need a tick again (a write left waiting, a membership change, a message from
 * a peer), which puts it back at the usual pace at once. Nothing time-driven is delayed by it:
 * in that state no raft timer can be due.
 */
import type { RaftStatus } from './raft/index.js';

/** The safety-net pace of a quiet lone leader (a tick there finds nothing to do). */
export const QUIET_TICK_MS = 1000;

/** The usual pace: a fifth of the heartbeat interval, within 5–20 ms. */
export function activeTickMs(heartbeatIntervalMs: number): number {
  return Math.max(5, Math.min(20, Math.floor(heartbeatIntervalMs / 5)));
}

export interface Waiting {
  /** Writes waiting for their ack mode (their replication timeout is checked on ticks). */
  proposals: number;
  /** Membership changes waiting for their commit (likewise). */
  membershipChanges: number;
}

/** A leader alone in its configuration, with no follower or learner to feed, everything it
 *  appended durable and nothing waiting: no tick can have anything to do. */
export function isQuietAlone(status: RaftStatus, waiting: Waiting): boolean {
  return status.role === 'leader'
    && status.peers.length === 0
    && status.configuration.configuration.members.length === 1
    && status.configuration.configuration.members[0]?.id === status.id
    && status.persistedIndex === status.lastIndex
    && waiting.proposals === 0
    && waiting.membershipChanges === 0;
}
