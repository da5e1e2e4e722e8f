/**
 * Builds the node's configuration from its four sources, weakest first:
 * defaults < config file < environment (`REPLIMQ_*`) < command-line flags.
 */
import { resolveClusterSecurity } from '../cluster/auth/cluster-security.js';
import { defaultConfig, type NodeConfig } from '../config.js';
import { ConfigError } from './config-error.js';
import { readConfigFile, type PreloadedConfigFile } from './config-file.js';
import { elasticMqToReplimq } from './elasticmq-config.js';
import { isHoconFile, readHoconDocument } from './hocon-document.js';
import { CONFIG_ENV, OPTIONS, envName } from './options.js';
import { parseArgs } from './parse-args.js';
import { checkDiscovery, nodeIdFromHostname } from './discover-value.js';
import { basename } from 'node:path';

export type CliRequest = { kind: 'help' } | { kind: 'version' } | { kind: 'run'; config: NodeConfig };

/** `preloaded`: the config file already read, when it needed an asynchronous parser (HOCON). */
export function resolveConfig(argv: readonly string[], env: NodeJS.ProcessEnv, preloaded?: PreloadedConfigFile): CliRequest {
  const args = parseArgs(argv);
  if (args.help) return { kind: 'help' };
  if (args.version) return { kind: 'version' };

  const config = defaultConfig();
  // Which settings were given at all (a discovering node without --node-id takes its host name's).
  const given = new Set<string>();
  const configFile = configFilePath(argv, env);
  if (configFile !== undefined) {
    const contents = readConfigFile(configFile, preloaded);
    for (const { spec, raw, source } of contents.settings) {
      spec.apply(config, raw, source);
      given.add(spec.flag);
    }
    config.queues = contents.queues;
  }
  for (const spec of OPTIONS) {
    const value = nonEmpty(env[envName(spec)]);
    if (value !== undefined) {
      spec.apply(config, value, envName(spec));
      given.add(spec.flag);
    }
  }
  for (const { spec, value } of args.settings) {
    spec.apply(config, value, `--${spec.flag}`);
    given.add(spec.flag);
  }
  if (config.cluster.discover !== undefined && !given.has('node-id')) config.cluster.nodeId = nodeIdFromHostname(env);

  checkCluster(config);
  checkDiscovery(config);
  checkEdges(config);
  return { kind: 'run', config };
}

function checkEdges(config: NodeConfig): void {
  if (config.auth === 'sigv4' && config.credentials.length === 0) {
    throw new ConfigError('--auth sigv4 needs --credentials <file> listing "<access key id> <secret access key> <account id>" per line');
  }
  const { headersTimeoutMs, requestTimeoutMs } = config.http;
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError(`--headers-timeout-ms (${headersTimeoutMs}) must not be longer than --request-timeout-ms (${requestTimeoutMs})`);
  }
}

function checkCluster(config: NodeConfig): void {
  const { nodeId, peers, electionTimeoutMs, heartbeatIntervalMs } = config.cluster;
  if (peers.length > 0 && !peers.some((peer) => peer.id === nodeId)) {
    throw new ConfigError(`--node-id "${nodeId}" is not one of --peers (${peers.map((peer) => peer.id).join(', ')})`);
  }
  if (config.storage === 'postgres' && config.postgresUrl === undefined) {
    throw new ConfigError('--storage postgres needs --postgres-url (or REPLIMQ_POSTGRES_URL, config key postgresUrl)');
  }
  if (config.storage === 'postgres' && peers.length > 1) {
    throw new ConfigError('--storage postgres takes no --peers: the nodes on one database find each other through it');
  }
  const { join } = config.cluster;
  if (join.length > 0 && config.storage === 'postgres') {
    throw new ConfigError('--storage postgres takes no --join: the nodes on one database find each other through it');
  }
  if (join.length > 0 && peers.length > 0) {
    throw new ConfigError('--join and --peers contradict each other: --peers forms a new cluster, --join enters a running one');
  }
  if (join.length > 0 && config.cluster.discover !== undefined) {
    throw new ConfigError('--join and --discover contradict each other: --discover forms a new cluster, --join enters a running one');
  }
  if (join.some((seed) => seed.id === nodeId)) throw new ConfigError(`--join names this node ("${nodeId}"); name members of the running cluster`);
  if (heartbeatIntervalMs >= electionTimeoutMs) {
    throw new ConfigError(`--heartbeat-interval-ms (${heartbeatIntervalMs}) must be shorter than --election-timeout-ms (${electionTimeoutMs})`);
  }
  // Secret, secret file and TLS files are checked (and read) here too, so a mistake in them
  // stops the node before it opens any port; the replication layer resolves them again to use them.
  resolveClusterSecurity(config);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** The config file named by `--config` or `REPLIMQ_CONFIG`, if any. */
export function configFilePath(argv: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  return parseArgs(argv).configFile ?? nonEmpty(env[CONFIG_ENV]);
}

/** Reads ahead a config file that needs an asynchronous parser: ElasticMQ's HOCON (`.conf`),
 *  translated into replimq's settings (elasticmq-config.ts). Undefined for JSON and YAML. */
export async function preloadConfigFile(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<PreloadedConfigFile | undefined> {
  const path = configFilePath(argv, env);
  if (path === undefined || !isHoconFile(path)) return undefined;
  const name = basename(path);
  return { path, document: elasticMqToReplimq(await readHoconDocument(path), name) };
}

