/**
 * N simulated nodes on a simulated network and clock, with faults at random: message loss,
 * delay, reordering and duplication, partitions, crashes and restarts, client proposals, and
 * (with `membership`) membership changes: spare nodes added as learners, promoted, members
 * removed — the leader included, crashed ones too (a replacement).
 * `run()` drives a seeded chaos phase, then heals everything and checks that the cluster
 * converges: one leader, every member's state equal to the leader's. A removed node keeps
 * running (it may not know it was removed) and must not disturb the others.
 */
import {
  type MembershipChange,
  type NodeId,
  type RaftConfig,
  voterIds,
} from '../../../../server/src/cluster/raft/index.js';
import { InvariantChecker } from './invariants.js';
import type { Payload } from './list-state-machine.js';
import { Prng } from './prng.js';
import { type NetworkFaults, SimNetwork } from './sim-network.js';
import { SimNode, type StorageKind } from './sim-node.js';

export interface SimOptions {
  nodes: number;
  seed: number;
  storage: StorageKind | 'mixed';
  tickMs: number;
  network: NetworkFaults;
  /** Per step. */
  proposeRate: number;
  crashRate: number;
  partitionRate: number;
  healRate: number;
  maxWriteDelayMs: number;
  raft: Partial<RaftConfig<Payload>>;
  /** Membership changes: `spares` more nodes that start outside the cluster (joining, no
   *  configuration) and may be added; a change is tried at a leader with `changeRate` per step. */
  membership?: {
    spares: number;
    changeRate: number;
    /** Stop a removed node for good once its removal is committed, as an operator would; else it
     *  keeps running (and may never learn it was removed). */
    stopRemoved: boolean;
  };
}

export const CHAOS: Omit<SimOptions, 'nodes' | 'seed' | 'storage'> = {
  tickMs: 10,
  network: { lossRate: 0.05, duplicateRate: 0.02, minDelayMs: 1, maxDelayMs: 40 },
  proposeRate: 0.3,
  crashRate: 0.02,
  partitionRate: 0.02,
  healRate: 0.03,
  maxWriteDelayMs: 30,
  raft: {
    electionTimeoutMinMs: 150,
    electionTimeoutMaxMs: 300,
    heartbeatIntervalMs: 40,
    maxInflightMessages: 4,
    maxEntriesPerMessage: 5,
    maxBytesPerMessage: 64,
    retainedEntries: 24,
    snapshotRetryMs: 600,
  },
};

/** No random faults: scenario tests script their own. */
export const QUIET: Omit<SimOptions, 'nodes' | 'seed' | 'storage'> = {
  ...CHAOS,
  network: { lossRate: 0, duplicateRate: 0, minDelayMs: 1, maxDelayMs: 10 },
  proposeRate: 0,
  crashRate: 0,
  partitionRate: 0,
  healRate: 0,
};

export class SimCluster {
  readonly prng: Prng;
  readonly network: SimNetwork;
  readonly nodes: SimNode[];
  readonly checker: InvariantChecker;
  now = 0;
  steps = 0;
  private proposals = 0;
  /** Membership changes the leaders accepted, by kind. */
  readonly changes = { addLearner: 0, promote: 0, remove: 0 };
  /** Nodes once added to the cluster (a spare is added at most once). */
  private readonly everAdded = new Set<NodeId>();
  /** Crashed node → step at which it restarts. */
  private readonly restartAt = new Map<NodeId, number>();
  /** Removed nodes stopped for good (`stopRemoved`). */
  private readonly stopped = new Set<NodeId>();
  /** Removals appended, waiting for their leader to commit them. */
  private removals: { leader: SimNode; term: number; index: number; id: NodeId }[] = [];

