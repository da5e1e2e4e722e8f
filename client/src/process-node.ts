/**
 * One replimq node as a child process of `node <replimq bin>` on 127.0.0.1 ports: the runtime for
 * machines without Docker. Faults are signals (SIGKILL crash, SIGSTOP pause) on the process.
 */
import { chaosEnvironment } from './chaos-spec.js';
import type { ChaosSpec } from './chaos-spec.js';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSClient, SQSClientConfig } from '@aws-sdk/client-sqs';
import { AdminClient, type AdminClientOptions } from './admin-client.js';
import { ADMIN_TOKEN_ENV, adminTokenFor } from './admin-token.js';
import { waitFor } from './clock.js';
import { debugLog } from './debug-log.js';
import { InvalidOptionError, NodeStartError, ReplimqTestkitError, describeError } from './errors.js';
import { trackProcess } from './exit-cleanup.js';
import { freePort } from './free-port.js';
import { LogTail } from './log-tail.js';
import {
  checkAckMode,
  checkEnvironment,
  checkLogLevel,
  checkNodeId,
  checkNodeOptions,
  checkPeers,
  checkQueues,
  checkStartupTimeout,
  checkStorage,
  optionFlags,
} from './node-options.js';
import type { AckMode, LogLevel, NodeOptions, PeerAddress, StorageKind } from './node-options.js';
import { renderConfigFile } from './queue-config.js';
import type { QueueConfig } from './queue-config.js';
import type { ReplimqNode } from './replimq-node.js';
import { resolveServerBin } from './server-bin.js';
import { SQS_CREDENTIALS, SQS_REGION, createSqsClient, queueUrlOf } from './sqs-client.js';
import type { SqsCredentials } from './sqs-client.js';

const HOST = '127.0.0.1';
const STARTUP_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
/** Between two polls of /health while a node starts. */
const HEALTH_POLL_MS = 25;
const log = debugLog('replimq:process');

export interface ProcessPorts {
  sqs: number;
  admin: number;
  grpc: number;
}

export interface ReplimqProcessOptions extends NodeOptions {
  /** Path of the server's bin/replimq.js (default: see server-bin.ts). */
  bin?: string;
  /** Fixed ports (a cluster needs the gRPC port before the node starts); default: free ports. */
  ports?: ProcessPorts;
  startupTimeoutMs?: number;
}

export async function allocatePorts(): Promise<ProcessPorts> {
  return { sqs: await freePort(), admin: await freePort(), grpc: await freePort() };
}

export class ReplimqProcess {
  private readonly options: ReplimqProcessOptions;

  /** Checks the options at once, like the container's `withX()` methods. */
  constructor(options: ReplimqProcessOptions = {}) {
    this.options = checkNodeOptions(options);
    if (options.startupTimeoutMs !== undefined) this.withStartupTimeout(options.startupTimeoutMs);
  }

  // The container's builder, so that a test reads the same on either runtime:
  // `new ReplimqProcess().withStorage('sqlite').withQueues([...]).start()`.

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

  /** Every member of the cluster, this node included. */
  withPeers(peers: readonly PeerAddress[]): this {
    this.options.peers = checkPeers(peers);
    return this;
  }

  /** Queues the node creates at start-up, written into its config file. */
  withQueues(queues: readonly QueueConfig[]): this {
    this.options.queues = checkQueues(queues);
    return this;
  }

  /** Extra environment of the server process, added to what was set before. */
  withEnvironment(environment: Record<string, string>): this {
    this.options.environment = { ...this.options.environment, ...checkEnvironment(environment) };
    return this;
  }

  /** SQS's own failure modes (injected errors, latency, duplicates, …), seeded; off by default. */
  withChaos(spec: ChaosSpec): this {
    return this.withEnvironment(chaosEnvironment(spec));
  }

  /** The server's bin/replimq.js (default: `REPLIMQ_BIN`, else found nearby). */
  withServerBin(path: string): this {
    if (path.trim() === '') throw new InvalidOptionError('the server bin path must not be empty');
    this.options.bin = path;
    return this;
  }

  /** How long to wait for the node to report healthy. */
  withStartupTimeout(ms: number): this {
    this.options.startupTimeoutMs = checkStartupTimeout(ms);
    return this;
  }

