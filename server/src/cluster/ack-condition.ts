/**
 * When an entry's ack mode is met, decided from who holds it (applied, and durable with SQLite).
 *
 * | mode       | the answer waits until …                                                       |
 * | ---------- | ------------------------------------------------------------------------------ |
 * | `none`     | the leader applied it (not necessarily on disk yet)                           |
 * | `one`      | the leader and at least one voting follower hold it (alone: the leader)        |
 * | `majority` | a majority of the current configuration's voters hold it (the leader counts    |
 * |            | while it votes)                                                                |
 * | `all`      | every member in the leader's current view holds it, and never fewer than a     |
 * |            | majority. The view is the leader plus the followers that answered its appends  |
 * |            | or heartbeats within the last election timeout (a vote request does not count): |
 * |            | a dead follower leaves the view once it stops answering,                        |
 * |            | so `all` keeps working with a minority down, like a group membership view.      |
 *
 * "Members" are the voters of the configuration in use (raft/membership.ts), which changes at
 * runtime: a learner catching up, or a member being removed, counts for no mode, and a learner in
 * the view does not hold up `all`.
 */
import type { AckMode } from './replicator.js';

export interface Holders {
  /** The voters of the current configuration (the leader among them unless it is being removed). */
  members: readonly string[];
  /** This node, the leader. */
  leader: string;
  /** Voters holding the entry, the leader included once its copy is durable (and it votes). */
  holding: ReadonlySet<string>;
  /** The leader's own copy is durable, whether or not it votes; default: `holding` has it. */
  leaderHolds?: boolean;
  /** The leader applied it (always true once the entry was appended on the leader). */
  appliedOnLeader: boolean;
  /** Members in the leader's current view (the leader itself included). */
  view: ReadonlySet<string>;
}

export function majorityOf(memberCount: number): number {
  return Math.floor(memberCount / 2) + 1;
}

export function ackModeMet(mode: AckMode, holders: Holders): boolean {
  const { members, leader, holding, appliedOnLeader, view } = holders;
  switch (mode) {
    case 'none':
      return appliedOnLeader;
    case 'one': {
      if (!(holders.leaderHolds ?? holding.has(leader))) return false;
      if (members.length === 1 && members[0] === leader) return true;
      for (const member of holding) if (member !== leader) return true;
      return false;
    }
    case 'majority':
      return holding.size >= majorityOf(members.length);
    case 'all':
      if (holding.size < majorityOf(members.length)) return false;
      for (const member of view) if (!holding.has(member) && members.includes(member)) return false;
      return true;
  }
}
