/**
 * A running cluster: its nodes in order (`n1` first), the faults a test injects, and waits for
 * the leader and for convergence. Nodes are numbered from 1, like their ids and aliases:
 * `node(2)` is `n2` at `replimq-2`.
 */
import { expectAckModeHolds, expectConverged, expectReplicated } from './assertions.js';
import type { AckModeProbeOptions, AckModeProbeResult, ReplicatedOptions } from './assertions.js';
import type { CommitRecord } from './commit-log.js';
import type { MemberInfo } from './admin-client.js';
import type { ClusterRuntime, ControllableNode, RuntimeKind, SharedNodeOptions } from './cluster-runtime.js';
import { DEFAULT_MEMBERSHIP_TIMEOUT_MS, membersOf, removeMember, waitForMembers, type MembershipOptions } from './cluster-membership.js';
import { waitFor } from './clock.js';
import type { Clock } from './clock.js';
import { describeReports, reportNodes } from './cluster-view.js';
import type { ClusterView, NodeReport, NodeState } from './cluster-view.js';
import { waitForConvergence } from './convergence.js';
import type { ConvergenceOptions } from './convergence.js';
import { debugLog } from './debug-log.js';
import { InvalidOptionError } from './errors.js';
import { runExperiment } from './experiment/run-experiment.js';
import type { ExperimentResult } from './experiment/run-experiment.js';
import type { ExperimentOptions } from './experiment/options.js';
import type { StorageKind } from './node-options.js';
import type { SharedDatabase } from './postgres/shared-database.js';
import { databaseIndex, isSharedDb, sharedDbLag } from './shared-db-checks.js';
import { LinkHandle } from './link-faults/link-handle.js';
import type { LinkState } from './link-faults/link-proxies.js';

const log = debugLog('replimq:cluster');

export interface LeaderOptions {
  /** Only these nodes (1-based) may be the answer, e.g. the majority side of a partition. */
  among?: readonly number[];
  timeoutMs?: number;
}

/** How far a node's applied state trails the most advanced commit index in the cluster. */
export interface NodeLag {
  number: number;
  nodeId: string;
  state: NodeState;
  appliedIndex?: number;
  /** Entries behind the highest commit index any node reports; absent if it did not answer. */
  lag?: number;
}

/** What a node added later starts with: the options the cluster's nodes were started with. */
export interface NodeDefaults {
  nodeOptions: SharedNodeOptions;
  startupTimeoutMs: number;
}

export class StartedReplimqCluster implements ClusterView, AsyncDisposable {
  private readonly states: NodeState[];
  private readonly list: ControllableNode[];
  private stopped = false;

  constructor(
    private readonly runtime: ClusterRuntime,
    nodes: readonly ControllableNode[],
    private readonly clock?: Clock,
    /** Where the nodes keep their state (an experiment's `kill-all` needs SQLite). */
    readonly storage: StorageKind = 'memory',
    /** For `addNode()`; without them a node added gets the server's defaults and no secret. */
    private readonly defaults: NodeDefaults = { nodeOptions: {}, startupTimeoutMs: 60_000 },
  ) {
    this.list = [...nodes];
    this.states = nodes.map(() => 'running');
  }

  /** Every node started, in order (`n1` first), removed ones included (`stateOf` says `removed`). */
  get nodes(): readonly ControllableNode[] {
    return this.list;
  }

  get runtimeKind(): RuntimeKind {
    return this.runtime.kind;
  }

  get size(): number {
    return this.nodes.length;
  }

  node(number: number): ControllableNode {
    return this.list[this.checkNumber(number) - 1]!;
  }

  stateOf(number: number): NodeState {
    return this.states[this.checkNumber(number) - 1]!;
  }

  /** Waits until a node (in `among`, if given) reports itself leader; the highest term wins. */
  async leader(options: LeaderOptions = {}): Promise<ControllableNode> {
    const among = new Set((options.among ?? this.numbers()).map((number) => this.checkNumber(number)));
    let last: NodeReport[] = [];
    const report = await waitFor(
      `a leader among nodes ${[...among].join(', ')}`,
      async () => {
        last = await reportNodes(this);
        return last
          .filter((candidate) => among.has(candidate.number) && candidate.status?.role === 'leader')
          .sort((a, b) => b.status!.term - a.status!.term)[0];
      },
      { timeoutMs: options.timeoutMs ?? 15_000, intervalMs: 100, ...this.clockOption() },
      () => describeReports(last),
    );
    return this.node(report.number);
  }

