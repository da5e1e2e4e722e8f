/**
 * What a test can choose about a node, checked the moment it is set, and turned into the server's
 * command-line flags. Both runtimes (containers and child processes) start nodes from this.
 */
import { InvalidOptionError } from './errors.js';
import type { QueueConfig } from './queue-config.js';
import { validateQueues } from './queue-config.js';

export type StorageKind = 'memory' | 'sqlite';
export type AckMode = 'none' | 'one' | 'majority' | 'all';
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export const STORAGE_KINDS: readonly StorageKind[] = ['memory', 'sqlite'];
export const ACK_MODES: readonly AckMode[] = ['none', 'one', 'majority', 'all'];
export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

/** One cluster member as the server's `--peers id@host:port` flag names it. */
export interface PeerAddress {
  id: string;
  host: string;
  port: number;
}

export interface NodeOptions {
  storage?: StorageKind;
  ackMode?: AckMode;
  logLevel?: LogLevel;
  nodeId?: string;
  /** Every member of the cluster, this node included. */
  peers?: PeerAddress[];
  /** Members of a running cluster to ask to add this node (the server's `--join`). */
  join?: PeerAddress[];
  queues?: QueueConfig[];
  /** Extra environment of the server process (`REPLIMQ_<SETTING>`, `GRPC_TRACE`, …). */
  environment?: Record<string, string>;
}

const NODE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function checkStorage(storage: string): StorageKind {
  return checkOneOf('storage', storage, STORAGE_KINDS);
}

export function checkAckMode(ackMode: string): AckMode {
  return checkOneOf('ack mode', ackMode, ACK_MODES);
}

export function checkLogLevel(logLevel: string): LogLevel {
  return checkOneOf('log level', logLevel, LOG_LEVELS);
}

export function checkNodeId(nodeId: string): string {
  if (!NODE_ID.test(nodeId)) {
    throw new InvalidOptionError(
      `node id "${nodeId}" must be 1-64 letters, digits, "-" or "_", starting with a letter or digit`,
    );
  }
  return nodeId;
}

export function checkPeers(peers: readonly PeerAddress[]): PeerAddress[] {
  const seen = new Set<string>();
  for (const peer of peers) {
    checkNodeId(peer.id);
    if (seen.has(peer.id)) throw new InvalidOptionError(`peer "${peer.id}" is listed twice`);
    seen.add(peer.id);
    if (!/^[A-Za-z0-9.-]+$/.test(peer.host)) {
      throw new InvalidOptionError(`peer "${peer.id}" has an invalid host "${peer.host}"`);
    }
    if (!Number.isInteger(peer.port) || peer.port < 1 || peer.port > 65535) {
      throw new InvalidOptionError(`peer "${peer.id}" has an invalid port ${peer.port}`);
    }
  }
  return peers.map((peer) => ({ ...peer }));
}

export function checkEnvironment(environment: Record<string, string>): Record<string, string> {
  for (const [name, value] of Object.entries(environment)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new InvalidOptionError(`invalid environment variable name "${name}"`);
    if (typeof value !== 'string') throw new InvalidOptionError(`environment variable ${name} must be a string`);
  }
  return { ...environment };
}

export function checkStartupTimeout(ms: number): number {
  if (!Number.isInteger(ms) || ms < 1) throw new InvalidOptionError(`startup timeout must be a positive integer of ms; got ${ms}`);
  return ms;
}

export function checkQueues(queues: readonly QueueConfig[]): QueueConfig[] {
  return validateQueues(queues);
}

/** Every option of a node checked; the object returned is a copy. */
export function checkNodeOptions<T extends NodeOptions>(options: T): T {
  const checked: T = { ...options };
  if (options.storage !== undefined) checked.storage = checkStorage(options.storage);
  if (options.ackMode !== undefined) checked.ackMode = checkAckMode(options.ackMode);
  if (options.logLevel !== undefined) checked.logLevel = checkLogLevel(options.logLevel);
  if (options.nodeId !== undefined) checked.nodeId = checkNodeId(options.nodeId);
  if (options.peers !== undefined) checked.peers = checkPeers(options.peers);
  if (options.join !== undefined) checked.join = checkPeers(options.join);
  if (options.queues !== undefined) checked.queues = checkQueues(options.queues);
  if (options.environment !== undefined) checked.environment = checkEnvironment(options.environment);
  return checked;
}

/** `n1@replimq-1:9326,n2@replimq-2:9326` */
export function formatPeers(peers: readonly PeerAddress[]): string {
  return peers.map((peer) => `${peer.id}@${peer.host}:${peer.port}`).join(',');
}

/** The server flags for these options (ports, bind address and paths are the runtime's). */
export function optionFlags(options: NodeOptions): string[] {
  const flags: string[] = [];
  if (options.storage) flags.push('--storage', options.storage);
  if (options.ackMode) flags.push('--ack-mode', options.ackMode);
  if (options.logLevel) flags.push('--log-level', options.logLevel);
  if (options.nodeId) flags.push('--node-id', options.nodeId);
  if (options.peers && options.peers.length > 0) flags.push('--peers', formatPeers(options.peers));
  if (options.join && options.join.length > 0) flags.push('--join', formatPeers(options.join));
  return flags;
}

function checkOneOf<T extends string>(what: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InvalidOptionError(`${what} must be one of ${allowed.join(', ')}; got "${value}"`);
  }
  return value as T;
}
