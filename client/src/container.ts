/**
 * One replimq node in a Docker container, in the manner of testcontainers' own modules: defaults
 * in the constructor, fluent `withX()` that check their input at once, and `start()` returning a
 * started container with the node's endpoints and ready clients.
 */
import { createHash } from 'node:crypto';
import { chaosEnvironment } from './chaos-spec.js';
import type { ChaosSpec } from './chaos-spec.js';
import { AbstractStartedContainer, GenericContainer, getContainerRuntimeClient } from 'testcontainers';
import type { StartedNetwork, StartedTestContainer } from 'testcontainers';
import type { SQSClient, SQSClientConfig } from '@aws-sdk/client-sqs';
import { AdminClient, type AdminClientOptions } from './admin-client.js';
import { ADMIN_TOKEN_ENV, adminTokenFor, reusableAdminToken } from './admin-token.js';
import { debugLog } from './debug-log.js';
import { InvalidOptionError, NodeStartError, describeError } from './errors.js';
import { rememberEngine, trackContainer } from './exit-cleanup.js';
import { engineAddress } from './docker-engine.js';
import { ensureImageAvailable } from './image-check.js';
import { HealthWaitStrategy } from './health-wait-strategy.js';
import { LogTail } from './log-tail.js';
import { ownerLabels, sweepOrphansOnce } from './orphan-sweep.js';
import {
  checkAckMode,
  checkLogLevel,
  checkNodeId,
  checkPeers,
  checkQueues,
  checkStorage,
  optionFlags,
} from './node-options.js';
import type { AckMode, LogLevel, NodeOptions, PeerAddress, StorageKind } from './node-options.js';
import { ADMIN_PORT, GRPC_PORT, SQS_PORT } from './ports.js';
import type { QueueConfig } from './queue-config.js';
import { renderConfigFile } from './queue-config.js';
import type { ReplimqNode } from './replimq-node.js';
import { SQS_CREDENTIALS, SQS_REGION, createSqsClient, queueUrlOf } from './sqs-client.js';
import type { SqsCredentials } from './sqs-client.js';
import { reaperSession } from './reaper-session.js';
import { serverVersion } from './server-version.js';

/**
 * `replimq:<version of the replimq package>`, built on first use (image-build.ts) when the engine
 * does not have it; `REPLIMQ_IMAGE` overrides it.
 */
export const DEFAULT_IMAGE = `replimq:${serverVersion()}`;

/** The image a node runs unless told otherwise: `REPLIMQ_IMAGE`, else `replimq:<version>`. */
export function defaultImage(): string {
  return process.env.REPLIMQ_IMAGE ?? DEFAULT_IMAGE;
}
const CONFIG_PATH = '/etc/replimq/config.json';
const STARTUP_TIMEOUT_MS = 60_000;
/** On a reusable container: a digest of its config file, which the reuse hash would not see. */
const CONFIG_DIGEST_LABEL = 'org.replimq.testkit.config-sha256';
const log = debugLog('replimq:container');

export class ReplimqContainer extends GenericContainer {
  private readonly options: NodeOptions = {};
  private readonly logTail = new LogTail();

  constructor(image: string = defaultImage()) {
    super(image);
    this.withExposedPorts(SQS_PORT, ADMIN_PORT, GRPC_PORT)
      // The image has no shell, so the default port check (which execs inside) cannot work.
      // Polled every 50 ms, not once a second as Wait.forHttp does (health-wait-strategy.ts).
      .withWaitStrategy(new HealthWaitStrategy(ADMIN_PORT))
      .withStartupTimeout(STARTUP_TIMEOUT_MS)
      .withLogConsumer((stream) => stream.on('data', (chunk: string | Buffer) => this.logTail.write(chunk)));
  }

  /** Where the node keeps its state: `memory` (the server's default) or `sqlite` (survives a restart). */
  withStorage(storage: StorageKind): this {
    this.options.storage = checkStorage(storage);
    return this;
  }

  /**
   * When a write is answered: `none`, `one`, `majority` (the server's default) or `all`. A queue's
   * `replimq:ack-mode` tag overrides it.
   */
  withAckMode(ackMode: AckMode): this {
    this.options.ackMode = checkAckMode(ackMode);
    return this;
  }

