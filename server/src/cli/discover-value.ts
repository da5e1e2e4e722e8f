/**
 * `--discover dns:NAME[:PORT]` and the node id a discovering node takes by default: its host
 * name's first label (`$HOSTNAME`: a StatefulSet pod's `replimq-0`, a Compose `hostname:`).
 */
import { hostname } from 'node:os';
import { MISSING_SECRET } from '../cluster/auth/cluster-security.js';
import type { NodeConfig } from '../config.js';
import type { DiscoverTarget } from '../discovery/dns-candidates.js';
import { ConfigError } from './config-error.js';
import { NODE_ID, NODE_ID_EXPECTED, invalid, type ValueSource } from './value-parsers.js';

const EXPECTED = 'dns:<name>[:<port>], e.g. dns:replimq-headless.default.svc.cluster.local';

export function parseDiscoverTarget(raw: unknown, source: ValueSource): DiscoverTarget {
  const match = typeof raw === 'string' ? /^dns:([A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252}[A-Za-z0-9_.])?)(?::(\d{1,5}))?$/.exec(raw.trim()) : null;
  if (!match) throw invalid(raw, source, EXPECTED);
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (port < 1 || port > 65535)) throw invalid(raw, source, `${EXPECTED} with a port from 1 to 65535`);
  return { name: match[1]!.replace(/\.$/, ''), port };
}

export function nodeIdFromHostname(env: NodeJS.ProcessEnv): string {
  const name = env['HOSTNAME']?.trim() || hostname();
  const label = name.split('.')[0] ?? '';
  if (!NODE_ID.test(label)) throw new ConfigError(`host name "${name}" is no node id (${NODE_ID_EXPECTED}): set --node-id`);
  return label;
}

/** `--discover` and `--bootstrap-expect` come together, instead of `--peers`, with a secret. */
export function checkDiscovery(config: NodeConfig): void {
  const { discover, bootstrapExpect, peers, security } = config.cluster;
  if (discover === undefined && bootstrapExpect === undefined) return;
  if (discover === undefined) throw new ConfigError('--bootstrap-expect goes with --discover dns:<name> (it counts the members discovered)');
  if (bootstrapExpect === undefined) {
    throw new ConfigError('--discover needs --bootstrap-expect <count>: the number of members the cluster starts with, this node included');
  }
  if (peers.length > 0) throw new ConfigError('--discover and --peers both name the members: give one of them');
  if (config.storage === 'postgres') throw new ConfigError('--storage postgres takes no --discover: the nodes on one database find each other through it');
  if (bootstrapExpect > 1 && security.secrets.length === 0 && security.secretFile === undefined) {
    throw new ConfigError(`--discover proves every member's identity with the cluster secret: ${MISSING_SECRET.replace(/; --insecure-cluster.*$/, '')}`);
  }
}
