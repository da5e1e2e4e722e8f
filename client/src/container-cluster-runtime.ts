/**
 * Cluster nodes in Docker: one container per node on a network of the cluster's own, reachable
 * from each other as `replimq-1..N`. A partition is a real cut: side A's containers leave the
 * cluster network for a second network where they keep their aliases, so they still reach each
 * other but nothing on side B. Host ports are fixed per node, so that the test reaches a node at
 * the same endpoint after it moved networks or restarted (Docker re-draws random ones).
 */
import { randomUUID } from 'node:crypto';
import { StartedNetwork, getContainerRuntimeClient } from 'testcontainers';
import { ReplimqContainer, defaultImage } from './container.js';
import { ensureImageAvailable } from './image-check.js';
import type { StartedReplimqContainer } from './container.js';
import type { ClusterRuntime, ClusterSpec, ControllableNode, JoinSpec } from './cluster-runtime.js';
import { nodeIdOf } from './cluster-runtime.js';
import { debugLog } from './debug-log.js';
import { rememberEngine, trackNetwork } from './exit-cleanup.js';
import { engineAddress } from './docker-engine.js';
import { ownerLabels, sweepOrphansOnce } from './orphan-sweep.js';
import { reaperLabels, reaperSession } from './reaper-session.js';
import { freePort } from './free-port.js';
import { GRPC_PORT } from './ports.js';
import { startAllOrNone } from './start-all.js';
import { startContainerSharedDatabase } from './postgres/container-postgres.js';
import { sharedDbEnvironment, type SharedDatabase } from './postgres/shared-database.js';
import type { ClusterLinks } from './link-faults/cluster-links.js';
import { startLinkSidecar } from './link-faults/link-sidecar.js';

const log = debugLog('replimq:cluster');

export function aliasOf(nodeNumber: number): string {
  return `replimq-${nodeNumber}`;
}

interface TrackedNetwork {
  network: StartedNetwork;
  untrack: () => void;
}

export class ContainerClusterRuntime implements ClusterRuntime {
  readonly kind = 'container';
  private nodes: StartedReplimqContainer[] = [];
  private clusterNetwork: TrackedNetwork | undefined;
  private splitNetwork: TrackedNetwork | undefined;
  private splitSide: number[] = [];
  database: SharedDatabase | undefined;
  links: ClusterLinks | undefined;

  /** `sharedPostgres`: the nodes form a shared-db group on a PostgreSQL container of the cluster's own. */
  constructor(
    private readonly image?: string,
    private readonly sharedPostgres = false,
  ) {}

  async startNodes(spec: ClusterSpec): Promise<ControllableNode[]> {
    // Before the network exists, so that a missing image leaves nothing to remove.
    await ensureImageAvailable(this.image ?? defaultImage());
    this.clusterNetwork = await startNetwork();
    const network = this.clusterNetwork.network;
    if (this.sharedPostgres) {
      this.database = await startContainerSharedDatabase(network, spec.startupTimeoutMs).catch(async (error: unknown) => {
        await this.removeNetworks();
        throw error;
      });
    }
    const numbers = Array.from({ length: spec.size }, (_, index) => index + 1);
    const peers = numbers.map((number) => ({ id: nodeIdOf(number), host: aliasOf(number), port: GRPC_PORT }));
    const hostPorts = await Promise.all(numbers.map(async () => ({ sqs: await freePort(), admin: await freePort() })));
    if (spec.linkFaults) {
      this.links = await startLinkSidecar(network, this.image ?? defaultImage(), spec.size, GRPC_PORT, aliasOf, spec.linkFaults.seed).catch(async (error: unknown) => {
        await this.removeNetworks();
        throw error;
      });
    }
    log(`starting ${spec.size} containers on network ${network.getName()}`);
    this.nodes = await startAllOrNone(numbers, (number) => {
      const container = new ReplimqContainer(this.image)
        .withClusterNetwork(network, aliasOf(number))
        .withNodeId(nodeIdOf(number))
        // A shared-db group's nodes find each other in the database: no --peers.
        .withPeers(this.database ? [] : (this.links?.peersOf(number) ?? peers))
        .withHostPorts(hostPorts[number - 1]!)
        .withStartupTimeout(spec.startupTimeoutMs);
      applySharedOptions(container, spec);
      if (this.database) container.withEnvironment(sharedDbEnvironment(this.database));
      return container.start();
    }).catch(async (error: unknown) => {
      await this.stopDatabase();
      await this.stopLinks();
      await this.removeNetworks();
      throw error;
    });
    return this.nodes;
  }

