/**
 * How a cluster's nodes are run: in Docker containers or as child processes. The started cluster
 * and the assertions only see this interface, so every scenario runs on both.
 */
import type { ClusterLinks } from './link-faults/cluster-links.js';
import type { NodeOptions } from './node-options.js';
import type { SharedDatabase } from './postgres/shared-database.js';
import type { ReplimqNode } from './replimq-node.js';

export type RuntimeKind = 'container' | 'process';

/** A started node the cluster can crash, freeze and bring back. */
export interface ControllableNode extends ReplimqNode {
  /** SIGKILL: the node stops at once; its data (sqlite) stays for `restart()`. */
  kill(): Promise<void>;
  /** Freeze (SIGSTOP / cgroup freezer): the node answers nothing until `unpause()`. */
  pause(): Promise<void>;
  unpause(): Promise<void>;
  /** Start again with the same identity, address and data; resolves when healthy. */
  restart(): Promise<void>;
  stop(): Promise<unknown>;
}

/** Options every node of the cluster shares; ids and peers are the runtime's to wire. */
export type SharedNodeOptions = Omit<NodeOptions, 'nodeId' | 'peers' | 'join'>;

/** A node started into a running cluster (`cluster.addNode()`): it asks `via` to add it. */
export interface JoinSpec {
  nodeOptions: SharedNodeOptions;
  startupTimeoutMs: number;
  /** Numbers of running members it may ask (any of them forwards to the leader). */
  via: readonly number[];
}

export interface ClusterSpec {
  size: number;
  nodeOptions: SharedNodeOptions;
  startupTimeoutMs: number;
  /** Every node reaches every other through a link proxy of its own (link-faults/), seeded. */
  linkFaults?: { seed: number };
}

export interface ClusterRuntime {
  readonly kind: RuntimeKind;
  /**
   * Starts all nodes at once (a node is healthy only once a leader is known, so starting them one
   * by one would never finish) and resolves with them in order, `n1` first. Rejects with a
   * `NodeStartError` of the first node that did not come up, after removing the others.
   */
  startNodes(spec: ClusterSpec): Promise<ControllableNode[]>;
  /**
   * Cuts all traffic between the two sides (node numbers are 1-based). `isUp(number)` says whether
   * the test left that node running: a killed or frozen node cannot be told anything now, so the
   * cut must hold for it through `nodeBack()` once it runs again.
   */
  partition(sideA: readonly number[], sideB: readonly number[], isUp: (number: number) => boolean): Promise<void>;
  /** Removes every cut made by `partition()`, also on nodes that are down now (via `nodeBack()`). */
  heal(): Promise<void>;
  /** Node `number` runs again (restarted or unpaused): give it its part of the current partition. */
  nodeBack(number: number): Promise<void>;
  /**
   * Starts node `number` (the next one: n4 after n1–n3) with `--join` to the members `via` names,
   * on the cluster's network; resolves once it is healthy (it caught up as a learner).
   */
  addNode(number: number, spec: JoinSpec): Promise<ControllableNode>;
  /** Stops every node and removes what the runtime created (networks, data directories). */
  stop(): Promise<void>;
  /** The PostgreSQL the nodes share, on a cluster started `withSharedPostgres()`. */
  readonly database?: SharedDatabase;
  /** The directed links' proxies, on a cluster started `withLinkFaults()`. */
  readonly links?: ClusterLinks;
}

/** `n1`, `n2`, … */
export function nodeIdOf(nodeNumber: number): string {
  return `n${nodeNumber}`;
}
