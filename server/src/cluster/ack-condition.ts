/**
 * When an entry's ack mode is met, decided from who holds it (applied, and durable with SQLite).
 *
 * | mode       | the answer waits until …                                                       |
 * | ---------- | ------------------------------------------------------------------------------ |
 * | `none`     | the leader applied it (not necessarily on disk yet)                           |
 * | `one`      | the leader and at least one follower hold it (in a 1-node cluster: the leader) |
 * | `majority` | a majority of all members hold it (the leader counts)                          |
 * | `all`      | every member in the leader's current view holds it, and never fewer than a     |
 * |            | majority. The view is the leader plus the followers that answered its appends  |
 * |            | or heartbeats within the last election timeout (a vote request does not count): |
 * |            | a dead follower leaves the view once it stops answering,                        |
 * |            | so `all` keeps working with a minority down, like a group membership view.      |
 */
import type { AckMode } from './replicator.js';

export interface Holders {
  /** Every member, this one included. */
  members: readonly string[];
  /** This node, the leader. */
  leader: string;
  /** Members holding the entry, the leader included once its copy is durable. */
  holding: ReadonlySet<string>;
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
    case 'one':
      return holding.has(leader) && holding.size >= Math.min(2, members.length);
    case 'majority':
      return holding.size >= majorityOf(members.length);
    case 'all':
      return holding.size >= majorityOf(members.length) && [...view].every((member) => holding.has(member));
  }
}