  /** 1-based number of a node, e.g. of the one `leader()` returned. */
  numberOf(node: ControllableNode): number {
    const index = this.nodes.indexOf(node);
    if (index < 0) throw new InvalidOptionError(`node ${node.nodeId} is not a member of this cluster`);
    return index + 1;
  }

  /**
   * Starts one more node (the next number: n4 after n1–n3) that joins the running cluster with
   * `--join`; resolves once the leader made it a voter (it caught up by snapshot and log).
   */
  async addNode(options: MembershipOptions = {}): Promise<ControllableNode> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_MEMBERSHIP_TIMEOUT_MS;
    const number = this.list.length + 1;
    const via = this.numbers().filter((candidate) => this.stateOf(candidate) === 'running');
    if (via.length === 0) throw new InvalidOptionError('no running node to join through');
    log(`adding node ${number} through [${via.join(', ')}]`);
    const node = await this.runtime.addNode(number, { ...this.defaults, via });
    this.list.push(node);
    this.states.push('running');
    await waitForMembers(
      () => this.leader({ timeoutMs }),
      `${node.nodeId} to become a voter`,
      (members) => members.some((member) => member.id === node.nodeId && member.role === 'voter'),
      timeoutMs,
      this.clock,
    );
    return node;
  }

  /**
   * Takes node `number` out of the configuration (through the leader, forwarded by any member)
   * and stops it; a killed node is removed too. Its state becomes `removed`.
   */
  async removeNode(number: number, options: MembershipOptions = {}): Promise<void> {
    const state = this.stateOf(number);
    if (state === 'removed') return;
    const timeoutMs = options.timeoutMs ?? DEFAULT_MEMBERSHIP_TIMEOUT_MS;
    const node = this.node(number);
    const others = this.numbers().filter((other) => other !== number && this.stateOf(other) === 'running');
    if (others.length === 0) throw new InvalidOptionError(`node ${number} is the last running node; nothing could remove it`);
    log(`removing node ${number}`);
    // Asked of another running member, which forwards it to the leader (the leader itself may be
    // the one removed: it steps down once the change commits).
    const via = async (): Promise<ControllableNode> => this.node(others.find((other) => this.stateOf(other) === 'running') ?? others[0]!);
    await removeMember(via, node.nodeId, timeoutMs, this.clock);
    if (state === 'paused') await node.unpause().catch(() => {});
    await node.stop();
    this.setState(number, 'removed');
  }

  /**
   * Replaces node `number` (typically a dead one) by a new node: the new one joins and becomes a
   * voter first, then the old one is removed, so the cluster never has fewer voters than before.
   */
  async replaceNode(number: number, options: MembershipOptions = {}): Promise<ControllableNode> {
    this.checkNumber(number);
    const added = await this.addNode(options);
    await this.removeNode(number, options);
    return added;
  }

  /** The configuration as the leader reports it: each member's id, gRPC address, voter or learner. */
  async members(): Promise<MemberInfo[]> {
    return (await membersOf(await this.leader())).members;
  }

  /** SIGKILL; killing a node that is already down does nothing. */
  async kill(number: number): Promise<void> {
    if (this.stateOf(number) === 'killed') return;
    this.refuseRemoved(number, 'killed');
    await this.node(number).kill();
    this.setState(number, 'killed');
  }

  /** Freezes a running node; pausing a paused one does nothing. */
  async pause(number: number): Promise<void> {
    // The runtimes disagreed here (Docker: a 409 about the container; a process: silently
    // "paused" with nothing to freeze), so the cluster decides, the same way for both.
    const state = this.stateOf(number);
    if (state === 'paused') return;
    if (state === 'killed') throw new InvalidOptionError(`node ${number} is killed, so it cannot be paused; restart(${number}) brings it back`);
    this.refuseRemoved(number, 'paused');
    await this.node(number).pause();
    this.setState(number, 'paused');
  }

  /** Resumes a paused node; unpausing a running one does nothing. */
  async unpause(number: number): Promise<void> {
    const state = this.stateOf(number);
    if (state === 'running') return;
    if (state === 'killed') throw new InvalidOptionError(`node ${number} is killed, not paused; restart(${number}) brings it back`);
    this.refuseRemoved(number, 'unpaused');
    await this.node(number).unpause();
    this.setState(number, 'running');
    await this.runtime.nodeBack(number);
  }

  /** Brings a node back (after `kill()` too) with its data; resolves when it is healthy again. */
  async restart(number: number): Promise<void> {
    this.refuseRemoved(number, 'restarted');
    if (this.stateOf(number) === 'paused') await this.node(number).unpause();
    await this.node(number).restart();
    this.setState(number, 'running');
    await this.runtime.nodeBack(number);
  }

  /**
   * Shared-db clusters (`withSharedPostgres()`): ends every database session of node `number`, as
   * a network cut or `pg_terminate_backend` would. Resolves with how many sessions were ended.
   */
  async cutDatabase(number: number): Promise<number> {
    return this.sharedDatabase().cutSessionsOf(this.node(number).nodeId);
  }

  /** Shared-db clusters: restarts the PostgreSQL the nodes share (every session ends). */
  async restartDatabase(): Promise<void> {
    await this.sharedDatabase().restart();
  }

  /** Shared-db clusters: the database URL the nodes use, for the test's own checks (on the
   *  container runtime, valid on the cluster network). */
  get databaseUrl(): string | undefined {
    return this.runtime.database?.url;
  }

  /** Shared-db clusters: the database, which the assertions check answers against. */
  get database(): SharedDatabase | undefined {
    return this.runtime.database;
  }

  /**
   * Cuts all traffic between `sideA` and the rest. `sideB` may be given to be explicit; nodes in
   * neither list join side B. A second call replaces the first partition.
   */
  async partition(sideA: readonly number[], sideB?: readonly number[]): Promise<void> {
    const a = this.checkSide('sideA', sideA);
    const rest = this.numbers().filter((number) => !a.includes(number));
    if (sideB) {
      const overlap = this.checkSide('sideB', sideB).filter((number) => a.includes(number));
      if (overlap.length > 0) throw new InvalidOptionError(`nodes ${overlap.join(', ')} are on both sides of the partition`);
    }
    if (rest.length === 0) throw new InvalidOptionError('a partition needs a node on each side');
    log(`partition [${a.join(', ')}] | [${rest.join(', ')}]`);
    await this.runtime.partition(a, rest, (number) => this.stateOf(number) === 'running');
  }

  async heal(): Promise<void> {
    await this.runtime.heal();
  }

  /** Clusters started `withLinkFaults()`: the faults on what node `from` sends node `to` (client/README.md, "Link faults"). */
  link(from: number, to: number): LinkHandle {
    if (this.checkNumber(from) === this.checkNumber(to)) throw new InvalidOptionError(`a link joins two nodes; got n${from} → n${to}`);
    return new LinkHandle(this.linkProxies(), from, to);
  }

  /** Every link fault set with `link()` off (a partition stays until `heal()`). */
  async healLinks(): Promise<void> {
    await this.linkProxies().healAll();
  }

  /** Every directed link's faults and open connections, as the proxies see them. */
  linkStates(): Promise<LinkState[]> {
    return this.linkProxies().states();
  }

  /** Whether the cluster was started `withLinkFaults()`. */
  get hasLinkFaults(): boolean {
    return this.runtime.links !== undefined;
  }

  /** Resolves when every running node converged; throws naming the difference otherwise. */
  async waitForConvergence(options: ConvergenceOptions = {}): Promise<NodeReport[]> {
    return waitForConvergence(this, { ...this.clockOption(), ...options });
  }

  /** `expectReplicated(cluster, message, options)`: the message is applied on `on` nodes. */
  expectReplicated(message: string | CommitRecord, options: ReplicatedOptions): Promise<NodeReport[]> {
    return expectReplicated(this, message, { ...this.clockOption(), ...options });
  }

  /** `expectAckModeHolds(cluster, options)`: probe sends keep the ack mode's promise. */
  expectAckModeHolds(options: AckModeProbeOptions): Promise<AckModeProbeResult> {
    return expectAckModeHolds(this, options);
  }

  /** `expectConverged(cluster, options)`. */
  expectConverged(options: ConvergenceOptions = {}): Promise<NodeReport[]> {
    return expectConverged(this, { ...this.clockOption(), ...options });
  }

  /**
   * A failure experiment (client/README.md, "Failure experiments"): a seeded workload and
   * nemesis, heal-and-drain, and a checked history with a verdict per ack mode.
   */
  experiment(options: ExperimentOptions = {}): Promise<ExperimentResult> {
    return runExperiment(this, this.storage, options);
  }

  /** Per-node applied index and lag behind the highest commit index seen. */
  async replicationLag(): Promise<NodeLag[]> {
    const reports = await reportNodes(this);
    // A shared-db group: every node sees the active node's state (shared-db-checks.ts).
    if (isSharedDb(reports)) return sharedDbLag(reports, await databaseIndex(this));
    const commitIndex = Math.max(0, ...reports.map((report) => report.status?.commitIndex ?? 0));
    return reports.map(({ number, nodeId, state, status }) => ({
      number,
      nodeId,
      state,
      ...(status ? { appliedIndex: status.appliedIndex, lag: Math.max(0, commitIndex - status.appliedIndex) } : {}),
    }));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.runtime.heal().catch(() => {});
    await this.runtime.stop();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  private numbers(): number[] {
    return this.list.map((_, index) => index + 1);
  }

  private refuseRemoved(number: number, what: string): void {
    if (this.stateOf(number) === 'removed') {
      throw new InvalidOptionError(`node ${number} was removed from the cluster, so it cannot be ${what}; addNode() starts a new one`);
    }
  }

  private setState(number: number, state: NodeState): void {
    this.states[number - 1] = state;
  }

  private checkNumber(number: number): number {
    if (!Number.isInteger(number) || number < 1 || number > this.list.length) {
      throw new InvalidOptionError(`nodes are numbered 1 to ${this.list.length}; got ${number}`);
    }
    return number;
  }

  private checkSide(name: string, side: readonly number[]): number[] {
    if (side.length === 0) throw new InvalidOptionError(`${name} of a partition must name at least one node`);
    return [...new Set(side.map((number) => this.checkNumber(number)))];
  }

  private linkProxies() {
    const links = this.runtime.links;
    if (!links) throw new InvalidOptionError('this cluster has no link proxies: start it withLinkFaults()');
    return links;
  }

  private sharedDatabase() {
    const database = this.runtime.database;
    if (!database) throw new InvalidOptionError('this cluster has no shared database: start it withSharedPostgres()');
    return database;
  }

  private clockOption(): { clock?: Clock } {
    return this.clock ? { clock: this.clock } : {};
  }
}

