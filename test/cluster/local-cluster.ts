/**
 * A real replimq cluster as local child processes on 127.0.0.1: `node server/bin/replimq.js`
 * per member, each with its own SQS, admin and gRPC port. Starts N nodes and returns once they
 * agree on a leader; kills (SIGKILL) and restarts nodes; partitions them through `/faults`.
 *
 * Every wait is bounded polling that names what it waited for, and a failing wait appends the
 * tail of each node's log, so a red test explains itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SQSClient } from '@aws-sdk/client-sqs';
import { freePort } from './free-port.js';
import { waitFor } from './wait-for.js';

const BIN = resolve(fileURLToPath(import.meta.url), '../../../server/bin/replimq.js');
const HOST = '127.0.0.1';
const LOG_LINES_KEPT = 200;

export type Storage = 'memory' | 'sqlite';
export type AckMode = 'none' | 'one' | 'majority' | 'all';

export interface ClusterOptions {
  size: number;
  storage?: Storage;
  ackMode?: AckMode;
  electionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  replicationTimeoutMs?: number;
  /** Extra environment of every node process (e.g. `REPLIMQ_RAFT_RETAINED_ENTRIES`). */
  env?: Record<string, string>;
  /** A config file (`--config`) per node id, for nodes that should have one. */
  configFiles?: Record<string, string>;
  /** Environment per node id, over `env` and the cluster secret (e.g. another secret, TLS files). */
  nodeEnv?: Record<string, Record<string, string>>;
}

export interface ClusterView {
  nodeId: string;
  role: string;
  term: number;
  leaderId: string | null;
  appliedIndex: number;
  commitIndex: number;
  peers: { id: string; matchIndex?: number; lag?: number; connected: boolean }[];
}

export interface Digest {
  nodeId: string;
  appliedIndex: number;
  digest: string;
  records: number;
}

