/**
 * Everything a node needs to start, after the CLI merged flags, environment and config file.
 * `startNode()` takes this object; tests build it directly with `defaultConfig()` overrides.
 */
import type { ChaosSpec } from './chaos/chaos-spec.js';
import type { AckMode } from './cluster/replicator.js';
import type { DiscoverTarget } from './discovery/dns-candidates.js';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from './http-limits.js';
import type { SigV4Credential } from './sqs/sigv4/credentials.js';

export type StorageKind = 'memory' | 'sqlite' | 'postgres';
export const STORAGE_KINDS: readonly StorageKind[] = ['memory', 'sqlite', 'postgres'];

/** SQLite's `synchronous` pragma (README, "Durability"): `full` fsyncs every group commit. */
export type SyncMode = 'normal' | 'full';
export const SYNC_MODES: readonly SyncMode[] = ['normal', 'full'];

/** `sigv4`: every SQS request must carry a valid AWS Signature Version 4 (README, "Security"). */
export type SqsAuthMode = 'none' | 'sigv4';
export const SQS_AUTH_MODES: readonly SqsAuthMode[] = ['none', 'sigv4'];

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

export type LogFormat = 'text' | 'json';
export const LOG_FORMATS: readonly LogFormat[] = ['text', 'json'];

/** One member of the static cluster membership: `id@host:port` on the command line. */
export interface PeerAddress {
  id: string;
  host: string;
  port: number;
}

/** A queue the config file creates at start-up (like ElasticMQ's `queues {}` block). */
export interface QueueDefinition {
  name: string;
  /** SQS queue attributes as CreateQueue takes them (`VisibilityTimeout`, `FifoQueue`, …). */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  /** Name of this queue's dead-letter queue, resolved to its ARN at start-up. */
  deadLetterQueue?: { name: string; maxReceiveCount: number };
}

export interface ClusterConfig {
  nodeId: string;
  /** Every member, this node included. Empty or one member: a single node. Bootstraps only: a
   *  node that stored a configuration (SQLite) comes back with that one. */
  peers: PeerAddress[];
  /** `--join`: members to ask to add this node, when it has no configuration yet. */
  join: PeerAddress[];
  /** `--advertise-address`: this node's gRPC `host:port` as other members dial it (with --join);
   *  undefined = its bind address (or first external IPv4 on a wildcard bind) and gRPC port. */
  advertiseAddress: string | undefined;
  /** `--discover dns:NAME[:PORT]`: `peers` is found at start-up instead (discovery/form-cluster.ts). */
  discover: DiscoverTarget | undefined;
  /** `--bootstrap-expect N`: how many members (this node included) the cluster forms with. */
  bootstrapExpect: number | undefined;
  ackMode: AckMode;
  electionTimeoutMs: number;
  heartbeatIntervalMs: number;
  replicationTimeoutMs: number;
  security: ClusterSecurityConfig;
}

/** How members prove themselves to each other (cluster/auth/cluster-security.ts). */
export interface ClusterSecurityConfig {
  /** `--cluster-secret`: several only during a rotation. */
  secrets: string[];
  /** `--cluster-secret-file`: one secret per line. */
  secretFile: string | undefined;
  /** `--insecure-cluster`: a cluster of several nodes without a secret, on purpose. */
  insecure: boolean;
  /** PEM files for mutual TLS between members; all three or none. */
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  tlsCa: string | undefined;
}

export interface NodeConfig {
  sqsPort: number;
  adminPort: number;
  grpcPort: number;
  /** Address the SQS and gRPC servers listen on. */
  bind: string;
  /** Address the admin API listens on: loopback by default, since it can inject faults. */
  adminBind: string;
  /** Bearer token that every admin endpoint but `/health` requires; undefined = none (a node
   *  whose admin API listens beyond loopback then makes one up and logs it). */
  adminToken: string | undefined;
  /** Timeouts and the connection cap of both HTTP ports (SQS and admin). */
  http: HttpLimits;
  /** Fixed base URL for queue URLs (`http://sqs.example:9324`); undefined = the Host the client called. */
  host: string | undefined;
  storage: StorageKind;
  /** Directory of the SQLite file (sqlite storage only). */
  dataDir: string;
  /** SQLite's `synchronous` (sqlite storage only). */
  sync: SyncMode;
  /** `postgres://…` of the database (postgres storage only): every node given the same URL
   *  joins one active/standby group (shared-db/README.md). */
  postgresUrl: string | undefined;
  logLevel: LogLevel;
  /** `text` (`key=value` pairs) or `json` (one object per line). */
  logFormat: LogFormat;
  region: string;
  accountId: string;
  /** SQS's 60-second rules (PurgeQueueInProgress, QueueDeletedRecently). Off by default, like
   *  ElasticMQ: test suites purge and re-create queues in every `beforeEach`. */
  enforceCooldowns: boolean;
  /** Origins a browser page may call the SQS port from (CORS): `['*']` for any. */
  corsOrigins: string[];
  /** Authentication on the SQS port; `sigv4` checks signatures against `credentials`. */
  auth: SqsAuthMode;
  /** Keys `--credentials <file>` lists (sigv4 only). */
  credentials: readonly SigV4Credential[];
  /** SQS's own failure modes on demand (chaos/chaos-spec.ts); undefined = off. */
  chaos?: ChaosSpec | undefined;
  cluster: ClusterConfig;
  queues: QueueDefinition[];
}

export function defaultConfig(): NodeConfig {
  return {
    sqsPort: 9324,
    adminPort: 9325,
    grpcPort: 9326,
    bind: '0.0.0.0',
    adminBind: '127.0.0.1',
    adminToken: undefined,
    http: { ...DEFAULT_HTTP_LIMITS },
    host: undefined,
    storage: 'memory',
    dataDir: './.data',
    sync: 'normal',
    postgresUrl: undefined,
    logLevel: 'info',
    logFormat: 'text',
    region: 'us-east-1',
    accountId: '000000000000',
    enforceCooldowns: false,
    corsOrigins: ['*'],
    auth: 'none',
    credentials: [],
    cluster: {
      nodeId: 'n1',
      peers: [],
      join: [],
      advertiseAddress: undefined,
      discover: undefined,
      bootstrapExpect: undefined,
      ackMode: 'majority',
      electionTimeoutMs: 1000,
      heartbeatIntervalMs: 100,
      replicationTimeoutMs: 5000,
      security: { secrets: [], secretFile: undefined, insecure: false, tlsCert: undefined, tlsKey: undefined, tlsCa: undefined },
    },
    queues: [],
  };
}

/** A cluster of one (or no peer list at all): the node is a raft cluster of itself. */
export function isSingleNode(cluster: ClusterConfig): boolean {
  return cluster.peers.length <= 1 && cluster.join.length === 0;
}
