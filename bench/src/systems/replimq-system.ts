/**
 * replimq as built in this checkout (`server/bin/replimq.js`): a single node (memory or sqlite)
 * or an N-node cluster of child processes on 127.0.0.1 under one ack mode, or N nodes sharing
 * one PostgreSQL (storage `postgres`: a real server from this machine's binaries, started for
 * the system). Load goes to the leader (the active node), which is what an SDK pointed at a
 * cluster's leader sees; `viaFollower` sends it to a follower, which forwards (the extra hop a
 * client given any other node pays). `node22` runs the nodes on Node 22 (node-runtime.ts).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPostgresBinaries, freePort, LocalPostgres } from 'replimq-testkit';
import { spawnServer, waitUntilAnswering, type ChildServer } from './child-server.js';
import { findLeaderIndex } from './cluster-status.js';
import { measureFailover } from './failover.js';
import { node22Runtime, type NodeRuntime } from './node-runtime.js';
import { sqliteBuildFor } from './sqlite-node22-build.js';
import type { RunningSystem, SystemDefinition } from './system.js';

export type Storage = 'memory' | 'sqlite' | 'postgres';
export type AckMode = 'none' | 'one' | 'majority' | 'all';

export const REPLIMQ_BIN = fileURLToPath(new URL('../../../server/bin/replimq.js', import.meta.url));

export interface ReplimqOptions {
  storage: Storage;
  /** 1 for a single node (started without --peers). */
  nodes: number;
  ackMode?: AckMode;
  /** Node flags for every node (profiling). */
  nodeFlags?: readonly string[];
  /** SQLite's `--sync` (sqlite storage); the server's default (normal) when omitted. */
  sync?: 'normal' | 'full';
  /** Overrides the default name (`replimq-<storage>` / `replimq-<n>n-<ack>`). */
  name?: string;
  /** Run the nodes on Node 22 (name suffix `-node22`) instead of the bench's own Node. */
  node22?: boolean;
  /** Clusters: send the load to a follower (name suffix `-via-follower`), which forwards to the leader. */
  viaFollower?: boolean;
}

export function replimqSystem(options: ReplimqOptions): SystemDefinition {
  const clustered = options.nodes > 1;
  const name =
    options.name ??
    (options.storage === 'postgres'
      ? `replimq-${options.nodes}n-shared-pg`
      : clustered ? `replimq-${options.nodes}n-${options.ackMode ?? 'majority'}${options.storage === 'sqlite' ? '-sqlite' : ''}` : `replimq-${options.storage}`) +
      (options.sync ? `-sync-${options.sync}` : '') +
      (options.viaFollower ? '-via-follower' : '') +
      (options.node22 ? '-node22' : '');
  return {
    name,
    nodes: options.nodes,
    unavailable: () => {
      if (!existsSync(REPLIMQ_BIN)) return `${REPLIMQ_BIN} does not exist yet`;
      if (options.storage === 'postgres' && !findPostgresBinaries()) return 'no PostgreSQL binaries on this machine';
      const launch = nodeLaunch(options);
      return typeof launch === 'string' ? launch : undefined;
    },
    unsupported: () => undefined,
    start: () => startReplimq(name, options),
  };
}

interface NodeLaunch {
  execPath: string;
  /** Flags before the script (module hooks), and the environment they read. */
  nodeFlags: string[];
  env: Record<string, string>;
}

/** How to start a node on the chosen Node: its binary, and on Node 22 with SQLite the build to load. */
export function nodeLaunch(options: Pick<ReplimqOptions, 'node22' | 'storage'>): NodeLaunch | string {
  if (!options.node22) return { execPath: process.execPath, nodeFlags: [], env: {} };
  const runtime: NodeRuntime | string = node22Runtime();
  if (typeof runtime === 'string') return runtime;
  if (options.storage !== 'sqlite') return { execPath: runtime.execPath, nodeFlags: [], env: {} };
  const sqlite = sqliteBuildFor(runtime);
  if (typeof sqlite === 'string') return sqlite;
  return { execPath: runtime.execPath, ...sqlite };
}

