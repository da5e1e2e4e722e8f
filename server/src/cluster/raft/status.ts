/**
 * A read-only view of a raft core, for the admin API (`/cluster`), metrics and tests.
 */
import type { RaftRole } from './effects.js';
import type { ConfigurationAt, MemberRole } from './membership.js';
import type { NodeId } from './messages.js';

/** How the leader replicates to a follower (see progress.ts for the invariants). */
export type ProgressState = 'probe' | 'replicate' | 'snapshot';

export interface PeerStatus {
  readonly id: NodeId;
  /** Its role in the leader's configuration; `leaving`: removed by a change not committed yet
   *  (still fed so it learns of its removal, counted nowhere). */
  readonly role: MemberRole | 'leaving';
  /** Highest index known to be held (applied and durable) by the peer. */
  readonly match: number;
  /** Next index the leader will send. */
  readonly next: number;
  readonly state: ProgressState;
  /** Heard from within the current check-quorum window. */
  readonly recentActive: boolean;
}

export interface RaftStatus {
  readonly id: NodeId;
  readonly role: RaftRole;
  readonly term: number;
  readonly leader: NodeId | undefined;
  readonly votedFor: NodeId | null;
  readonly commitIndex: number;
  /** Last index appended, which is also the last index applied. */
  readonly lastIndex: number;
  readonly lastTerm: number;
  /** Oldest entry still in memory (entries before it are only in the state-machine snapshot). */
  readonly firstIndex: number;
  /** Last index reported durable through `persisted`. */
  readonly persistedIndex: number;
  /** Leader only: each follower's progress; empty otherwise. */
  readonly peers: readonly PeerStatus[];
  /** The configuration this node uses (the latest in its log) and whether this node knows it
   *  committed. */
  readonly configuration: ConfigurationAt & { readonly committed: boolean };
  /** This node's role in it; undefined when it is not a member (joining, or removed). */
  readonly member: MemberRole | undefined;
}