  /** The server's log verbosity: `error`, `warn`, `info` (the server's default) or `debug`. */
  withLogLevel(logLevel: LogLevel): this {
    this.options.logLevel = checkLogLevel(logLevel);
    return this;
  }

  /** This node's id among its peers (default `n1`): 1-64 letters, digits, `-` or `_`. */
  withNodeId(nodeId: string): this {
    this.options.nodeId = checkNodeId(nodeId);
    return this;
  }

  /** Every member of the cluster, this node included (the cluster helper wires these). */
  withPeers(peers: readonly PeerAddress[]): this {
    this.options.peers = checkPeers(peers);
    return this;
  }

  /** Members of a running cluster to ask to add this node (`--join`; `cluster.addNode()` wires these). */
  withJoin(seeds: readonly PeerAddress[]): this {
    this.options.join = checkPeers(seeds);
    return this;
  }

  /**
   * Publishes SQS and admin on these host ports instead of random ones. The cluster uses it: a
   * container moved between networks (partition) or restarted keeps its endpoints, where random
   * ports would be re-drawn.
   */
  withHostPorts(ports: { sqs: number; admin: number }): this {
    for (const port of [ports.sqs, ports.admin]) {
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InvalidOptionError(`invalid host port ${port}`);
    }
    // withExposedPorts() appends to the list and overrides the bindings of the ports it names.
    this.exposedPorts = [];
    return this.withExposedPorts({ container: SQS_PORT, host: ports.sqs }, { container: ADMIN_PORT, host: ports.admin }, GRPC_PORT);
  }

  /**
   * Joins `network` only, reachable there as `alias`. (testcontainers' `withNetworkAliases()`
   * would also leave the container on Docker's default bridge, a path around a partition.)
   */
  withClusterNetwork(network: StartedNetwork, alias: string): this {
    if (!/^[a-z0-9][a-z0-9.-]*$/i.test(alias)) throw new InvalidOptionError(`invalid network alias "${alias}"`);
    this.withNetworkMode(network.getName());
    this.createOpts.NetworkingConfig = { EndpointsConfig: { [network.getName()]: { Aliases: [alias] } } };
    return this;
  }

  /** SQS's own failure modes (injected errors, latency, duplicates, …), seeded; off by default. */
  withChaos(spec: ChaosSpec): this {
    return this.withEnvironment(chaosEnvironment(spec));
  }

  /** Queues the node creates at start-up, written into its config file. */
  withQueues(queues: readonly QueueConfig[]): this {
    this.options.queues = checkQueues(queues);
    return this;
  }

  override async start(): Promise<StartedReplimqContainer> {
    const flags = optionFlags(this.options);
    // testcontainers' reuse: the same options in any process find the same running container.
    const reusable = this.reuse && process.env.TESTCONTAINERS_REUSE_ENABLE !== 'false';
    if (this.options.queues && this.options.queues.length > 0) {
      const content = renderConfigFile(this.options.queues);
      this.withCopyContentToContainer([{ content, target: CONFIG_PATH, mode: 0o644 }]);
      flags.push('--config', CONFIG_PATH);
      if (reusable) this.withLabels({ [CONFIG_DIGEST_LABEL]: createHash('sha256').update(content).digest('hex') });
    }
    this.withCommand(flags);
    // The image binds the admin API to the container's network: the token keeps it the testkit's.
    const adminToken = reusable ? reusableAdminToken(this.environment) : adminTokenFor(this.environment);
    this.withEnvironment({ [ADMIN_TOKEN_ENV]: adminToken });
    // A reused container outlives this process: no owner to sweep it after, no exit cleanup.
    // (The owner's pid would also change the reuse hash in every process.)
    if (!reusable) this.withLabels(ownerLabels());
    const nodeId = this.options.nodeId ?? 'n1';
    log(`starting ${nodeId} (${this.imageName.string})${reusable ? ' reusable' : ''} ${flags.join(' ')}`);
    await sweepOrphansOnce();
    rememberEngine(engineAddress(await getContainerRuntimeClient()));
    await ensureImageAvailable(this.imageName.string);
    if (!reusable && (await reaperSession()).kind === 'unavailable') this.withAutoCleanup(false);
    let started: StartedTestContainer;
    try {
      started = await super.start();
    } catch (error) {
      throw new NodeStartError(
        `replimq node ${nodeId} (image ${this.imageName.string}) ${startFailure(describeError(error), this.startupTimeoutMs ?? STARTUP_TIMEOUT_MS)}`,
        nodeId,
        this.logTail.last(20),
        { cause: error },
      );
    }
    log(`${nodeId} ready as container ${started.getId().slice(0, 12)}`);
    return new StartedReplimqContainer(started, nodeId, this.logTail, adminToken, !reusable);
  }
}

