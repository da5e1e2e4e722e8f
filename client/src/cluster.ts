/**
 * `new ReplimqCluster(3).withAckMode('majority').start()`: N nodes wired as one cluster, started
 * together, returned only once a leader is elected and every node follows it. A node that does
 * not join is named in the error, with its last log lines.
 *
 * Runtime: Docker containers where an engine is reachable, else child processes; force one with
 * `withRuntime()` or `REPLIMQ_RUNTIME=container|process`.
 */
import { chaosEnvironment } from './chaos-spec.js';
import type { ChaosSpec } from './chaos-spec.js';
import { ContainerClusterRuntime } from './container-cluster-runtime.js';
import { withClusterSecret } from './cluster-secret.js';
import type { ClusterRuntime, RuntimeKind, SharedNodeOptions } from './cluster-runtime.js';
import { waitFor } from './clock.js';
import type { Clock } from './clock.js';
import { describeReports, reportNodes } from './cluster-view.js';
import type { NodeReport } from './cluster-view.js';
import { debugLog } from './debug-log.js';
import { probeDocker } from './docker-engine.js';
import { ClusterFormationError, InvalidOptionError, NodeStartError, describeError } from './errors.js';
import { checkAckMode, checkEnvironment, checkLogLevel, checkQueues, checkStartupTimeout, checkStorage } from './node-options.js';
import type { AckMode, LogLevel, StorageKind } from './node-options.js';
import { ProcessClusterRuntime } from './process-cluster-runtime.js';
import type { QueueConfig } from './queue-config.js';
import { StartedReplimqCluster, formationProblem } from './started-cluster.js';

export type RuntimeChoice = RuntimeKind | 'auto';

const MAX_NODES = 9;
const log = debugLog('replimq:cluster');

export class ReplimqCluster {
  private readonly nodeOptions: SharedNodeOptions = {};
  private runtimeChoice: RuntimeChoice = runtimeFromEnvironment();
  private image: string | undefined;
  private serverBin: string | undefined;
  private startupTimeoutMs = 60_000;
  private clock: Clock | undefined;
  private sharedPostgres = false;
  private linkFaults: { seed: number } | undefined;

  constructor(readonly size = 3) {
    if (!Number.isInteger(size) || size < 1 || size > MAX_NODES) {
      throw new InvalidOptionError(`a cluster has 1 to ${MAX_NODES} nodes; got ${size}`);
    }
  }

  /** Where every node keeps its state: `memory` (the server's default) or `sqlite` (survives a restart). */
  withStorage(storage: StorageKind): this {
    this.nodeOptions.storage = checkStorage(storage);
    return this;
  }

  /**
   * When a write is answered: `none`, `one`, `majority` (the server's default) or `all`. A queue's
   * `replimq:ack-mode` tag overrides it.
   */
  withAckMode(ackMode: AckMode): this {
    this.nodeOptions.ackMode = checkAckMode(ackMode);
    return this;
  }

  /** The server's log verbosity: `error`, `warn`, `info` (the server's default) or `debug`. */
  withLogLevel(logLevel: LogLevel): this {
    this.nodeOptions.logLevel = checkLogLevel(logLevel);
    return this;
  }

  /** Queues every node creates at start-up, written into its config file. */
  withQueues(queues: readonly QueueConfig[]): this {
    this.nodeOptions.queues = checkQueues(queues);
    return this;
  }

  /** Extra environment for every node's server (`REPLIMQ_<SETTING>`, `GRPC_TRACE`, …). */
  withEnvironment(environment: Record<string, string>): this {
    this.nodeOptions.environment = { ...this.nodeOptions.environment, ...checkEnvironment(environment) };
    return this;
  }

  /** SQS's own failure modes on every node (injected errors, latency, duplicates, …), seeded; off by default. */
  withChaos(spec: ChaosSpec): this {
    return this.withEnvironment(chaosEnvironment(spec));
  }

  /**
   * The nodes share one real PostgreSQL instead of replicating: an active/standby group (the
   * server's `--storage postgres`). The testkit starts the database itself: on the process runtime
   * from this machine's PostgreSQL binaries, on the container runtime as a container (the official
   * `postgres` image, or one made from this machine's PostgreSQL where no registry answers).
   * `cutDatabase(n)` and `restartDatabase()` then break it. `leader()` is the active node.
   */
  withSharedPostgres(): this {
    this.sharedPostgres = true;
    return this;
  }

  /**
   * Every node reaches every other through a TCP proxy per directed link (Toxiproxy's model), so
   * that `cluster.link(from, to)` can add latency, jitter, loss and bandwidth caps to the gRPC
   * traffic one way, or cut it. `seed` makes jitter and loss draws repeatable (default 1).
   */
  withLinkFaults(options: { seed?: number } = {}): this {
    this.linkFaults = { seed: checkLinkSeed(options.seed ?? 1) };
    return this;
  }

