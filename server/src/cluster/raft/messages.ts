/**
 * The messages raft nodes exchange, as plain JSON-serialisable objects.
 *
 * The transport (gRPC) moves them unchanged; `RaftCore.step({ type: 'receive', from, message })`
 * consumes them and `Effects.messages` produces them. Every message carries the sender's `term`:
 * a node that sees a higher term adopts it (except pre-votes, which never change terms).
 *
 * Entries are opaque to the core: `payload` is whatever the runtime proposed (an SQS command), or
 * `null` for the empty entry a new leader appends at the start of its term (apply it as "no
 * change", but do count its index as applied). A configuration entry (membership.ts) has
 * `payload: null` and a `configuration`: nothing to apply to the engine, but the runtime stores
 * the configuration with the state it persists for that index.
 *
 * A `snapshot` message names the point (index, term) of the sender's state; the state itself (the
 * engine's records) travels next to it, chunked by the transport. The sender's runtime must export
 * its state exactly at `snapshot.index`, which is the leader's last log index when the message is
 * emitted (the leader applies every entry it appends, before sending the messages of a step).
 */

import type { Configuration, ConfigurationAt } from './membership.js';

/** A member's id, as in `--node-id` / `--peers`. */
export type NodeId = string;

/** A point in the log: the entry at `index` was created in `term`. (0, 0) is the empty log. */
export interface LogPosition {
  readonly index: number;
  readonly term: number;
}

export interface LogEntry<P = unknown> {
  readonly index: number;
  readonly term: number;
  /** The proposed payload, or `null` for a leader's empty start-of-term entry and for
   *  configuration entries. */
  readonly payload: P | null;
  /** Set on a configuration entry: the whole configuration from this index on. */
  readonly configuration?: Configuration;
}

/** "May I start an election for `term`?" Sent before campaigning; changes nobody's term or vote. */
export interface PreVoteRequest {
  readonly type: 'preVote';
  /** The term the sender would campaign in: the next term it owns (see term-owners.ts). */
  readonly term: number;
  readonly lastIndex: number;
  readonly lastTerm: number;
  /** Where the candidate's configuration came from (`ConfigurationAt`'s index and term), by which
   *  it chose its term; absent means (0, 0), the bootstrap configuration. */
  readonly config?: LogPosition;
}

export interface PreVoteResponse {
  readonly type: 'preVoteResponse';
  /** The request's term when granted; the responder's own term when refused. */
  readonly term: number;
  readonly granted: boolean;
}

export interface VoteRequest {
  readonly type: 'vote';
  readonly term: number;
  readonly lastIndex: number;
  readonly lastTerm: number;
  /** As in `PreVoteRequest`. */
  readonly config?: LogPosition;
}

export interface VoteResponse {
  readonly type: 'voteResponse';
  readonly term: number;
  readonly granted: boolean;
}

/** Leader → follower: entries after (prevIndex, prevTerm). Empty only when probing where the logs
 *  agree; keep-alives are `heartbeat`s. */
export interface AppendRequest<P = unknown> {
  readonly type: 'append';
  readonly term: number;
  readonly prevIndex: number;
  readonly prevTerm: number;
  readonly entries: readonly LogEntry<P>[];
  /** Leader's commit index (the follower caps it at what it verified it shares with the leader). */
  readonly commit: number;
}

/**
 * Follower → leader, answering `append`, `heartbeat` probes and `snapshot`.
 *
 * Success: the follower holds (applied and durably stored) the leader's log up to `match`.
 * Rejection: `rejectedIndex` is the `prevIndex` that did not fit; (`lastIndex`, `lastTerm`) is the
 * follower's last entry, which lets the leader decide in one round trip: if the leader's log holds
 * that position, replication resumes right after it; otherwise the follower applied entries the
 * leader never had and gets a snapshot.
 */
export type AppendResponse =
  | {
      readonly type: 'appendResponse';
      readonly term: number;
      readonly success: true;
      readonly match: number;
      /** The follower's incarnation (see `RaftConfig.incarnation`): answers from an older one are stale. */
      readonly incarnation: number;
    }
  | {
      readonly type: 'appendResponse';
      readonly term: number;
      readonly success: false;
      readonly rejectedIndex: number;
      readonly lastIndex: number;
      readonly lastTerm: number;
      readonly incarnation: number;
    };

/** Leader → follower keep-alive. `commit` is capped at what the follower is known to share. */
export interface HeartbeatRequest {
  readonly type: 'heartbeat';
  readonly term: number;
  readonly commit: number;
}

export interface HeartbeatResponse {
  readonly type: 'heartbeatResponse';
  readonly term: number;
}

/**
 * Leader → follower: replace your whole state by mine at `snapshot` (data travels alongside, see
 * the header). The follower answers with an `appendResponse` once the state is installed and durable.
 */
export interface SnapshotRequest {
  readonly type: 'snapshot';
  readonly term: number;
  readonly snapshot: LogPosition;
  /** The configuration in effect at `snapshot` (the sender's latest), installed with the state.
   *  Always set by this core; a receiver given none keeps its own (a sender from before
   *  membership changes, whose configuration never changed). */
  readonly configuration?: ConfigurationAt;
}

export type RaftMessage<P = unknown> =
  | PreVoteRequest
  | PreVoteResponse
  | VoteRequest
  | VoteResponse
  | AppendRequest<P>
  | AppendResponse
  | HeartbeatRequest
  | HeartbeatResponse
  | SnapshotRequest;

export type RaftMessageType = RaftMessage['type'];

/** A message to send, as produced in `Effects.messages`. */
export interface Outbound<P = unknown> {
  readonly to: NodeId;
  readonly message: RaftMessage<P>;
}