/**
 * What went wrong, in the node's terms. testcontainers' HTTP wait reports "URL /health not
 * accessible" also when the node answers, but 503: it is up and knows no leader yet.
 */
function startFailure(reason: string, timeoutMs: number): string {
  if (/URL \/health not accessible after/.test(reason)) {
    return (
      `did not report healthy within ${timeoutMs} ms: waited for GET /health on the admin port to answer 200, ` +
      `which it does once the node follows an elected leader (${reason.trim()})`
    );
  }
  return `did not become healthy: ${reason}`;
}

export class StartedReplimqContainer extends AbstractStartedContainer implements ReplimqNode {
  private readonly untrack: () => void;

  constructor(
    startedTestContainer: StartedTestContainer,
    readonly nodeId: string,
    private readonly logTail: LogTail,
    private readonly adminToken: string,
    /** False for a reusable container: it is meant to outlive the process. */
    removeAtExit = true,
  ) {
    super(startedTestContainer);
    this.untrack = removeAtExit ? trackContainer(startedTestContainer.getId()) : () => {};
  }

  getEndpoint(): string {
    return `http://${this.getHost()}:${this.getMappedPort(SQS_PORT)}`;
  }

  getAdminEndpoint(): string {
    return `http://${this.getHost()}:${this.getMappedPort(ADMIN_PORT)}`;
  }

  getConnectionUri(): string {
    return this.getEndpoint();
  }

  getAdminUri(): string {
    return this.getAdminEndpoint();
  }

  getRegion(): string {
    return SQS_REGION;
  }

  getCredentials(): SqsCredentials {
    return { ...SQS_CREDENTIALS };
  }

  getQueueUrl(queueName: string): string {
    return queueUrlOf(this.getEndpoint(), queueName);
  }

  sqsClient(config?: SQSClientConfig): SQSClient {
    return createSqsClient(this.getEndpoint(), config);
  }

  getAdminToken(): string {
    return this.adminToken;
  }

  admin(options: Omit<AdminClientOptions, 'token'> = {}): AdminClient {
    return new AdminClient(this.getAdminEndpoint(), { ...options, token: this.adminToken });
  }

  lastLogLines(count = 20): string[] {
    return this.logTail.last(count);
  }

  /** SIGKILL, like a crash: the container stays, with its data volume, for `restart()`. */
  async kill(): Promise<void> {
    await this.dockerContainer().then((container) => container.kill({ signal: 'SIGKILL' }));
  }

  /** Freezes every process of the node (cgroup freezer): it neither answers nor times out. */
  async pause(): Promise<void> {
    await this.dockerContainer().then((container) => container.pause());
  }

  async unpause(): Promise<void> {
    await this.dockerContainer().then((container) => container.unpause());
  }

  /** Starts the node again (also after `kill()`), same container and data, and waits until healthy. */
  override async restart(): Promise<void> {
    const since = Math.floor(Date.now() / 1000);
    await super.restart();
    // The log stream testcontainers attached ended with the old process; follow the new one.
    (await this.logs({ since })).on('data', (chunk: string | Buffer) => this.logTail.write(chunk));
  }

  protected override async containerStopped(): Promise<void> {
    this.untrack();
  }

  private async dockerContainer() {
    const client = await getContainerRuntimeClient();
    return client.container.getById(this.getId());
  }
}