  /** `container`, `process`, or `auto` (containers where a Docker engine answers). */
  withRuntime(runtime: RuntimeChoice): this {
    this.runtimeChoice = checkRuntime(runtime);
    return this;
  }

  /** Container runtime: the image (default `REPLIMQ_IMAGE`, else `replimq:<version>`, built on first use). */
  withImage(image: string): this {
    if (image.trim() === '') throw new InvalidOptionError('the image name must not be empty');
    this.image = image;
    return this;
  }

  /** Process runtime: the server's bin/replimq.js (default `REPLIMQ_BIN`, else found nearby). */
  withServerBin(path: string): this {
    if (path.trim() === '') throw new InvalidOptionError('the server bin path must not be empty');
    this.serverBin = path;
    return this;
  }

  /** How long to wait for every node to be healthy and to follow one leader. */
  withStartupTimeout(ms: number): this {
    this.startupTimeoutMs = checkStartupTimeout(ms);
    return this;
  }

  /** The clock behind the cluster's waits (tests of the testkit itself). */
  withClock(clock: Clock): this {
    this.clock = clock;
    return this;
  }

  async start(): Promise<StartedReplimqCluster> {
    const runtime = await this.createRuntime();
    log(`starting ${this.size} nodes on the ${runtime.kind} runtime`);
    let nodes;
    // Kept for the nodes added later (addNode), which need the same secret and settings.
    const defaults = { nodeOptions: withClusterSecret(this.nodeOptions), startupTimeoutMs: this.startupTimeoutMs };
    try {
      nodes = await runtime.startNodes({ size: this.size, ...defaults, ...(this.linkFaults ? { linkFaults: this.linkFaults } : {}) });
    } catch (error) {
      await runtime.stop().catch(() => {});
      throw asFormationError(error);
    }
    const cluster = new StartedReplimqCluster(runtime, nodes, this.clock, this.nodeOptions.storage, defaults);
    try {
      await this.waitForFormation(cluster);
    } catch (error) {
      await cluster.stop().catch(() => {});
      throw error;
    }
    return cluster;
  }

  private async waitForFormation(cluster: StartedReplimqCluster): Promise<void> {
    let last: NodeReport[] = [];
    try {
      await waitFor(
        'every node to follow one elected leader',
        async () => {
          last = await reportNodes(cluster);
          return formationProblem(last) === undefined ? true : undefined;
        },
        { timeoutMs: this.startupTimeoutMs, intervalMs: 100, ...(this.clock ? { clock: this.clock } : {}) },
        () => describeReports(last),
      );
    } catch (error) {
      const culprit = formationProblem(last) ?? last[0];
      const number = culprit?.number ?? 1;
      const lines = cluster.node(number).lastLogLines(20);
      throw new ClusterFormationError(
        `node ${number} (n${number}) did not join the cluster: ${describeError(error)}${
          lines.length ? `\nlast log lines of n${number}:\n  ${lines.join('\n  ')}` : ''
        }`,
        number,
        lines,
        { cause: error },
      );
    }
  }

  private async createRuntime(): Promise<ClusterRuntime> {
    let kind = this.runtimeChoice;
    if (this.sharedPostgres && this.nodeOptions.storage !== undefined) {
      throw new InvalidOptionError('withSharedPostgres() sets the storage; drop withStorage()');
    }
    if (this.sharedPostgres && this.linkFaults) {
      throw new InvalidOptionError('withLinkFaults() proxies the links between raft peers; a shared-db group has none');
    }
    if (kind === 'auto') {
      const docker = await probeDocker();
      kind = docker.reachable ? 'container' : 'process';
      log(
        docker.reachable
          ? `runtime auto: container, because testcontainers' runtime client reached ${docker.detail}`
          : `runtime auto: process, because ${docker.detail}`,
      );
    }
    return kind === 'container'
      ? new ContainerClusterRuntime(this.image, this.sharedPostgres)
      : new ProcessClusterRuntime({ ...(this.serverBin ? { bin: this.serverBin } : {}), sharedPostgres: this.sharedPostgres });
  }
}

function asFormationError(error: unknown): unknown {
  if (!(error instanceof NodeStartError)) return error;
  const number = Number(error.nodeId.replace(/^n/, ''));
  return new ClusterFormationError(`node ${number} (${error.nodeId}) did not join the cluster: ${error.message}`, number, error.lastLogLines, {
    cause: error,
  });
}

function checkLinkSeed(seed: number): number {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InvalidOptionError(`the link fault seed must be a non-negative integer; got ${seed}`);
  return seed;
}

function checkRuntime(runtime: string): RuntimeChoice {
  if (runtime !== 'auto' && runtime !== 'container' && runtime !== 'process') {
    throw new InvalidOptionError(`runtime must be auto, container or process; got "${runtime}"`);
  }
  return runtime;
}

function runtimeFromEnvironment(): RuntimeChoice {
  const fromEnv = process.env.REPLIMQ_RUNTIME;
  return fromEnv ? checkRuntime(fromEnv) : 'auto';
}
