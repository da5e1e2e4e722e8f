/**
 * Everything a node needs to start, after the CLI merged flags, environment and config file.
 * `startNode()` takes this object; tests build it directly with `defaultConfig()` overrides.
 */
import type { AckMode } from './cluster/replicator.js';

export type StorageKind = 'memory' | 'sqlite' | 'postgres';
export const STORAGE_KINDS: readonly StorageKind[] = ['memory', 'sqlite', 'postgres'];

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

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
  /** Every member, this node included. Empty or one member: a single node. */
  peers: PeerAddress[];
  ackMode: AckMode;
  electionTimeoutMs: number;
  heartbeatIntervalMs: number;
  replicationTimeoutMs: number;
}

export interface NodeConfig {
  sqsPort: number;
  adminPort: number;
  grpcPort: number;
  /** Address the servers listen on. */
  bind: string;
  /** Fixed base URL for queue URLs (`http://sqs.example:9324`); undefined = the Host the client called. */
  host: string | undefined;
  storage: StorageKind;
  /** Directory of the SQLite file (sqlite storage only). */
  dataDir: string;
  /** `postgres://…` of the database (postgres storage only): every node given the same URL
   *  joins one active/standby group (shared-db/README.md). */
  postgresUrl: string | undefined;
  logLevel: LogLevel;
  region: string;
  accountId: string;
  /** SQS's 60-second rules (PurgeQueueInProgress, QueueDeletedRecently). Off by default, like
   *  ElasticMQ: test suites purge and re-create queues in every `beforeEach`. */
  enforceCooldowns: boolean;
  cluster: ClusterConfig;
  queues: QueueDefinition[];
}

export function defaultConfig(): NodeConfig {
  return {
    sqsPort: 9324,
    adminPort: 9325,
    grpcPort: 9326,
    bind: '0.0.0.0',
    host: undefined,
    storage: 'memory',
    dataDir: './.data',
    postgresUrl: undefined,
    logLevel: 'info',
    region: 'us-east-1',
    accountId: '000000000000',
    enforceCooldowns: false,
    cluster: {
      nodeId: 'n1',
      peers: [],
      ackMode: 'majority',
      electionTimeoutMs: 1000,
      heartbeatIntervalMs: 100,
      replicationTimeoutMs: 5000,
    },
    queues: [],
  };
}

/** A cluster of one (or no peer list at all): the node is a raft cluster of itself. */
export function isSingleNode(cluster: ClusterConfig): boolean {
  return cluster.peers.length <= 1;
}
