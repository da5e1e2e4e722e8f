/**
 * Which member may campaign in which term: term t belongs to the member at position
 * (t - 1) mod N of the sorted member list (like Paxos ballot numbers, unique per proposer).
 *
 * Why: Raft keeps two leaders out of one term by having each node vote once per term, which needs
 * the vote to survive restarts. A memory-storage node forgets its vote, so two candidates could
 * both win the same term and write different entries under the same (index, term) — and log
 * matching, which everything here relies on, would silently break. With one candidate per term,
 * a forgotten vote can only ever go to that same candidate.
 */
import type { NodeId } from './messages.js';

export class TermOwners {
  private readonly sorted: readonly NodeId[];
  private readonly slot: number;

  constructor(self: NodeId, members: readonly NodeId[]) {
    this.sorted = [...members].sort();
    this.slot = this.sorted.indexOf(self);
  }

  ownerOf(term: number): NodeId {
    return this.sorted[(term - 1) % this.sorted.length]!;
  }

  /** The first term after `term` this node may campaign in. */
  nextOwnTerm(term: number): number {
    const n = this.sorted.length;
    const next = term + 1;
    return next + ((((this.slot - (next - 1)) % n) + n) % n);
  }
}
