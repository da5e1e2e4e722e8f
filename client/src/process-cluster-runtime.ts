/**
 * Cluster nodes as child processes on 127.0.0.1. Ports are fixed before start so that every
 * node's `--peers` names them; a partition is made with the admin fault API (each side drops all
 * gRPC traffic to and from the other), since processes share the host's network.
 */
import type { FaultSpec } from './admin-client.js';
import type { ClusterRuntime, ClusterSpec, ControllableNode, JoinSpec } from './cluster-runtime.js';
import { nodeIdOf } from './cluster-runtime.js';
import { allocatePorts, ReplimqProcess } from './process-node.js';
import type { StartedReplimqProcess } from './process-node.js';
import { startAllOrNone } from './start-all.js';
import { sharedDbEnvironment, startLocalSharedDatabase, type SharedDatabase } from './postgres/shared-database.js';
import type { ClusterLinks } from './link-faults/cluster-links.js';
import { startProcessLinks } from './link-faults/process-links.js';

export interface ProcessRuntimeOptions {
  /** Path of the server's bin/replimq.js (default: see server-bin.ts). */
  bin?: string;
  /** Nodes on one PostgreSQL database (a shared-db group) instead of a raft cluster. */
  sharedPostgres?: boolean;
}

export class ProcessClusterRuntime implements ClusterRuntime {
  readonly kind = 'process';
  private nodes: StartedReplimqProcess[] = [];
  /** Each node's part of the current partition (empty when healed). */
  private readonly rules = new Map<number, FaultSpec>();
  /** Nodes that were down when heal() cleared the rules, and may still hold them. */
  private readonly holdingStaleRules = new Set<number>();
  database: SharedDatabase | undefined;
  links: ClusterLinks | undefined;

  constructor(private readonly options: ProcessRuntimeOptions = {}) {}

  async startNodes(spec: ClusterSpec): Promise<ControllableNode[]> {
    const numbers = Array.from({ length: spec.size }, (_, index) => index + 1);
    const ports = await Promise.all(numbers.map(() => allocatePorts()));
    // A shared-db group's nodes find each other in the database: no --peers.
    if (this.options.sharedPostgres) this.database = await startLocalSharedDatabase();
    const shared = this.database
      ? { environment: { ...spec.nodeOptions.environment, ...sharedDbEnvironment(this.database) } }
      : {};
    const peers = this.database ? [] : numbers.map((number) => ({ id: nodeIdOf(number), host: '127.0.0.1', port: ports[number - 1]!.grpc }));
    if (spec.linkFaults) this.links = await startProcessLinks(spec.size, (number) => ports[number - 1]!.grpc, spec.linkFaults.seed);
    this.nodes = await startAllOrNone(numbers, (number) =>
      new ReplimqProcess({
        ...spec.nodeOptions,
        ...shared,
        ...(this.options.bin ? { bin: this.options.bin } : {}),
        nodeId: nodeIdOf(number),
        peers: this.links?.peersOf(number) ?? peers,
        ports: ports[number - 1]!,
        startupTimeoutMs: spec.startupTimeoutMs,
      }).start(),
    );
    return this.nodes;
  }

  async addNode(number: number, spec: JoinSpec): Promise<ControllableNode> {
    const via = spec.via.map((member) => ({ id: nodeIdOf(member), host: '127.0.0.1', port: this.nodeAt(member).ports.grpc }));
    const node = await new ReplimqProcess({
      ...spec.nodeOptions,
      ...(this.options.bin ? { bin: this.options.bin } : {}),
      nodeId: nodeIdOf(number),
      join: via,
      startupTimeoutMs: spec.startupTimeoutMs,
    }).start();
    this.nodes[number - 1] = node;
    return node;
  }

  async partition(sideA: readonly number[], sideB: readonly number[], isUp: (number: number) => boolean): Promise<void> {
    await this.heal();
    const idsOf = (side: readonly number[]) => side.map(nodeIdOf);
    // Recorded before anything is sent, so that heal() also undoes a partition that failed half-way.
    for (const number of sideA) this.rules.set(number, { isolate: idsOf(sideB) });
    for (const number of sideB) this.rules.set(number, { isolate: idsOf(sideA) });
    // A killed or frozen node cannot take its rules now; the other side's rules cut it off until
    // nodeBack() gives it its own.
    await Promise.all([...this.rules.keys()].filter(isUp).map((number) => this.applyRules(number)));
  }

  async heal(): Promise<void> {
    if (this.rules.size === 0) return;
    this.rules.clear();
    await Promise.all(
      this.nodes.map(async (node, index) => {
        // A frozen node does not answer; it is cleared when it runs again (a killed one lost its
        // rules with its process).
        await node.admin().clearFaults().then(
          () => this.holdingStaleRules.delete(index + 1),
          () => this.holdingStaleRules.add(index + 1),
        );
      }),
    );
  }

  /** Fault rules live in the node's memory: a restarted node lost them, an unpaused one may hold stale ones. */
  async nodeBack(number: number): Promise<void> {
    if (this.rules.has(number)) {
      await this.applyRules(number);
    } else if (this.holdingStaleRules.has(number)) {
      await this.nodeAt(number).admin().clearFaults();
      this.holdingStaleRules.delete(number);
    }
  }

  private async applyRules(number: number): Promise<void> {
    await this.nodeAt(number).admin().setFaults(this.rules.get(number)!);
    this.holdingStaleRules.delete(number);
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.nodes.map((node) => node.stop()));
    this.nodes = [];
    await this.links?.stop();
    this.links = undefined;
    await this.database?.stop();
    this.database = undefined;
  }

  private nodeAt(number: number): StartedReplimqProcess {
    const node = this.nodes[number - 1];
    if (!node) throw new RangeError(`no node ${number}`);
    return node;
  }
}