export class ClusterNode {
  process: ChildProcess | undefined;
  readonly log: string[] = [];
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly id: string,
    readonly ports: { sqs: number; admin: number; grpc: number },
    private readonly args: string[],
    private env: Record<string, string> = {},
  ) {}

  /** Environment for the next start (e.g. another cluster secret), merged over the current one. */
  setEnvironment(env: Record<string, string>): void {
    this.env = { ...this.env, ...env };
  }

  get sqsUrl(): string {
    return `http://${HOST}:${this.ports.sqs}`;
  }

  get adminUrl(): string {
    return `http://${HOST}:${this.ports.admin}`;
  }

  get running(): boolean {
    return this.process !== undefined;
  }

  start(): void {
    const child = spawn(process.execPath, [BIN, ...this.args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...this.env },
    });
    this.process = child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line) this.log.push(line);
      if (this.log.length > LOG_LINES_KEPT) this.log.splice(0, this.log.length - LOG_LINES_KEPT);
    });
    this.exited = new Promise((done) => child.once('exit', () => done()));
    child.once('exit', () => {
      if (this.process === child) this.process = undefined;
    });
  }

  /** SIGKILL: no shutdown, no flush — a crash. */
  async kill(): Promise<void> {
    if (!this.process) return;
    this.process.kill('SIGKILL');
    await this.exited;
  }

  /** An SDK client for this node that does not retry, so a test sees each answer as it is. */
  sqs(): SQSClient {
    return new SQSClient({
      endpoint: this.sqsUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  }

  async admin<T>(path: string, init?: { method: string; body?: unknown }): Promise<T> {
    const response = await fetch(this.adminUrl + path, {
      method: init?.method ?? 'GET',
      ...(init?.body === undefined ? {} : { body: JSON.stringify(init.body), headers: { 'content-type': 'application/json' } }),
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${path} on ${this.id}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  cluster(): Promise<ClusterView> {
    return this.admin<ClusterView>('/cluster');
  }

  digest(): Promise<Digest> {
    return this.admin<Digest>('/state/digest');
  }
}

export class LocalCluster {
  private constructor(
    readonly nodes: ClusterNode[],
    private readonly dataRoot: string,
    readonly electionTimeoutMs: number,
    /** The secret the members share (unless `nodeEnv` gave them others). */
    readonly secret: string,
  ) {}

  static async start(options: ClusterOptions): Promise<LocalCluster> {
    // The bin runs the compiled server: a stale or missing build would test old code.
    if (!existsSync(resolve(BIN, '../../dist/main.js'))) throw new Error('server/dist is missing: run `npm run build` first');
    const ids = Array.from({ length: options.size }, (_, at) => `n${at + 1}`);
    const ports: { sqs: number; admin: number; grpc: number }[] = [];
    for (const _ of ids) ports.push({ sqs: await freePort(), admin: await freePort(), grpc: await freePort() });
    const peers = ids.map((id, at) => `${id}@${HOST}:${ports[at]!.grpc}`).join(',');
    const dataRoot = mkdtempSync(join(tmpdir(), 'replimq-cluster-'));
    const electionTimeoutMs = options.electionTimeoutMs ?? 500;
    // A fresh secret per cluster, as the testkit gives one: no two test clusters can talk.
    const secret = randomBytes(32).toString('hex');
    const nodes = ids.map((id, at) => {
      const port = ports[at]!;
      return new ClusterNode(id, port, [
        '--node-id', id,
        '--peers', peers,
        '--bind', HOST,
        '--sqs-port', String(port.sqs),
        '--admin-port', String(port.admin),
        '--grpc-port', String(port.grpc),
        '--storage', options.storage ?? 'memory',
        '--data-dir', join(dataRoot, id),
        '--ack-mode', options.ackMode ?? 'majority',
        '--election-timeout-ms', String(electionTimeoutMs),
        '--heartbeat-interval-ms', String(options.heartbeatIntervalMs ?? 100),
        '--replication-timeout-ms', String(options.replicationTimeoutMs ?? 3_000),
        ...(options.configFiles?.[id] === undefined ? [] : ['--config', options.configFiles[id]]),
      ], { REPLIMQ_CLUSTER_SECRET: secret, ...options.env, ...options.nodeEnv?.[id] });
    });
    const cluster = new LocalCluster(nodes, dataRoot, electionTimeoutMs, secret);
    for (const node of nodes) node.start();
    try {
      await cluster.waitForLeader();
      await cluster.waitForHealthy();
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  node(id: string): ClusterNode {
    const node = this.nodes.find((candidate) => candidate.id === id);
    if (!node) throw new Error(`no node ${id}`);
    return node;
  }

  running(): ClusterNode[] {
    return this.nodes.filter((node) => node.running);
  }

  /** The leader every running node (of `among`) agrees on, in one term. */
  async waitForLeader(among: ClusterNode[] = this.running(), timeoutMs = 15_000): Promise<ClusterNode> {
    return this.explain(() =>
      waitFor(
        `a leader agreed on by ${among.map((node) => node.id).join(', ')}`,
        async () => {
          const views = await Promise.all(among.map((node) => node.cluster()));
          const leaderId = views[0]?.leaderId;
          if (!leaderId || !views.every((view) => view.leaderId === leaderId && view.term === views[0]!.term)) return undefined;
          const leader = among.find((node) => node.id === leaderId);
          return leader && views.find((view) => view.nodeId === leaderId)?.role === 'leader' ? leader : undefined;
        },
        { timeoutMs, intervalMs: 50 },
      ),
    );
  }

  async leader(): Promise<ClusterNode> {
    return this.waitForLeader();
  }

  async followers(): Promise<ClusterNode[]> {
    const leader = await this.leader();
    return this.running().filter((node) => node !== leader);
  }

  /** Every running node holds the same state at the same applied index. */
  async waitForConvergence(timeoutMs = 15_000): Promise<Digest[]> {
    return this.explain(() =>
      waitFor(
        'every running node to reach the same applied index and state digest',
        async () => {
          const digests = await Promise.all(this.running().map((node) => node.digest()));
          const first = digests[0]!;
          const same = digests.every((digest) => digest.appliedIndex === first.appliedIndex && digest.digest === first.digest);
          return same ? digests : undefined;
        },
        { timeoutMs, intervalMs: 50 },
      ),
    );
  }

  async restart(node: ClusterNode): Promise<void> {
    node.start();
    await this.waitForHealthy([node]);
  }

  /** `/health` says 200: the SQS port is open, a leader is known and the node caught up. */
  async waitForHealthy(nodes: ClusterNode[] = this.running(), timeoutMs = 15_000): Promise<void> {
    await this.explain(() =>
      waitFor(
        `${nodes.map((node) => node.id).join(', ')} to report healthy`,
        async () => {
          const statuses = await Promise.all(nodes.map(async (node) => (await fetch(`${node.adminUrl}/health`)).status));
          return statuses.every((status) => status === 200);
        },
        { timeoutMs, intervalMs: 50 },
      ),
    );
  }

  /** Cuts every link between the two groups (both directions, on both sides). */
  async partition(minority: ClusterNode[], majority: ClusterNode[]): Promise<void> {
    const ids = (group: ClusterNode[]): string[] => group.map((node) => node.id);
    await Promise.all([
      ...minority.map((node) => node.admin('/faults', { method: 'POST', body: { isolate: ids(majority) } })),
      ...majority.map((node) => node.admin('/faults', { method: 'POST', body: { isolate: ids(minority) } })),
    ]);
  }

  async heal(): Promise<void> {
    await Promise.all(this.running().map((node) => node.admin('/faults', { method: 'DELETE' })));
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.kill()));
    rmSync(this.dataRoot, { recursive: true, force: true });
  }

  /** Runs a wait; if it fails, the error carries each node's last log lines. */
  private async explain<T>(wait: () => Promise<T>): Promise<T> {
    try {
      return await wait();
    } catch (error) {
      const logs = this.nodes.map((node) => `--- ${node.id} (${node.running ? 'running' : 'down'})\n${node.log.slice(-15).join('\n')}`);
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${logs.join('\n')}`);
    }
  }
}
