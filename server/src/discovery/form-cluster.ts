/**
 * `--discover` at start-up: resolve, identify, decide (bootstrap-decision.ts), until the node
 * forms; returns the initial configuration, which the node then runs with exactly as if it had
 * been given as `--peers`. Once formed, discovery is over: the record keeps the configuration
 * (SQLite nodes), and growing the cluster goes through membership changes, not DNS.
 *
 * While it forms, the node's gRPC port answers only Identify (identify-service.ts); a member
 * that formed first is recognised by its raft port instead (formed-probe.ts).
 */
import * as grpc from '@grpc/grpc-js';
import { ConfigError } from '../cli/config-error.js';
import { resolveClusterSecurity, type ClusterSecurity } from '../cluster/auth/cluster-security.js';
import { hostPort } from '../cluster/raft-replication.js';
import type { NodeConfig, PeerAddress } from '../config.js';
import type { Logger } from '../log.js';
import { initialBootstrapState, stepBootstrap, type BootstrapState, type MemberAddress, type Observation } from './bootstrap-decision.js';
import { fileRecordStore, memoryRecordStore, type BootstrapRecordStore } from './bootstrap-record.js';
import { dnsCandidates, stableAddress, systemResolver, type DiscoveryResolver } from './dns-candidates.js';
import { answersAsFormedMember } from './formed-probe.js';
import { IdentifyServer, identify, ownHostname } from './identify-service.js';

const FORMED_HINT =
  'answers gRPC but not Identify: a member of a cluster that formed already (a node that lost its bootstrap record — memory storage, a wiped volume — cannot rejoin by discovery: give it --peers)';

export interface FormClusterOptions {
  logger: Logger;
  resolver?: DiscoveryResolver;
  store?: BootstrapRecordStore;
  /** Between two rounds of resolving and identifying. */
  intervalMs?: number;
  /** Per identify call or probe. */
  callTimeoutMs?: number;
  hostname?: string;
}

