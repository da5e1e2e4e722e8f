/**
 * What a raft core asks its runtime to do after a step. Handle the fields in this order, once:
 *
 *   1. `hardState`       — persist term/vote durably (votes and acks below depend on it).
 *   2. `installSnapshot` — discard the whole state and install the snapshot received from `from`,
 *                          then persist it; report `persisted(index, term)` when durable.
 *   3. `entries`         — apply each in order (`payload: null` changes nothing), then persist the
 *                          resulting state with the last entry's (index, term); report
 *                          `persisted(index, term)` when durable (may be later, e.g. group commit).
 *   4. `messages`        — send. A `snapshot` message needs the state as it is now (after step 3).
 *   5. notifications     — `role`, `commitIndex`, `replication`, `diverged`, `configuration`:
 *                          update status and peer links, resolve or fail waiting client requests.
 *                          (`configuration` must also be stored with the writes of 2 and 3.)
 *
 * Why apply before send: the leader applies every entry as it appends it (the `none` ack mode
 * answers right then), and every follower applies what it appends; an acknowledgement is only sent
 * after `persisted`, so "a follower has it" always means applied and stored.
 */
import type { HardState } from './config.js';
import type { ConfigurationAt } from './membership.js';
import type { LogEntry, LogPosition, NodeId, Outbound } from './messages.js';

export type RaftRole = 'follower' | 'preCandidate' | 'candidate' | 'leader';

export interface RoleChange {
  readonly role: RaftRole;
  readonly term: number;
  /** The leader this node knows of in `term`, if any (itself when leader). */
  readonly leader: NodeId | undefined;
}

export interface InstallSnapshot extends LogPosition {
  /** Whose snapshot data to install (the sender of the accepted `snapshot` message). */
  readonly from: NodeId;
  /** The configuration that comes with it (also reported in `Effects.configuration`). */
  readonly configuration: ConfigurationAt;
}

export interface Effects<P = unknown> {
  readonly hardState: HardState | undefined;
  readonly installSnapshot: InstallSnapshot | undefined;
  readonly entries: readonly LogEntry<P>[];
  readonly messages: readonly Outbound<P>[];
  /** Set when role, term or known leader changed. A leader that loses leadership must fail the
   *  client requests it still waits on: their entries may not survive. */
  readonly role: RoleChange | undefined;
  /** The new commit index (majority holds it in the current term), when it moved. */
  readonly commitIndex: number | undefined;
  /** Leader: some node's match index moved (up, or down after a memory node restarted); ask
   *  `RaftCore.replicasHolding(index)` for waiting requests. */
  readonly replication: boolean;
  /** Follower: this node applied entries the leader does not have; its state is wrong until a
   *  snapshot from the leader replaces it (the leader sends one without being asked). */
  readonly diverged: boolean;
  /**
   * Set when this node's configuration (the latest in its log) changed in this step: a
   * configuration entry among `entries`, or the snapshot of `installSnapshot`. Store it with the
   * state written for this step (atomically, like the applied index) so a restart finds it in
   * `RestoredState.configuration`; then open links to new members and close those to members
   * that left. It takes effect at once, committed or not (Raft §4.1).
   */
  readonly configuration: ConfigurationAt | undefined;
}
