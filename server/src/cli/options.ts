/**
 * Every setting of a node, once: its flag, environment variable, config-file key, help text and
 * parser. The CLI, the env reader, the config file reader and `--help` all read this table, so
 * a setting cannot exist in one place and be missing in another.
 */
import { ACK_MODES } from '../cluster/replicator.js';
import { LOG_FORMATS, LOG_LEVELS, SQS_AUTH_MODES, STORAGE_KINDS, SYNC_MODES, type NodeConfig } from '../config.js';
import { DEFAULT_HTTP_LIMITS } from '../http-limits.js';
import { parseAdminToken, parseCredentials, readAdminTokenFile } from './security-values.js';
import {
  NODE_ID,
  NODE_ID_EXPECTED,
  parseBaseUrl,
  parseBoolean,
  parseChoice,
  parseCorsOrigins,
  parseInteger,
  parseMilliseconds,
  parsePeers,
  parsePort,
  parseSecrets,
  parseText,
  type ValueSource,
} from './value-parsers.js';
import { parseChaosSetting } from './chaos-setting.js';
import { parseDiscoverTarget } from './discover-value.js';

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
  /** The value of the flag given alone (`--insecure-cluster` means `--insecure-cluster true`). */
  impliedValue?: string;
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
    flag: 'admin-bind', key: 'adminBind', placeholder: '<address>', description: 'address the admin API listens on (it can inject faults: keep it private)',
    apply: (c, raw, source) => (c.adminBind = parseText(raw, source, /^[^\s/]+$/, 'an IP address or host name')),
    shownDefault: (c) => c.adminBind,
  },
  {
    flag: 'admin-token', key: 'adminToken', placeholder: '<token>', description: 'bearer token every admin endpoint but /health requires',
    apply: (c, raw, source) => (c.adminToken = parseAdminToken(raw, source)),
    shownDefault: () => '(none; generated when --admin-bind is not loopback)',
  },
  {
    flag: 'admin-token-file', key: 'adminTokenFile', placeholder: '<file>', description: 'read --admin-token from this file (keeps it out of ps and env)',
    apply: (c, raw, source) => (c.adminToken = readAdminTokenFile(raw, source)),
    shownDefault: () => '(none)',
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
    flag: 'keep-alive-timeout-ms', key: 'keepAliveTimeoutMs', placeholder: '<ms>', description: 'HTTP ports: close a kept-alive connection idle this long',
    apply: (c, raw, source) => (c.http.keepAliveTimeoutMs = parseMilliseconds(raw, source)),
    shownDefault: () => String(DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs),
  },
  {
    flag: 'headers-timeout-ms', key: 'headersTimeoutMs', placeholder: '<ms>', description: 'HTTP ports: close a connection whose request headers take longer (also one that sends nothing)',
    apply: (c, raw, source) => (c.http.headersTimeoutMs = parseMilliseconds(raw, source)),
    shownDefault: () => String(DEFAULT_HTTP_LIMITS.headersTimeoutMs),
  },
  {
    flag: 'request-timeout-ms', key: 'requestTimeoutMs', placeholder: '<ms>', description: 'HTTP ports: close a connection whose request (headers and body) takes longer to arrive',
    apply: (c, raw, source) => (c.http.requestTimeoutMs = parseMilliseconds(raw, source)),
    shownDefault: () => String(DEFAULT_HTTP_LIMITS.requestTimeoutMs),
  },
  {
    flag: 'max-connections', key: 'maxConnections', placeholder: '<count>', description: 'HTTP ports: open connections per port; more are closed at once',
    apply: (c, raw, source) => (c.http.maxConnections = parseInteger(raw, source, 1, 1_000_000, 'a connection count')),
    shownDefault: () => String(DEFAULT_HTTP_LIMITS.maxConnections),
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
    flag: 'sync', key: 'sync', placeholder: SYNC_MODES.join('|'), description: 'SQLite durability: full = fsync every group commit (survives power loss)',
    apply: (c, raw, source) => (c.sync = parseChoice(raw, source, SYNC_MODES)), shownDefault: (c) => c.sync,
  },
  {
    flag: 'postgres-url', key: 'postgresUrl', placeholder: 'postgres://…',
    description: 'database of postgres storage; nodes on one URL form an active/standby group',
    apply: (c, raw, source) => (c.postgresUrl = parseText(raw, source, /^postgres(ql)?:\/\/\S+$/, 'a postgres:// URL')),
    shownDefault: () => '(none)',
  },
  {
    flag: 'log-level', key: 'logLevel', placeholder: LOG_LEVELS.join('|'), description: 'log verbosity (logs go to stderr)',
    apply: (c, raw, source) => (c.logLevel = parseChoice(raw, source, LOG_LEVELS)), shownDefault: (c) => c.logLevel,
  },
  {
    flag: 'log-format', key: 'logFormat', placeholder: LOG_FORMATS.join('|'), description: 'log lines as key=value text or one JSON object each',
    apply: (c, raw, source) => (c.logFormat = parseChoice(raw, source, LOG_FORMATS)), shownDefault: (c) => c.logFormat,
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
    flag: 'cors-origins', key: 'corsOrigins', placeholder: '*|<origin>,…',
    description: 'origins browser pages may call the SQS port from (CORS)',
    apply: (c, raw, source) => (c.corsOrigins = parseCorsOrigins(raw, source)), shownDefault: (c) => c.corsOrigins.join(','),
  },
  {
    flag: 'auth', key: 'auth', placeholder: SQS_AUTH_MODES.join('|'), description: 'SQS port authentication: sigv4 checks AWS signatures against --credentials',
    apply: (c, raw, source) => (c.auth = parseChoice(raw, source, SQS_AUTH_MODES)), shownDefault: (c) => c.auth,
  },
  {
    flag: 'credentials', key: 'credentials', placeholder: '<file>', description: 'keys for --auth sigv4: "<access key id> <secret> <account id>" per line, or YAML',
    apply: (c, raw, source) => (c.credentials = parseCredentials(raw, source)), shownDefault: () => '(none)',
  },
  {
    flag: 'chaos', key: 'chaos', placeholder: '<json>', description: 'SQS failure modes on demand: injected errors, latency, duplicates, … (README)',
    apply: (c, raw, source) => (c.chaos = parseChaosSetting(raw, source)), shownDefault: () => 'off',
  },
  {
    flag: 'node-id', key: 'nodeId', placeholder: '<id>', description: 'this node\'s id in --peers (with --discover: the host name\'s first label)',
    apply: (c, raw, source) => (c.cluster.nodeId = parseText(raw, source, NODE_ID, NODE_ID_EXPECTED)),
    shownDefault: (c) => c.cluster.nodeId,
  },
  {
    flag: 'peers', key: 'peers', placeholder: 'id@host:port,…', description: 'every cluster member\'s gRPC address, this node included',
    apply: (c, raw, source) => (c.cluster.peers = parsePeers(raw, source)), shownDefault: () => '(single node)',
  },
  {
    flag: 'join', key: 'join', placeholder: 'id@host:port,…',
    description: 'members to ask to add this node (it has no configuration yet); it joins as a learner, then votes',
    apply: (c, raw, source) => (c.cluster.join = parsePeers(raw, source)), shownDefault: () => '(none)',
  },
  {
    flag: 'advertise-address', key: 'advertiseAddress', placeholder: '<host:port>',
    description: 'this node\'s gRPC address as other members dial it (--join)',
    apply: (c, raw, source) => (c.cluster.advertiseAddress = parseText(raw, source, /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*):\d{1,5}$/, 'host:port')),
    shownDefault: () => '(bind address):(grpc port)',
  },
  {
    flag: 'discover', key: 'discover', placeholder: 'dns:<name>[:<port>]',
    description: 'find the members by DNS instead of --peers (SRV _replimq._tcp.<name>, else A/AAAA at <port>)',
    apply: (c, raw, source) => (c.cluster.discover = parseDiscoverTarget(raw, source)), shownDefault: () => '(none)',
  },
  {
    flag: 'bootstrap-expect', key: 'bootstrapExpect', placeholder: '<count>',
    description: 'with --discover: form once this many members (this node included) are found and agree',
    apply: (c, raw, source) => (c.cluster.bootstrapExpect = parseInteger(raw, source, 1, 99, 'a member count')), shownDefault: () => '(none)',
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
  {
    flag: 'cluster-secret', key: 'clusterSecret', placeholder: '<secret>[,<secret>]',
    description: 'shared secret every member proves itself with (two during a rotation)',
    apply: (c, raw, source) => (c.cluster.security.secrets = parseSecrets(raw, source)), shownDefault: () => '(none)',
  },
  {
    flag: 'cluster-secret-file', key: 'clusterSecretFile', placeholder: '<file>', description: 'file with the cluster secret(s), one per line',
    apply: (c, raw, source) => (c.cluster.security.secretFile = parseText(raw, source, /\S/, 'a file path')), shownDefault: () => '(none)',
  },
  {
    flag: 'insecure-cluster', key: 'insecureCluster', placeholder: '[true|false]',
    description: 'run several nodes without a cluster secret: anyone reaching the gRPC port can write the log',
    apply: (c, raw, source) => (c.cluster.security.insecure = parseBoolean(raw, source)),
    shownDefault: (c) => String(c.cluster.security.insecure), impliedValue: 'true',
  },
  {
    flag: 'tls-cert', key: 'tlsCert', placeholder: '<pem file>', description: 'this node\'s certificate for mutual TLS between members (names the node id)',
    apply: (c, raw, source) => (c.cluster.security.tlsCert = parseText(raw, source, /\S/, 'a file path')), shownDefault: () => '(no TLS)',
  },
  {
    flag: 'tls-key', key: 'tlsKey', placeholder: '<pem file>', description: 'private key of --tls-cert',
    apply: (c, raw, source) => (c.cluster.security.tlsKey = parseText(raw, source, /\S/, 'a file path')), shownDefault: () => '(no TLS)',
  },
  {
    flag: 'tls-ca', key: 'tlsCa', placeholder: '<pem file>', description: 'CA that signs every member\'s certificate',
    apply: (c, raw, source) => (c.cluster.security.tlsCa = parseText(raw, source, /\S/, 'a file path')), shownDefault: () => '(no TLS)',
  },
];

/** `--config <file>` is read before the others (it is where the others may come from). */
export const CONFIG_FLAG = 'config';
export const CONFIG_ENV = 'REPLIMQ_CONFIG';
