/**
 * Membership changes of a started cluster, through the nodes' admin API (`/cluster/members`):
 * what `cluster.addNode()`, `removeNode(n)`, `replaceNode(n)` and `members()` do, on either
 * runtime.
 *
 * A change is refused for a moment while the previous one (the automatic promotion of a learner,
 * or a new leader's first entry) is not committed yet (409), or while no leader is known (503):
 * both are retried until the timeout.
 */
import { AdminRequestError, type MemberInfo, type MembersAnswer } from './admin-client.js';
import type { ControllableNode } from './cluster-runtime.js';
import { waitFor, type Clock } from './clock.js';
import { describeError } from './errors.js';

export interface MembershipOptions {
  /** How long a change may take, retries and catching up included (default 60 s). */
  timeoutMs?: number;
}

export const DEFAULT_MEMBERSHIP_TIMEOUT_MS = 60_000;

/** Statuses that mean "not now": another change in progress, no leader. */
const RETRIED_STATUSES = new Set([409, 503]);

/** The configuration as `node` sees it (its `GET /cluster/members`). */
export async function membersOf(node: ControllableNode): Promise<MembersAnswer> {
  return node.admin().members();
}

/** Waits until the configuration `via` reports satisfies `done`. */
export async function waitForMembers(
  via: () => Promise<ControllableNode>,
  what: string,
  done: (members: readonly MemberInfo[]) => boolean,
  timeoutMs: number,
  clock?: Clock,
): Promise<MemberInfo[]> {
  let last: MemberInfo[] = [];
  return waitFor(
    what,
    async () => {
      try {
        const answer = await membersOf(await via());
        last = answer.members;
        return done(answer.members) ? answer.members : undefined;
      } catch {
        return undefined;
      }
    },
    { timeoutMs, intervalMs: 100, ...(clock ? { clock } : {}) },
    () => `members: ${last.map((member) => `${member.id}(${member.role})`).join(', ') || 'none seen'}`,
  );
}

/** Removes `nodeId` from the configuration through `via` (any member: it forwards to the leader),
 *  retrying while a change is in progress or no leader is known. */
export async function removeMember(via: () => Promise<ControllableNode>, nodeId: string, timeoutMs: number, clock?: Clock): Promise<void> {
  let last = '';
  await waitFor(
    `${nodeId} to be removed from the configuration`,
    async () => {
      const node = await via();
      try {
        await node.admin({ timeoutMs: 10_000 }).removeMember(nodeId);
        return true;
      } catch (error) {
        last = describeError(error);
        // Done already (an earlier attempt's answer was lost): nothing to remove.
        if (error instanceof AdminRequestError && error.status === 404) return true;
        if (error instanceof AdminRequestError && error.status !== undefined && !RETRIED_STATUSES.has(error.status)) throw error;
        return undefined;
      }
    },
    { timeoutMs, intervalMs: 200, ...(clock ? { clock } : {}) },
    () => `last answer: ${last}`,
  );
}