/** Formation: every node follows one and the same leader, which says it is leader. */
export function formationProblem(reports: readonly NodeReport[]): NodeReport | undefined {
  const leaderIds = new Set(reports.map((report) => report.status?.leaderId));
  const agreed = leaderIds.size === 1 ? [...leaderIds][0] : undefined;
  const leader = reports.find((report) => report.nodeId === agreed);
  if (agreed && leader?.status?.role === 'leader') return undefined;
  // The node to blame, most telling first: one that is not running at all; one that follows (or
  // is) a leader other than the one most nodes agree on; one that leads alone; then one that does
  // not answer or knows no leader yet — on a loaded machine those two are often only slow, so
  // they are blamed only when nothing clearer explains the failure.
  const counts = new Map<string | null | undefined, number>();
  for (const id of leaderIds) counts.set(id, reports.filter((report) => report.status?.leaderId === id).length);
  const [majorityView, majorityCount = 0] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
  const agreedMajority = typeof majorityView === 'string' && majorityCount > 1 ? majorityView : undefined;
  return (
    reports.find((report) => report.state !== 'running') ??
    (agreedMajority ? reports.find((report) => report.status?.leaderId && report.status.leaderId !== agreedMajority) : undefined) ??
    reports.find((report) => report.status?.role === 'leader' && counts.get(report.nodeId) === 1) ??
    reports.find((report) => !report.status) ??
    reports.find((report) => report.status?.leaderId === null) ??
    reports.find((report) => report.status?.leaderId !== majorityView) ??
    reports.find((report) => report.nodeId === agreed) ??
    reports[0]
  );
}
