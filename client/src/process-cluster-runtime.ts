/**
 * Cluster nodes as child processes on 127.0.0.1. Ports are fixed before start so that every
 * node's `--peers` names them; a partition is made with the admin fault API (each side drops all
 * gRPC traffic to and from the other), since processes share the host's network.
 */
import type { ClusterRuntime, ClusterSpec, ControllableNode } from './cluster-runtime.js';
import { nodeIdOf } from './cluster-runtime.js';
import { allocatePorts, ReplimqProcess } from './process-node.js';
import type { StartedReplimqProcess } from './process-node.js';
import { startAllOrNone } from './start-all.js';

export interface ProcessRuntimeOptions {
  /** Path of the server's bin/replimq.js (default: see server-bin.ts). */
  bin?: string;
}

export class ProcessClusterRuntime implements ClusterRuntime {
  readonly kind = 'process';
  private nodes: StartedReplimqProcess[] = [];
  private partitioned = false;

  constructor(private readonly options: ProcessRuntimeOptions = {}) {}

  async startNodes(spec: ClusterSpec): Promise<ControllableNode[]> {
    const numbers = Array.from({ length: spec.size }, (_, index) => index + 1);
    const ports = await Promise.all(numbers.map(() => allocatePorts()));
    const peers = numbers.map((number) => ({ id: nodeIdOf(number), host: '127.0.0.1', port: ports[number - 1]!.grpc }));
    this.nodes = await startAllOrNone(numbers, (number) =>
      new ReplimqProcess({
        ...spec.nodeOptions,
        ...(this.options.bin ? { bin: this.options.bin } : {}),
        nodeId: nodeIdOf(number),
        peers,
        ports: ports[number - 1]!,
        startupTimeoutMs: spec.startupTimeoutMs,
      }).start(),
    );
    return this.nodes;
  }

  async partition(sideA: readonly number[], sideB: readonly number[]): Promise<void> {
    await this.heal();
    const idsOf = (side: readonly number[]) => side.map(nodeIdOf);
    await Promise.all([
      ...sideA.map((number) => this.nodeAt(number).admin().setFaults({ isolate: idsOf(sideB) })),
      ...sideB.map((number) => this.nodeAt(number).admin().setFaults({ isolate: idsOf(sideA) })),
    ]);
    this.partitioned = true;
  }

  async heal(): Promise<void> {
    if (!this.partitioned) return;
    // A killed or paused node does not answer; the other side's rules already cut it off.
    await Promise.allSettled(this.nodes.map((node) => node.admin().clearFaults()));
    this.partitioned = false;
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.nodes.map((node) => node.stop()));
    this.nodes = [];
  }

  private nodeAt(number: number): StartedReplimqProcess {
    const node = this.nodes[number - 1];
    if (!node) throw new RangeError(`no node ${number}`);
    return node;
  }
}
