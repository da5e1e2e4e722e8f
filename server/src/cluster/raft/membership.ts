/**
 * Cluster membership as the raft core sees it: who is a member, who votes, and the one-server
 * changes a leader may make to it (Raft dissertation §4.1, single-server changes).
 *
 * The configuration lives in the log: a change is an entry (`LogEntry.configuration`) holding the
 * whole new member list, and every node uses the latest configuration in its log, committed or
 * not. A snapshot carries the configuration of its point (`SnapshotRequest.configuration`), and a
 * node restarts from the one stored with its state (`RestoredState.configuration`). Before any
 * change, the configuration is the bootstrap one: `RaftConfig.members`, all voters, at index 0.
 *
 * Learners receive the log but never vote, never count in a quorum or an ack mode, and never
 * campaign. A learner added with `promote` becomes a voter once the leader sees it caught up.
 *
 * This file holds the public types and the pure rules (validate a change, derive the next
 * configuration); `raft-core.ts` decides when a change may be made (README.md, "Membership").
 */
import type { Effects } from './effects.js';
import type { LogPosition, NodeId } from './messages.js';

export type MemberRole = 'voter' | 'learner';

export interface Member {
  readonly id: NodeId;
  /** The member's gRPC address (`host:port`) as given when it was added; bootstrap members carry
   *  the address the runtime passed in `RaftConfig.addresses`, or '' when it passed none. */
  readonly address: string;
  readonly role: MemberRole;
  /** Learners only: the leader promotes it to voter on its own once it has caught up. */
  readonly promote?: boolean;
}

/** A whole configuration. Members are sorted by id, so equal configurations are equal as JSON. */
export interface Configuration {
  readonly members: readonly Member[];
}

/**
 * A configuration and the log entry it came from: (index, term) of its configuration entry, or
 * (0, 0) for the bootstrap configuration (or none, on a node that joins with no configuration).
 * The position identifies the configuration: by log matching, two nodes holding the same
 * (index, term) hold the same configuration.
 */
export interface ConfigurationAt extends LogPosition {
  readonly configuration: Configuration;
}

/** A change a leader may propose with `RaftCore.changeMembership`: one server at a time. */
export type MembershipChange =
  /** Add a non-voting member. `promote` (default true): the leader makes it a voter itself once
   *  its log is within `RaftConfig.learnerCatchUpEntries` of the commit index. */
  | { readonly kind: 'addLearner'; readonly id: NodeId; readonly address: string; readonly promote?: boolean }
  /** Make a learner a voter now; refused while it is not caught up (as etcd does). */
  | { readonly kind: 'promote'; readonly id: NodeId }
  /** Remove a voter or learner. Removing the leader itself: it keeps leading until the change
   *  is committed (by the remaining voters), then steps down and never campaigns again. */
  | { readonly kind: 'remove'; readonly id: NodeId };

/** Why a change was refused; nothing was appended. Each maps to one admin-API answer. */
export type MembershipChangeError =
  /** Only the leader changes the configuration; `leader` is the one this node knows of. */
  | { readonly code: 'notLeader'; readonly leader: NodeId | undefined }
  /**
   * One change at a time: the latest configuration entry (at `index`) is not committed yet, or
   * this leader has not committed an entry of its own term yet (the fix for the single-server
   * change bug: a leader must not change the configuration before its term's first entry
   * commits). Retry shortly.
   */
  | { readonly code: 'changeInProgress'; readonly index: number }
  /** `addLearner` of an id that is already a member (as voter or learner). */
  | { readonly code: 'alreadyMember'; readonly member: Member }
  /** `addLearner` with the address of another member. */
  | { readonly code: 'addressInUse'; readonly member: Member }
  /** `promote` or `remove` of an id that is not a member. */
  | { readonly code: 'unknownMember'; readonly id: NodeId }
  /** `promote` of a member that already votes. */
  | { readonly code: 'alreadyVoter'; readonly id: NodeId }
  /** `promote` of a learner whose log is too far behind (`match` < `needed`). */
  | { readonly code: 'learnerBehind'; readonly id: NodeId; readonly match: number; readonly needed: number }
  /** `remove` of the only voter: a cluster needs one. */
  | { readonly code: 'lastVoter'; readonly id: NodeId }
  /** An empty id, or an empty address for `addLearner`. */
  | { readonly code: 'invalidMember'; readonly reason: string };

export type MembershipChangeResult<P = unknown> =
  /** Appended as the configuration entry at (index, term), which is in effect from now on (the
   *  latest configuration in the log); it is done once `commitIndex >= index`. Handle `effects`
   *  like a step's. */
  | {
      readonly accepted: true;
      readonly index: number;
      readonly term: number;
      readonly configuration: Configuration;
      readonly effects: Effects<P>;
    }
  | { readonly accepted: false; readonly error: MembershipChangeError };

/** The bootstrap configuration: the static member list, every one a voter. */
export function bootstrapConfiguration(
  members: readonly NodeId[],
  addresses: Readonly<Record<NodeId, string>> = {},
): Configuration {
  return sortedConfiguration(members.map((id) => ({ id, address: addresses[id] ?? '', role: 'voter' })));
}

export function sortedConfiguration(members: readonly Member[]): Configuration {
  return { members: [...members].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
}

export function voterIds(configuration: Configuration): NodeId[] {
  return configuration.members.filter((member) => member.role === 'voter').map((member) => member.id);
}

export function memberOf(configuration: Configuration, id: NodeId): Member | undefined {
  return configuration.members.find((member) => member.id === id);
}

/**
 * The configuration after `change`, or why the change is invalid for `configuration` (the
 * leader's readiness — one change at a time, learner caught up — is checked by the caller).
 */
export function applyChange(configuration: Configuration, change: MembershipChange): Configuration | MembershipChangeError {
  if (change.id === '') return { code: 'invalidMember', reason: 'a member id must not be empty' };
  const existing = memberOf(configuration, change.id);
  const others = configuration.members.filter((member) => member.id !== change.id);
  switch (change.kind) {
    case 'addLearner': {
      if (change.address === '') return { code: 'invalidMember', reason: 'a new member needs an address' };
      if (existing !== undefined) return { code: 'alreadyMember', member: existing };
      const sameAddress = others.find((member) => member.address === change.address);
      if (sameAddress !== undefined) return { code: 'addressInUse', member: sameAddress };
      const learner: Member = { id: change.id, address: change.address, role: 'learner', promote: change.promote ?? true };
      return sortedConfiguration([...others, learner]);
    }
    case 'promote': {
      if (existing === undefined) return { code: 'unknownMember', id: change.id };
      if (existing.role === 'voter') return { code: 'alreadyVoter', id: change.id };
      return sortedConfiguration([...others, { id: existing.id, address: existing.address, role: 'voter' }]);
    }
    case 'remove': {
      if (existing === undefined) return { code: 'unknownMember', id: change.id };
      if (existing.role === 'voter' && others.every((member) => member.role !== 'voter')) {
        return { code: 'lastVoter', id: change.id };
      }
      return { members: others };
    }
  }
}

/** Does `next` differ from `previous` by exactly one server (one added, removed or promoted)? */
export function differsByOneServer(previous: Configuration, next: Configuration): boolean {
  const ids = new Set([...previous.members, ...next.members].map((member) => member.id));
  const changed = [...ids].filter((id) => memberOf(previous, id)?.role !== memberOf(next, id)?.role);
  return changed.length === 1;
}