/** `config` with `peers` set to the formed configuration (unchanged without `--discover`). */
export async function formCluster(config: NodeConfig, options: FormClusterOptions): Promise<NodeConfig> {
  const { discover, bootstrapExpect: expect, nodeId } = config.cluster;
  if (discover === undefined || expect === undefined) return config;
  const logger = options.logger.child({ component: 'discovery', node: nodeId });
  const withPeers = (peers: PeerAddress[]): NodeConfig => ({ ...config, cluster: { ...config.cluster, peers } });
  const store = options.store ?? (config.storage === 'sqlite' ? fileRecordStore(config.dataDir) : memoryRecordStore());
  const record = store.read();
  if (record?.members) {
    logger.info('cluster formed before: its configuration comes from the bootstrap record, not DNS', { members: record.members.map((m) => m.id).join(',') });
    return withPeers(record.members);
  }
  if (record && record.expect !== expect) {
    throw new ConfigError(`this node locked on ${record.lock.join(',')} under --bootstrap-expect ${record.expect}; it cannot form with ${expect} now`);
  }
  if (expect === 1) {
    const members = [{ id: nodeId, host: ownHostname(), port: config.grpcPort }];
    store.write({ expect, lock: [nodeId], members });
    return withPeers(members);
  }

  const security = resolveClusterSecurity(config);
  if (!security.keys) throw new ConfigError('--discover proves every member with the cluster secret: set REPLIMQ_CLUSTER_SECRET');
  const resolver = options.resolver ?? systemResolver();
  const hostname = options.hostname ?? ownHostname();
  const intervalMs = options.intervalMs ?? 500;
  const callTimeoutMs = options.callTimeoutMs ?? 1_500;
  let state: BootstrapState = initialBootstrapState(nodeId, { host: hostname, port: config.grpcPort }, expect, record?.lock);

  const server = new IdentifyServer({ keys: security.keys, tls: security.tls, identity: () => ({ id: nodeId, hostname, lock: state.lock, expect }) });
  await server.listen(hostPort(config.bind, config.grpcPort));
  logger.info('discovering members', { name: discover.name, expect, ...(state.lock ? { lock: state.lock.join(',') } : {}) });
  let lastReason = '';
  try {
    for (;;) {
      const observations = await observe(state, { resolver, security, config, callTimeoutMs, logger });
      const step = stepBootstrap(state, observations);
      const { decision } = step;
      if (decision.kind === 'lock') {
        // Synced before the identify server can say so (bootstrap-record.ts).
        store.write({ expect, lock: [...decision.lock] });
        logger.info('locked on the initial member set; waiting for every member to lock on it', { lock: decision.lock.join(',') });
        state = step.state;
        continue;
      }
      state = step.state;
      if (decision.kind === 'form') {
        const members = decision.members.map(({ id, host, port }) => ({ id, host, port }));
        store.write({ expect, lock: [...(state.lock ?? [])], members });
        logger.info('cluster formed', { members: members.map((m) => `${m.id}@${hostPort(m.host, m.port)}`).join(',') });
        return withPeers(members);
      }
      if (decision.reason !== lastReason) logger.info('waiting to form', { reason: decision.reason });
      lastReason = decision.reason;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  } finally {
    await server.close();
  }
}

interface ObserveContext {
  resolver: DiscoveryResolver;
  security: ClusterSecurity;
  config: NodeConfig;
  callTimeoutMs: number;
  logger: Logger;
}

/** One round: what answers at every address DNS gives now and at every locked member's. */
async function observe(state: BootstrapState, context: ObserveContext): Promise<Observation[]> {
  const { resolver, security, config, callTimeoutMs } = context;
  const discover = config.cluster.discover!;
  let resolved: MemberAddress[] = [];
  try {
    resolved = await dnsCandidates(resolver, discover, config.grpcPort);
  } catch (error) {
    context.logger.warn('DNS lookup failed', { name: discover.name, error: (error as Error).message });
  }
  const lockMembers = (state.lock ?? []).filter((id) => id !== state.selfId && !state.confirmed.includes(id));
  const targets = new Map(resolved.map((address) => [key(address), address]));
  for (const id of lockMembers) {
    const address = state.addresses[id];
    if (address) targets.set(key(address), address);
  }
  const observations = await Promise.all(
    [...targets.values()].map(async (address): Promise<Observation> => {
      const answer = await identify(state.selfId, security, address, callTimeoutMs);
      if (!answer.ok) {
        // A gRPC server without Identify is most likely the raft port of a member that formed.
        const reason = answer.code === grpc.status.UNIMPLEMENTED ? `${FORMED_HINT} (${answer.reason})` : answer.reason;
        return { kind: 'unidentified', address, reason };
      }
      const { id, hostname, lock } = answer.identity;
      return { kind: 'identified', id, address: await stableAddress(resolver, address, hostname), lock };
    }),
  );
  // A locked member that did not identify may have formed already: its raft port says so.
  const identified = new Set(observations.flatMap((seen) => (seen.kind === 'identified' ? [seen.id] : [])));
  const probes = lockMembers
    .filter((id) => !identified.has(id) && state.addresses[id] !== undefined)
    .map(async (id): Promise<Observation | undefined> => {
      const address = state.addresses[id]!;
      return (await answersAsFormedMember(state.selfId, security, id, address, callTimeoutMs)) ? { kind: 'formed', id, address } : undefined;
    });
  for (const probe of await Promise.all(probes)) if (probe) observations.push(probe);
  // An address a formed member answers at is not an unknown one any more.
  const formedAt = new Set(observations.flatMap((seen) => (seen.kind === 'formed' ? [key(seen.address)] : [])));
  return observations.filter((seen) => !(seen.kind === 'unidentified' && formedAt.has(key(seen.address))));
}

function key(address: MemberAddress): string {
  return `${address.host}:${address.port}`;
}