  constructor(readonly options: SimOptions) {
    this.prng = new Prng(options.seed);
    this.network = new SimNetwork(this.prng.fork(), { ...options.network });
    const ids = Array.from({ length: options.nodes }, (_, i) => `n${i + 1}`);
    const spares = Array.from({ length: options.membership?.spares ?? 0 }, (_, i) => `n${options.nodes + i + 1}`);
    for (const id of ids) this.everAdded.add(id);
    this.nodes = [...ids, ...spares].map((id, i) => {
      const storage: StorageKind = options.storage === 'mixed' ? (i % 2 === 0 ? 'durable' : 'memory') : options.storage;
      return new SimNode(
        id,
        ids.includes(id) ? ids : [],
        this.prng.fork(),
        { storage, maxWriteDelayMs: options.maxWriteDelayMs, raft: options.raft },
        (delivery) => this.network.send(delivery, this.now),
      );
    });
    this.checker = new InvariantChecker(options.storage === 'durable');
    for (const node of this.nodes) node.start(this.now);
  }

  node(id: NodeId): SimNode {
    return this.nodes.find((n) => n.id === id)!;
  }

  /** Leaders as the nodes themselves believe (a stale one may linger in a minority). */
  leaders(): SimNode[] {
    return this.nodes.filter((n) => n.core?.currentRole === 'leader');
  }

  /** One step of time: ticks, deliveries, storage writes; with `chaos`, random faults and
   *  client proposals too. */
  step(chaos: boolean): void {
    this.steps++;
    this.now += this.options.tickMs;
    if (chaos) this.injectFaults();
    this.restartDue();
    for (const node of this.nodes) node.step({ type: 'tick', now: this.now }, this.now);
    for (const delivery of this.network.takeDue(this.now)) {
      this.node(delivery.to).step(
        { type: 'receive', from: delivery.from, message: delivery.message },
        this.now,
        delivery.snapshotData,
      );
    }
    for (const node of this.nodes) node.completeWrites(this.now);
    if (chaos && this.prng.chance(this.options.proposeRate)) this.proposeAtRandomLeader();
    if (chaos && this.options.membership && this.prng.chance(this.options.membership.changeRate)) {
      this.changeMembershipAtRandom();
    }
    if (this.options.membership?.stopRemoved) this.stopRemoved();
    this.checker.afterStep(this.nodes);
  }

  /**
   * Stop a removed node once the leader that removed it committed the removal in its term.
   * With memory nodes a commit can still be lost (a quorum of them restarted): a stopped node
   * that a leader's configuration lists again is started again, as an operator would.
   */
  private stopRemoved(): void {
    for (const id of this.stopped) {
      if (this.leaders().some((leader) => leader.core!.configuration.configuration.members.some((m) => m.id === id))) {
        this.stopped.delete(id);
        this.node(id).start(this.now);
      }
    }
    this.removals = this.removals.filter(({ leader, term, index, id }) => {
      const core = leader.core;
      if (core === undefined || core.currentTerm !== term) return false; // outcome unknown: keep it
      if (core.status().commitIndex < index) return true;
      this.stopped.add(id);
      this.restartAt.delete(id);
      this.node(id).crash();
      return false;
    });
  }