  async addNode(number: number, spec: JoinSpec): Promise<ControllableNode> {
    const network = this.requireClusterNetwork();
    const container = new ReplimqContainer(this.image)
      .withClusterNetwork(network, aliasOf(number))
      .withNodeId(nodeIdOf(number))
      .withJoin(spec.via.map((member) => ({ id: nodeIdOf(member), host: aliasOf(member), port: GRPC_PORT })))
      // Members dial it by its alias, which stays when a partition moves it to another network.
      .withEnvironment({ REPLIMQ_ADVERTISE_ADDRESS: `${aliasOf(number)}:${GRPC_PORT}` })
      .withHostPorts({ sqs: await freePort(), admin: await freePort() })
      .withStartupTimeout(spec.startupTimeoutMs);
    applySharedOptions(container, { size: 1, nodeOptions: spec.nodeOptions, startupTimeoutMs: spec.startupTimeoutMs });
    const node = await container.start();
    this.nodes[number - 1] = node;
    return node;
  }

  /** Network membership survives kill, pause and restart: down nodes are moved like the others. */
  async partition(sideA: readonly number[], sideB: readonly number[]): Promise<void> {
    await this.heal();
    // Through link proxies, nodes reach each other via the sidecar: moving networks would cut a side off from itself.
    if (this.links) return this.links.partition(sideA, sideB);
    const client = await getContainerRuntimeClient();
    this.splitNetwork = await startNetwork();
    const cluster = client.network.getById(this.requireClusterNetwork().getId());
    const split = client.network.getById(this.splitNetwork.network.getId());
    for (const number of sideA) {
      const container = client.container.getById(this.nodeAt(number).getId());
      // Join the split network first: the container keeps a route for its published ports.
      await client.container.connectToNetwork(container, split, [aliasOf(number)]);
      await cluster.disconnect({ Container: container.id, Force: true });
      // Recorded per node, so that heal() undoes a partition that failed half-way too.
      this.splitSide.push(number);
    }
    log(`partitioned: [${sideA.join(', ')}] moved to ${this.splitNetwork.network.getName()}`);
  }

  async nodeBack(): Promise<void> {
    // Nothing to do: a container keeps its networks across kill, pause and restart.
  }

  async heal(): Promise<void> {
    await this.links?.healPartition();
    if (!this.splitNetwork) return;
    const client = await getContainerRuntimeClient();
    const cluster = client.network.getById(this.requireClusterNetwork().getId());
    const split = client.network.getById(this.splitNetwork.network.getId());
    for (const number of this.splitSide) {
      const container = client.container.getById(this.nodeAt(number).getId());
      await client.container.connectToNetwork(container, cluster, [aliasOf(number)]);
      await split.disconnect({ Container: container.id, Force: true });
    }
    await this.splitNetwork.network.stop();
    this.splitNetwork.untrack();
    this.splitNetwork = undefined;
    this.splitSide = [];
    log('healed');
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.nodes.map((node) => node.stop()));
    this.nodes = [];
    await this.stopDatabase();
    await this.stopLinks();
    await this.removeNetworks();
  }

  private async stopDatabase(): Promise<void> {
    await this.database?.stop().catch(() => {});
    this.database = undefined;
  }

  private async stopLinks(): Promise<void> {
    await this.links?.stop();
    this.links = undefined;
  }

  private async removeNetworks(): Promise<void> {
    for (const tracked of [this.splitNetwork, this.clusterNetwork]) {
      if (!tracked) continue;
      await tracked.network.stop();
      tracked.untrack();
    }
    this.splitNetwork = undefined;
    this.clusterNetwork = undefined;
  }

  private nodeAt(number: number): StartedReplimqContainer {
    const node = this.nodes[number - 1];
    if (!node) throw new RangeError(`no node ${number}`);
    return node;
  }

  private requireClusterNetwork(): StartedNetwork {
    if (!this.clusterNetwork) throw new Error('the cluster is not started');
    return this.clusterNetwork.network;
  }
}

/** A bridge network labelled with its owner (testcontainers' `Network` takes no labels). */
async function startNetwork(): Promise<TrackedNetwork> {
  await sweepOrphansOnce();
  const client = await getContainerRuntimeClient();
  rememberEngine(engineAddress(client));
  const name = `replimq-${randomUUID().slice(0, 8)}`;
  // Ryuk (where it runs) removes it too, as it would a testcontainers Network.
  const labels = { ...ownerLabels(), ...reaperLabels(await reaperSession()) };
  const created = await client.network.create({ Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: labels });
  const network = new StartedNetwork(client, name, created);
  return { network, untrack: trackNetwork(network.getId()) };
}

function applySharedOptions(container: ReplimqContainer, { nodeOptions }: ClusterSpec): void {
  if (nodeOptions.storage) container.withStorage(nodeOptions.storage);
  if (nodeOptions.ackMode) container.withAckMode(nodeOptions.ackMode);
  if (nodeOptions.logLevel) container.withLogLevel(nodeOptions.logLevel);
  if (nodeOptions.queues) container.withQueues(nodeOptions.queues);
  if (nodeOptions.environment) container.withEnvironment(nodeOptions.environment);
}