  async start(): Promise<StartedReplimqProcess> {
    const ports = this.options.ports ?? (await allocatePorts());
    const dataDir = await mkdtemp(join(tmpdir(), 'replimq-node-'));
    const args = [
      resolveServerBin(this.options.bin),
      '--sqs-port', String(ports.sqs),
      '--admin-port', String(ports.admin),
      '--grpc-port', String(ports.grpc),
      '--bind', HOST,
      '--data-dir', dataDir,
      ...optionFlags(this.options),
    ];
    if (this.options.queues && this.options.queues.length > 0) {
      const configPath = join(dataDir, 'replimq-config.json');
      await writeFile(configPath, renderConfigFile(this.options.queues));
      args.push('--config', configPath);
    }
    const node = new StartedReplimqProcess(
      this.options.nodeId ?? 'n1',
      args,
      ports,
      dataDir,
      this.options.startupTimeoutMs ?? STARTUP_TIMEOUT_MS,
      this.options.environment ?? {},
      adminTokenFor(this.options.environment),
    );
    await node.launch();
    return node;
  }
}

export class StartedReplimqProcess implements ReplimqNode, AsyncDisposable {
  private readonly logTail = new LogTail();
  private child: ChildProcess | undefined;
  private untrack: () => void = () => {};

  constructor(
    readonly nodeId: string,
    private readonly args: readonly string[],
    readonly ports: ProcessPorts,
    private readonly dataDir: string,
    private readonly startupTimeoutMs: number,
    private readonly environment: Readonly<Record<string, string>>,
    private readonly adminToken: string,
  ) {}

  getEndpoint(): string {
    return `http://${HOST}:${this.ports.sqs}`;
  }

  getAdminEndpoint(): string {
    return `http://${HOST}:${this.ports.admin}`;
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

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Spawns the process and waits until its admin API reports healthy. */
  async launch(): Promise<void> {
    log(`starting ${this.nodeId}: node ${this.args.join(' ')}`);
    const child = spawn(process.execPath, this.args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      // The admin API stays on loopback, but with a token all the same: the path containers use.
      env: { ...process.env, ...this.environment, [ADMIN_TOKEN_ENV]: this.adminToken },
    });
    this.child = child;
    this.untrack = trackProcess(child);
    child.stdout?.on('data', (chunk: Buffer) => this.logTail.write(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.logTail.write(chunk));
    const admin = this.admin({ timeoutMs: 1_000 });
    try {
      await waitFor(
        `node ${this.nodeId} to report healthy on ${this.getAdminEndpoint()}/health`,
        async () => {
          if (!this.isRunning()) {
            throw new ReplimqTestkitError(`node ${this.nodeId} exited (${child.exitCode ?? child.signalCode}) while starting`);
          }
          return (await admin.health().catch(() => undefined))?.healthy ? true : undefined;
        },
        // Often: a cluster turns healthy at one instant (its first leader is followed), and
        // waitFor's default 100 ms added 50 ms on average to every start.
        { timeoutMs: this.startupTimeoutMs, intervalMs: HEALTH_POLL_MS },
      );
    } catch (error) {
      await this.terminate();
      throw new NodeStartError(describeError(error), this.nodeId, this.logTail.last(20), { cause: error });
    }
    log(`${this.nodeId} ready, pid ${child.pid}`);
  }

  /** SIGKILL, like a crash; `restart()` starts it again on the same ports and data directory. */
  async kill(): Promise<void> {
    await this.signalAndWait('SIGKILL');
  }

  pause(): Promise<void> {
    this.child?.kill('SIGSTOP');
    return Promise.resolve();
  }

  unpause(): Promise<void> {
    this.child?.kill('SIGCONT');
    return Promise.resolve();
  }

  async restart(): Promise<void> {
    await this.terminate();
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.terminate();
    await rm(this.dataDir, { recursive: true, force: true });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  private isRunning(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM (after SIGCONT, as a stopped process cannot handle it), SIGKILL after a grace period. */
  private async terminate(): Promise<void> {
    if (!this.isRunning()) return;
    this.child?.kill('SIGCONT');
    const exited = this.signalAndWait('SIGTERM');
    const graceOver = new Promise<'grace-over'>((resolve) => setTimeout(resolve, STOP_GRACE_MS, 'grace-over').unref());
    if ((await Promise.race([exited, graceOver])) === 'grace-over') await this.signalAndWait('SIGKILL');
  }

  private async signalAndWait(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || !this.isRunning()) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
    this.untrack();
  }
}
