/**
 * `--join ID@HOST:PORT[,…]`: a new node with no configuration asks the members it was given to add
 * it, one after the other, until one answers that it was added (a member that does not lead
 * forwards the request to the leader). The leader adds it as a learner, streams it a snapshot and
 * the log, and makes it a voter once it caught up — this node only has to be reachable.
 *
 * It asks again after a pause while no member can take the request (no leader, another change in
 * progress, members unreachable); a refusal that asking again cannot mend (its id taken by another
 * address) is logged each time, so the operator sees it. Asking again once added is harmless: the
 * leader answers that it is done.
 */
import type { Logger } from '../log.js';
import { decodeMembershipReply, encodeChange, MembershipError, type MemberInfo } from './membership.js';
import type { MembershipCaller } from './membership-service.js';
import type { Member } from './transport.js';

export interface JoinOptions {
  self: Member;
  seeds: readonly Member[];
  caller: MembershipCaller;
  logger: Logger;
  /** Pause between rounds over the seeds. */
  retryMs: number;
  /** Deadline of one request (the leader answers once the change is committed). */
  requestTimeoutMs: number;
  stopped(): boolean;
  now?: () => number;
}

/** Resolves with the configuration the leader answered once this node was added; undefined if stopped first. */
export async function joinCluster(options: JoinOptions): Promise<MemberInfo[] | undefined> {
  const { self, seeds, caller, logger } = options;
  const now = options.now ?? Date.now;
  const change = encodeChange(self.id, { kind: 'add', id: self.id, address: self.address });
  for (let round = 1; !options.stopped(); round++) {
    for (const seed of seeds) {
      if (options.stopped()) return undefined;
      try {
        const members = decodeMembershipReply(await caller.changeMembership(seed, change, now() + options.requestTimeoutMs));
        logger.info('joined the cluster', { via: seed.id, address: self.address, members: members.map((member) => member.id).join(',') });
        return members;
      } catch (error) {
        const permanent = error instanceof MembershipError && (error.reason === 'conflict' || error.reason === 'invalid');
        const line = permanent ? 'the cluster refused to add this node' : 'asking to join';
        const fields = { via: seed.id, round, reason: error instanceof MembershipError ? error.reason : 'unreachable', error: describe(error) };
        if (permanent) logger.error(line, fields);
        else logger.info(line, fields);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, options.retryMs));
  }
  return undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
