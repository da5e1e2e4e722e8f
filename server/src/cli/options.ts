/**
 * Every setting of a node, once: its flag, environment variable, config-file key, help text and
 * parser. The CLI, the env reader, the config file reader and `--help` all read this table, so
 * a setting cannot exist in one place and be missing in another.
 */
import { ACK_MODES } from '../cluster/replicator.js';
import { LOG_LEVELS, STORAGE_KINDS, type NodeConfig } from '../config.js';
import {
  NODE_ID,
  NODE_ID_EXPECTED,
  parseBaseUrl,
  parseBoolean,
  parseChoice,
  parseMilliseconds,
  parsePeers,
  parsePort,
  parseText,
  type ValueSource,
} from './value-parsers.js';

export interface OptionSpec {
  /** `sqs-port` → flag `--sqs-port`, env `REPLIMQ_SQS_PORT`. */
  flag: string;
  /** Key in the config file. */
  key: string;
  /** Placeholder in `--help`. */
  placeholder: string;
  description: string;
  /** Parse, validate and store the value. Throws `ConfigError`. */
  apply(config: NodeConfig, raw: unknown, source: ValueSource): void;
  /** The default as `--help` shows it. */
  shownDefault(config: NodeConfig): string;
}

export function envName(spec: OptionSpec): string {
  return `REPLIMQ_${spec.flag.toUpperCase().replace(/-/g, '_')}`;
}

export const OPTIONS: readonly OptionSpec[] = [
  {
    flag: 'sqs-port', key: 'sqsPort', placeholder: '<port>', description: 'SQS API port (0 = any free port)',
    apply: (c, raw, source) => (c.sqsPort = parsePort(raw, source)), shownDefault: (c) => String(c.sqsPort),
  },
  {
    flag: 'admin-port', key: 'adminPort', placeholder: '<port>', description: 'admin API port: /health /cluster /metrics /queues',
    apply: (c, raw, source) => (c.adminPort = parsePort(raw, source)), shownDefault: (c) => String(c.adminPort),
  },
  {
    flag: 'grpc-port', key: 'grpcPort', placeholder: '<port>', description: 'node-to-node replication port (gRPC)',
    apply: (c, raw, source) => (c.grpcPort = parsePort(raw, source)), shownDefault: (c) => String(c.grpcPort),
  },
  {
    flag: 'bind', key: 'bind', placeholder: '<address>', description: 'address the servers listen on',
    apply: (c, raw, source) => (c.bind = parseText(raw, source, /^[^\s/]+$/, 'an IP address or host name')),
    shownDefault: (c) => c.bind,
  },
  {
    flag: 'host', key: 'host', placeholder: '<url>', description: 'fixed base URL in queue URLs (default: the Host the client called)',
    apply: (c, raw, source) => (c.host = parseBaseUrl(raw, source)), shownDefault: () => '(the Host header)',
  },
  {
    flag: 'storage', key: 'storage', placeholder: STORAGE_KINDS.join('|'), description: 'where state lives',
    apply: (c, raw, source) => (c.storage = parseChoice(raw, source, STORAGE_KINDS)), shownDefault: (c) => c.storage,
  },
  {
    flag: 'data-dir', key: 'dataDir', placeholder: '<dir>', description: 'directory of the SQLite file (sqlite storage)',
    apply: (c, raw, source) => (c.dataDir = parseText(raw, source, /\S/, 'a directory path')), shownDefault: (c) => c.dataDir,
  },
  {
    flag: 'log-level', key: 'logLevel', placeholder: LOG_LEVELS.join('|'), description: 'log verbosity (logs go to stderr)',
    apply: (c, raw, source) => (c.logLevel = parseChoice(raw, source, LOG_LEVELS)), shownDefault: (c) => c.logLevel,
  },
  {
    flag: 'region', key: 'region', placeholder: '<region>', description: 'region of requests whose credential names none, and of config-file queues',
    apply: (c, raw, source) => (c.region = parseText(raw, source, /^[a-z0-9][a-z0-9-]{0,31}$/, 'a region name such as us-east-1')),
    shownDefault: (c) => c.region,
  },
  {
    flag: 'account-id', key: 'accountId', placeholder: '<12 digits>', description: 'account of requests whose access key id is not a 12-digit account id, and of config-file queues',
    apply: (c, raw, source) => (c.accountId = parseText(raw, source, /^\d{12}$/, 'a 12-digit account id')),
    shownDefault: (c) => c.accountId,
  },
  {
    flag: 'enforce-cooldowns', key: 'enforceCooldowns', placeholder: 'true|false',
    description: 'enforce SQS\'s 60-second PurgeQueue and re-create rules',
    apply: (c, raw, source) => (c.enforceCooldowns = parseBoolean(raw, source)), shownDefault: (c) => String(c.enforceCooldowns),
  },
  {
    flag: 'node-id', key: 'nodeId', placeholder: '<id>', description: 'this node\'s id in --peers',
    apply: (c, raw, source) => (c.cluster.nodeId = parseText(raw, source, NODE_ID, NODE_ID_EXPECTED)),
    shownDefault: (c) => c.cluster.nodeId,
  },
  {
    flag: 'peers', key: 'peers', placeholder: 'id@host:port,…', description: 'every cluster member\'s gRPC address, this node included',
    apply: (c, raw, source) => (c.cluster.peers = parsePeers(raw, source)), shownDefault: () => '(single node)',
  },
  {
    flag: 'ack-mode', key: 'ackMode', placeholder: ACK_MODES.join('|'), description: 'default replication ack mode (queue tag replimq:ack-mode overrides)',
    apply: (c, raw, source) => (c.cluster.ackMode = parseChoice(raw, source, ACK_MODES)), shownDefault: (c) => c.cluster.ackMode,
  },
  {
    flag: 'election-timeout-ms', key: 'electionTimeoutMs', placeholder: '<ms>', description: 'raft election timeout (randomised up to 2x)',
    apply: (c, raw, source) => (c.cluster.electionTimeoutMs = parseMilliseconds(raw, source)),
    shownDefault: (c) => String(c.cluster.electionTimeoutMs),
  },
  {
    flag: 'heartbeat-interval-ms', key: 'heartbeatIntervalMs', placeholder: '<ms>', description: 'leader heartbeat interval',
    apply: (c, raw, source) => (c.cluster.heartbeatIntervalMs = parseMilliseconds(raw, source)),
    shownDefault: (c) => String(c.cluster.heartbeatIntervalMs),
  },
  {
    flag: 'replication-timeout-ms', key: 'replicationTimeoutMs', placeholder: '<ms>', description: 'wait for the ack mode before answering 503',
    apply: (c, raw, source) => (c.cluster.replicationTimeoutMs = parseMilliseconds(raw, source)),
    shownDefault: (c) => String(c.cluster.replicationTimeoutMs),
  },
];

/** `--config <file>` is read before the others (it is where the others may come from). */
export const CONFIG_FLAG = 'config';
export const CONFIG_ENV = 'REPLIMQ_CONFIG';