/** Nodes spawned but not yet known to be ready: what start-up timing (startup.ts) watches. */
export interface SpawnedNodes {
  servers: ChildServer[];
  ports: NodePorts[];
  adminUrls: string[];
  /** Nodes share one PostgreSQL (no replicas of their own). */
  sharedDatabase: boolean;
  stop(): Promise<void>;
}

export interface NodePorts {
  id: string;
  sqs: number;
  admin: number;
  grpc: number;
}

/** Spawns the system's nodes (and its database) and returns at once, readiness unknown. */
export async function spawnReplimqNodes(name: string, options: ReplimqOptions): Promise<SpawnedNodes> {
  const launch = nodeLaunch(options);
  if (typeof launch === 'string') throw new Error(launch);
  const dataDir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  const ports: NodePorts[] = [];
  for (let index = 1; index <= options.nodes; index++) {
    ports.push({ id: `n${index}`, sqs: await freePort(), admin: await freePort(), grpc: await freePort() });
  }
  const peers = ports.map((node) => `${node.id}@127.0.0.1:${node.grpc}`).join(',');
  // Members prove themselves with a secret of this run's own (by env: never in `ps`).
  const env = { REPLIMQ_CLUSTER_SECRET: randomBytes(32).toString('hex'), ...launch.env };
  // A shared-db group: every node on one database, found through it rather than --peers.
  const database = options.storage === 'postgres' ? await LocalPostgres.start() : undefined;
  const postgresUrl = database?.createDatabase('bench');
  const servers: ChildServer[] = ports.map((node) => {
    const args = [
      ...launch.nodeFlags,
      ...(options.nodeFlags ?? []),
      REPLIMQ_BIN,
      '--bind', '127.0.0.1',
      '--log-level', 'warn',
      '--sqs-port', String(node.sqs),
      '--admin-port', String(node.admin),
      '--grpc-port', String(node.grpc),
      '--storage', options.storage,
      '--data-dir', join(dataDir, node.id),
    ];
    if (postgresUrl) args.push('--node-id', node.id, '--postgres-url', postgresUrl);
    else if (options.nodes > 1) args.push('--node-id', node.id, '--peers', peers);
    if (options.ackMode) args.push('--ack-mode', options.ackMode);
    if (options.sync) args.push('--sync', options.sync);
    return spawnServer(`${name}/${node.id}`, args, env, launch.execPath);
  });
  const stop = async (): Promise<void> => {
    await Promise.all(servers.map((server) => server.stop()));
    await database?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const adminUrls = ports.map((node) => `http://127.0.0.1:${node.admin}`);
  return { servers, ports, adminUrls, sharedDatabase: postgresUrl !== undefined, stop };
}

async function startReplimq(name: string, options: ReplimqOptions): Promise<RunningSystem> {
  const { servers, ports, adminUrls, sharedDatabase, stop } = await spawnReplimqNodes(name, options);
  try {
    await Promise.all(servers.map((server, index) => waitUntilAnswering(server, `${adminUrls[index]}/health`, 30_000)));
    const leader = options.nodes > 1 ? await findLeaderIndex(adminUrls, 30_000) : 0;
    // A follower forwards what it cannot serve to the leader: the hop a client pays when it was
    // given any node but the leader.
    const served = options.viaFollower ? (leader + 1) % ports.length : leader;
    const failover = async (): Promise<number> => {
      const current = await findLeaderIndex(adminUrls, 30_000);
      const survivor = ports[(current + 1) % ports.length]!;
      return measureFailover(() => servers[current]!.process.kill('SIGKILL'), `http://127.0.0.1:${survivor.sqs}`);
    };
    return {
      endpoint: `http://127.0.0.1:${ports[served]!.sqs}`,
      pids: servers.map((server) => server.pid),
      ...(options.nodes > 1 ? { failover } : {}),
      // A shared-db group has no replicas to lag: the database holds the one copy.
      adminUrls: options.nodes > 1 && !sharedDatabase ? adminUrls : [],
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(`${name}: ${(error as Error).message}`);
  }
}