  /**
   * Ask a leader for a random one-server change: add a spare (auto-promoted or not), promote a
   * learner, remove a member (a crashed voter preferably: a replacement; the leader itself
   * sometimes). Refusals (a change in progress, a learner behind …) are part of the game.
   *
   * Memory nodes stay a minority of the voters (what the static mixed runs have too): a quorum of
   * memory nodes that all restarted has forgotten everything, which no protocol survives. So a
   * memory spare joins without auto-promotion and is promoted, and a durable voter removed, only
   * while that holds.
   */
  changeMembershipAtRandom(): void {
    const { prng } = this;
    const leaders = this.leaders();
    if (leaders.length === 0) return;
    const leader = prng.pick(leaders);
    const { members } = leader.core!.configuration.configuration;
    const isMember = (id: NodeId): boolean => members.some((m) => m.id === id);
    const isMemory = (id: NodeId): boolean => this.node(id).options.storage === 'memory';
    const voters = members.filter((m) => m.role === 'voter');
    const memoryVoters = voters.filter((m) => isMemory(m.id)).length;
    const options: MembershipChange[] = [];
    const spare = this.nodes.find((n) => !this.everAdded.has(n.id));
    if (spare !== undefined && members.length < this.options.nodes + 2) {
      const promote = !isMemory(spare.id) && prng.chance(0.7);
      options.push({ kind: 'addLearner', id: spare.id, address: `${spare.id}:9326`, promote });
    }
    const learners = members.filter((m) => m.role === 'learner');
    const promotable = learners.filter((m) => !isMemory(m.id) || 2 * (memoryVoters + 1) < voters.length + 1);
    if (promotable.length > 0) options.push({ kind: 'promote', id: prng.pick(promotable).id });
    const removable = members.filter(
      (m) => m.role === 'learner' || isMemory(m.id) || 2 * memoryVoters < voters.length - 1 || memoryVoters === 0,
    );
    if (members.length > 2 && removable.length > 0) {
      const down = removable.filter((m) => !this.node(m.id).isUp);
      const victim = down.length > 0 && prng.chance(0.5) ? prng.pick(down) : prng.pick(removable);
      options.push({ kind: 'remove', id: victim.id });
    }
    if (options.length === 0 || !isMember(leader.id)) return;
    const change = prng.pick(options);
    const result = leader.changeMembership(change, this.now);
    if (result?.accepted) {
      this.changes[change.kind]++;
      if (change.kind === 'addLearner') this.everAdded.add(change.id);
      if (change.kind === 'remove') this.removals.push({ leader, term: result.term, index: result.index, id: change.id });
    }
  }

  /** Members of the configuration `leader` uses. */
  membersOf(leader: SimNode): SimNode[] {
    const { members } = leader.core!.configuration.configuration;
    return this.nodes.filter((n) => members.some((m) => m.id === n.id));
  }

  proposeAtRandomLeader(): void {
    const leaders = this.leaders();
    if (leaders.length === 0) return;
    const leader = this.prng.pick(leaders);
    this.propose(leader);
  }

  propose(node: SimNode): number | undefined {
    const payload = `p${++this.proposals}`;
    const accepted = node.propose(payload, this.now);
    if (accepted === undefined) return undefined;
    this.checker.proposed(node.id, accepted.term, accepted.index, payload);
    return accepted.index;
  }

  /** Steps without random faults until `done()` holds; throws after `maxSteps`. */
  runUntil(done: () => boolean, maxSteps = 2000, what = 'condition'): void {
    for (let i = 0; i < maxSteps; i++) {
      if (done()) return;
      this.step(false);
    }
    if (!done()) throw new Error(`${what} not reached in ${maxSteps} steps: ${this.describe()}`);
  }

  run(steps: number): void {
    for (let i = 0; i < steps; i++) this.step(false);
  }

  /** The single leader once elected (a stale one in a minority does not count if `among` excludes it). */
  awaitLeader(among: readonly NodeId[] = this.nodes.map((n) => n.id)): SimNode {
    const leaderAmong = (): SimNode | undefined => {
      const leaders = this.leaders().filter((n) => among.includes(n.id));
      return leaders.length === 1 ? leaders[0] : undefined;
    };
    this.runUntil(() => leaderAmong() !== undefined, 2000, `a leader among ${among.join(',')}`);
    return leaderAmong()!;
  }

  crash(id: NodeId, restartAfterSteps: number): void {
    this.node(id).crash();
    this.restartAt.set(id, this.steps + restartAfterSteps);
  }

  restart(id: NodeId): void {
    this.restartAt.delete(id);
    this.node(id).start(this.now);
  }

