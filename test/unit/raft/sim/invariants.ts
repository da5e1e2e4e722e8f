/**
 * The safety properties checked after every simulation step. A violation throws with a message
 * naming the property; the simulation adds the seed and step.
 *
 * With `durable` storage all of Raft's promises must hold. A `memory` node that restarts has lost
 * its vote and its entries, which Raft cannot survive in general, so for clusters with memory
 * nodes only the per-leader checks and the final convergence apply (`strict: false`).
 *
 * Membership: quorums are those of the leader's configuration; a new leader must have won the
 * votes of a majority of its own configuration's voters (no votes counted from another one); the
 * configuration history is linear (checked by each node as it appends, sim-node.ts).
 */
import { type NodeId, type RaftStatus, voterIds } from '../../../../server/src/cluster/raft/index.js';
import type { Payload } from './list-state-machine.js';
import type { SimNode } from './sim-node.js';

interface Acked {
  index: number;
  payload: Payload;
}

export class InvariantChecker {
  private readonly leaderOfTerm = new Map<number, NodeId>();
  /** index → payload, for every index some node knew committed. */
  private readonly committed = new Map<number, Payload | null>();
  private readonly checkedCommit = new Map<NodeId, number>();
  private readonly installsSeen = new Map<NodeId, number>();
  /** Proposals a majority held while their leader led: they must survive everything. */
  readonly majorityAcked: Acked[] = [];
  private readonly pending: { leader: NodeId; term: number; index: number; payload: Payload }[] = [];

  constructor(private readonly strict: boolean) {}

  proposed(leader: NodeId, term: number, index: number, payload: Payload): void {
    this.pending.push({ leader, term, index, payload });
  }

  afterStep(nodes: readonly SimNode[]): void {
    for (const node of nodes) {
      const core = node.core;
      if (core === undefined) {
        this.checkedCommit.delete(node.id);
        continue;
      }
      const status = core.status();
      if (node.machine.lastIndex !== status.lastIndex) {
        throw new Error(`${node.id}: applied ${node.machine.lastIndex} but log ends at ${status.lastIndex}`);
      }
      if (status.role === 'leader') this.checkLeader(node, status, nodes);
      this.checkCommitted(node, status.commitIndex);
      if (status.role === 'leader') this.checkHolders(node, status, nodes);
    }
    this.collectAcks(nodes);
  }

  private checkLeader(node: SimNode, status: RaftStatus, nodes: readonly SimNode[]): void {
    const { term } = status;
    const known = this.leaderOfTerm.get(term);
    if (known === undefined) {
      this.leaderOfTerm.set(term, node.id);
      if (this.strict) {
        this.checkHasAllCommitted(node, `new leader ${node.id} (term ${term})`);
        this.checkVotesOfOneConfiguration(node, status, nodes);
      }
    } else if (known !== node.id) {
      throw new Error(`two leaders in term ${term}: ${known} and ${node.id}`);
    }
  }

  /** The new leader won a majority of its own configuration's voters (memory nodes may forget
   *  whom they voted for, so only with durable storage). */
  private checkVotesOfOneConfiguration(node: SimNode, status: RaftStatus, nodes: readonly SimNode[]): void {
    const voters = voterIds(status.configuration.configuration);
    const votes = voters.filter(
      (id) => id === node.id || nodes.find((n) => n.id === id)?.granted.get(status.term) === node.id,
    );
    if (votes.length < quorumOf(status)) {
      throw new Error(
        `${node.id} leads term ${status.term} with the votes of ${votes.join(',')} of its voters ${voters.join(',')}`,
      );
    }
  }

  /** Leader completeness: every committed and every majority-acknowledged entry is there. */
  checkHasAllCommitted(node: SimNode, who: string): void {
    for (const [index, payload] of this.committed) {
      const mine = node.machine.payloadAt(index);
      if (mine !== payload) throw new Error(`${who} lacks committed entry ${index} (${payload}), has ${mine}`);
    }
    for (const acked of this.majorityAcked) {
      const mine = node.machine.payloadAt(acked.index);
      if (mine !== acked.payload) {
        throw new Error(`${who} lost majority-acked entry ${acked.index} (${acked.payload}), has ${mine}`);
      }
    }
  }

  /** Committed entries never change, and no two nodes commit different payloads at an index. */
  private checkCommitted(node: SimNode, commitIndex: number): void {
    if (!this.strict) return;
    if (node.machine.lastIndex < commitIndex) {
      throw new Error(`${node.id}: commit ${commitIndex} beyond applied ${node.machine.lastIndex}`);
    }
    let from = this.checkedCommit.get(node.id) ?? 0;
    if (node.installs !== this.installsSeen.get(node.id)) {
      this.installsSeen.set(node.id, node.installs);
      from = 0; // its state was replaced: check the whole committed prefix again
    }
    for (let index = Math.min(from, commitIndex) + 1; index <= commitIndex; index++) {
      const payload = node.machine.payloadAt(index)!;
      const known = this.committed.get(index);
      if (known === undefined && !this.committed.has(index)) this.committed.set(index, payload);
      else if (known !== payload) {
        throw new Error(`${node.id} committed ${payload} at ${index}, others committed ${known}`);
      }
    }
    this.checkedCommit.set(node.id, commitIndex);
  }

  /** "Has it" means applied and durable: what the leader counts must be on the follower's disk. */
  private checkHolders(leader: SimNode, status: RaftStatus, nodes: readonly SimNode[]): void {
    if (!this.strict) return;
    const holds = (node: SimNode, index: number): boolean =>
      node.durable.index >= index && node.durable.machine.hashAt(index) === leader.machine.hashAt(index);
    if (!holds(leader, status.persistedIndex)) {
      throw new Error(`leader ${leader.id} counts itself up to ${status.persistedIndex}, disk has ${leader.durable.index}`);
    }
    for (const peer of status.peers) {
      if (peer.match >= peer.next) throw new Error(`${leader.id}: ${peer.id} has match ${peer.match} >= next ${peer.next}`);
      if (peer.match > status.lastIndex) throw new Error(`${leader.id}: ${peer.id} match beyond the log`);
      const node = nodes.find((n) => n.id === peer.id)!;
      // Only while the follower is still in this leader's term (a later leader may replace its state).
      if (node.core?.currentTerm !== status.term) continue;
      if (!holds(node, peer.match)) {
        throw new Error(`${leader.id} counts ${peer.id} holding ${peer.match}, but its disk has ${node.durable.index} / other state`);
      }
    }
  }

  private collectAcks(nodes: readonly SimNode[]): void {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const proposal = this.pending[i]!;
      const core = nodes.find((n) => n.id === proposal.leader)!.core;
      if (core?.currentRole !== 'leader' || core.currentTerm !== proposal.term) {
        this.pending.splice(i, 1); // leadership lost: the runtime fails the request
      } else if (core.replicasHolding(proposal.index) >= Math.floor(core.voters.length / 2) + 1) {
        this.majorityAcked.push({ index: proposal.index, payload: proposal.payload });
        this.pending.splice(i, 1);
      }
    }
  }
}

/** A majority of the voters of the configuration `status` uses. */
export function quorumOf(status: RaftStatus): number {
  return Math.floor(voterIds(status.configuration.configuration).length / 2) + 1;
}
