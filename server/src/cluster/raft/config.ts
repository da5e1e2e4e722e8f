/**
 * How a raft core is set up, and the durable state it restarts from.
 */
import type { ConfigurationAt } from './membership.js';
import type { LogPosition, NodeId } from './messages.js';
import { payloadJson } from './payload-json.js';

export interface RaftConfig<P = unknown> {
  /** This node's id; one of `members` unless `members` is empty. */
  readonly id: NodeId;
  /**
   * The bootstrap configuration: every member of a new cluster, this node included, all voters
   * (every node must list the same ids). It is the configuration until the log or the restored
   * state holds another (membership.ts). Empty for a node that joins a running cluster: it has no
   * configuration, never campaigns, and adopts the leader's from its appends or snapshot.
   */
  readonly members: readonly NodeId[];
  /** gRPC addresses of the bootstrap members, for `status().configuration` (optional). */
  readonly addresses: Readonly<Record<NodeId, string>>;
  /** A learner is caught up — the leader may promote it — once its match index is within this
   *  many entries of the commit index (and it holds the configuration that added it). */
  readonly learnerCatchUpEntries: number;
  /** A follower that hears nothing from a leader for a random time in [min, max) campaigns. */
  readonly electionTimeoutMinMs: number;
  readonly electionTimeoutMaxMs: number;
  /** How often a leader sends heartbeats (and retries probes) to idle followers. */
  readonly heartbeatIntervalMs: number;
  /** Uniform random numbers in [0, 1): the only source of chance (seed it in tests). */
  readonly random: () => number;
  /** Ask "could I win?" before bumping the term, so a node rejoining from a partition cannot
   *  unseat a healthy leader. */
  readonly preVote: boolean;
  /** A leader that has not heard from a majority for an election timeout steps down, and
   *  followers that heard from a leader recently refuse to vote (leader lease). */
  readonly checkQuorum: boolean;
  /** Append messages a leader may have unacknowledged per follower (pipelining window). */
  readonly maxInflightMessages: number;
  readonly maxEntriesPerMessage: number;
  /** Soft cap on payload bytes per append message (always at least one entry per message). */
  readonly maxBytesPerMessage: number;
  /** Entries kept in memory behind the last index; a follower needing older ones gets a snapshot. */
  readonly retainedEntries: number;
  /** A leader that sent a snapshot and heard no answer for this long sends it again. */
  readonly snapshotRetryMs: number;
  /**
   * A node that starts with term 0 — a new node, or a memory-storage node after a restart, which
   * may have voted before it lost everything — neither votes nor campaigns for this long, unless
   * it hears from a leader first. Without it a restarted memory node could vote twice in one term
   * and let two leaders share it. Default: `electionTimeoutMaxMs`. Ends early once every other
   * voter showed an empty log (a brand-new cluster: fresh-start-wait.ts).
   */
  readonly freshStartVoteDelayMs: number;
  /** Size of a payload, for `maxBytesPerMessage`. */
  readonly payloadBytes: (payload: P) => number;
  /**
   * Grows each time this node starts (e.g. the start time in ms). Carried in append responses so
   * that a leader can tell answers sent before a restart (which may report entries a memory node
   * has since lost) from current ones.
   */
  readonly incarnation: number;
}

export const DEFAULT_RAFT_TIMING = {
  electionTimeoutMinMs: 500,
  electionTimeoutMaxMs: 1000,
  heartbeatIntervalMs: 100,
} as const;

/** Defaults: a dead leader is replaced within about 0.6–1.2 s (timeout + pre-vote + vote). */
export function raftConfig<P>(
  id: NodeId,
  members: readonly NodeId[],
  random: () => number,
  overrides: Partial<RaftConfig<P>> = {},
): RaftConfig<P> {
  const electionTimeoutMaxMs = overrides.electionTimeoutMaxMs ?? DEFAULT_RAFT_TIMING.electionTimeoutMaxMs;
  return {
    id,
    members,
    random,
    ...DEFAULT_RAFT_TIMING,
    freshStartVoteDelayMs: electionTimeoutMaxMs,
    addresses: {},
    learnerCatchUpEntries: 1000,
    preVote: true,
    checkQuorum: true,
    maxInflightMessages: 64,
    maxEntriesPerMessage: 256,
    maxBytesPerMessage: 1024 * 1024,
    retainedEntries: 10_000,
    snapshotRetryMs: 10_000,
    // The same encoding the transport sends (payload-json.ts), so measuring costs no second stringify.
    payloadBytes: (payload) => payloadJson(payload).length,
    incarnation: 0,
    ...overrides,
  };
}

/** What must survive a restart besides the state machine. Persist it when `Effects.hardState` says. */
export interface HardState {
  readonly term: number;
  readonly votedFor: NodeId | null;
}

/**
 * What a node restarts from: its hard state and the position of its durable state-machine
 * snapshot (the log starts right after it). A memory-storage node restarts from
 * `{ term: 0, votedFor: null, snapshot: { index: 0, term: 0 } }`.
 */
export interface RestoredState extends HardState {
  readonly snapshot: LogPosition;
  /** The configuration stored with that state (the latest one at or before `snapshot.index`, as
   *  `Effects.configuration` reported it); absent: the bootstrap configuration. */
  readonly configuration?: ConfigurationAt;
}

export const EMPTY_STATE: RestoredState = { term: 0, votedFor: null, snapshot: { index: 0, term: 0 } };