  private injectFaults(): void {
    const { prng } = this;
    if (prng.chance(this.options.crashRate)) {
      const up = this.nodes.filter((n) => n.isUp);
      if (up.length > 0) this.crash(prng.pick(up).id, prng.int(5, 80));
    }
    if (prng.chance(this.options.partitionRate)) {
      // Arbitrary splits into two or three groups, or a one-way cut between two nodes.
      const ways = prng.int(1, 3);
      if (ways === 1) {
        const from = prng.pick(this.nodes).id;
        const to = prng.pick(this.nodes.filter((n) => n.id !== from)).id;
        this.network.cut(from, to);
      } else {
        const groups: NodeId[][] = Array.from({ length: ways }, () => []);
        for (const node of this.nodes) groups[prng.int(0, ways - 1)]!.push(node.id);
        this.network.partition(groups);
      }
    }
    if (this.network.isPartitioned && prng.chance(this.options.healRate)) this.network.heal();
  }

  private restartDue(): void {
    for (const [id, at] of this.restartAt) {
      if (this.stopped.has(id)) continue;
      if (this.steps >= at) {
        this.restartAt.delete(id);
        this.node(id).start(this.now);
      }
    }
  }

  /** Heal everything, stop faults, and step until converged (or throw after `maxSteps`). */
  converge(maxSteps: number): SimNode {
    this.network.heal();
    this.network.faults = { ...this.network.faults, lossRate: 0, duplicateRate: 0 };
    for (const id of this.restartAt.keys()) this.restartAt.set(id, 0);
    let proposedFinal = false;
    for (let i = 0; i < maxSteps; i++) {
      this.step(false);
      const leaders = this.leaders();
      if (leaders.length !== 1) continue;
      const leader = leaders[0]!;
      // One more entry, so the final leader's log has something committed in its own term.
      if (!proposedFinal) {
        proposedFinal = this.propose(leader) !== undefined;
        continue;
      }
      if (this.converged(leader)) return leader;
    }
    throw new Error(`no convergence after ${maxSteps} quiet steps: ${this.describe()}`);
  }

  private converged(leader: SimNode): boolean {
    const status = leader.core!.status();
    if (status.commitIndex !== status.lastIndex) return false;
    // Every member — learners too — holds the leader's state; nodes removed are ignored.
    return this.membersOf(leader).every((node) => {
      const s = node.core?.status();
      return (
        s !== undefined &&
        s.term === status.term &&
        s.leader === leader.id &&
        node.machine.lastIndex === leader.machine.lastIndex &&
        node.machine.hashAt(node.machine.lastIndex) === leader.machine.hashAt(leader.machine.lastIndex) &&
        s.commitIndex === status.commitIndex
      );
    });
  }

  describe(): string {
    return this.nodes
      .map((node) => {
        const s = node.core?.status();
        if (s === undefined) return `${node.id}: down`;
        const peers = s.peers.map((p) => `${p.id}:${p.role}:${p.state}/${p.match}/${p.next}`).join(' ');
        const config = `config@${s.configuration.index}${s.configuration.committed ? '' : '?'}=${voterIds(s.configuration.configuration).join(',')}`;
        return `${node.id}: ${s.role} t${s.term} leader=${s.leader} last=${s.lastIndex}(t${s.lastTerm}) commit=${s.commitIndex} persisted=${s.persistedIndex} applied=${node.machine.lastIndex} ${config} ${peers}`;
      })
      .join('; ');
  }
}

/** A full randomized run: chaos, then convergence; the final leader must hold every promise. */
export function simulate(options: SimOptions, chaosSteps: number): SimCluster {
  const cluster = new SimCluster(options);
  try {
    for (let i = 0; i < chaosSteps; i++) cluster.step(true);
    const leader = cluster.converge(3000);
    if (options.storage === 'durable') cluster.checker.checkHasAllCommitted(leader, `final leader ${leader.id}`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`seed ${options.seed}, step ${cluster.steps}: ${message}`, { cause: error });
  }
  return cluster;
}
