/**
 * The replication layer of every node: gRPC transport + raft replicator + forwarding from
 * followers + the cluster's admin endpoints. A node without `--peers` is a cluster of one (itself
 * at `--grpc-port`): it elects itself on its first tick, and runs the same code as a member of many.
 *
 * Which configuration a node starts with, strongest first (as etcd): the one it stored (SQLite),
 * then `--peers` (bootstrap of a new cluster), then none with `--join` (it asks to be added).
 */
import { FaultInjector } from '../admin/faults.js';
import { faultRoutes } from '../admin/faults-routes.js';
import type { NodeConfig, PeerAddress } from '../config.js';
import type { Logger } from '../log.js';
import type { ReplicationFactory } from '../service/replication-layer.js';
import { MISSING_SECRET, resolveClusterSecurity } from './auth/cluster-security.js';
import { ConfigError } from '../cli/config-error.js';
import { clusterAdminRoutes } from './cluster-admin-routes.js';
import { clusterGauges } from './cluster-metrics.js';
import { ForwardingService } from './forwarding-service.js';
import type { GrpcTransportOptions } from './grpc/grpc-transport.js';
import { DeferredGrpcTransport } from './grpc/deferred-grpc-transport.js';
import { RaftReplicator } from './raft-replicator.js';
import { raftStatusProvider } from './raft-status.js';
import type { Member } from './transport.js';
import { advertisedHost } from '../shared-db/advertise-address.js';
import { CHANGE_MEMBERSHIP_METHOD } from './grpc/replication-methods.js';
import { joinCluster } from './join-cluster.js';
import { MembershipService } from './membership-service.js';
import { membershipRoutes, type MemberProgress } from './membership-routes.js';
import { storedConfiguration } from './raft-metadata.js';
import type { Storage } from '../storage/storage.js';

/** `host:port`, with an IPv6 literal in brackets as gRPC targets need it. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** `--peers` as given; none means a cluster of this node alone, reached at `--grpc-port`. */
function clusterMembers(config: NodeConfig): PeerAddress[] {
  const { nodeId, peers } = config.cluster;
  return peers.length > 0 ? peers : [{ id: nodeId, host: '127.0.0.1', port: config.grpcPort }];
}

interface StartingMembership {
  /** The bootstrap members the core gets (ignored by it when a configuration was stored). */
  bootstrap: Member[];
  /** Whom the transport may talk to at start (this node included). */
  linked: Member[];
  /** This node's gRPC address as members know it (or will, once it joined). */
  self: Member;
  /** `--join` seeds, when this node has no configuration yet. */
  seeds: Member[];
}

function startingMembership(config: NodeConfig, storage: Storage, logger: Logger): StartingMembership {
  const { nodeId, join, advertiseAddress } = config.cluster;
  const stored = storedConfiguration(storage);
  const peers = clusterMembers(config).map((peer) => ({ id: peer.id, address: hostPort(peer.host, peer.port) }));
  if (stored && stored.configuration.members.length > 0) {
    const members = stored.configuration.members.map(({ id, address }) => ({ id, address }));
    const listed = new Set(config.cluster.peers.map((peer) => `${peer.id}@${hostPort(peer.host, peer.port)}`));
    const inUse = new Set(members.map((member) => `${member.id}@${member.address}`));
    if (config.cluster.peers.length > 0 && (listed.size !== inUse.size || [...listed].some((entry) => !inUse.has(entry)))) {
      logger.warn('--peers differs from the stored configuration, which wins (--peers only bootstraps a new cluster)', {
        stored: [...inUse].join(','),
      });
    }
    if (join.length > 0) logger.info('--join ignored: this node stored a configuration, it is a member already');
    const self = members.find((member) => member.id === nodeId) ?? { id: nodeId, address: ownAddress(config) };
    const linked = members.some((member) => member.id === nodeId) ? members : [self, ...members];
    // The core starts from the stored configuration; the bootstrap list only sizes its defaults
    // (and must name this node, even one the configuration no longer lists).
    return { bootstrap: linked, linked, self, seeds: [] };
  }
  if (join.length > 0) {
    const self = { id: nodeId, address: advertiseAddress ?? ownAddress(config) };
    const seeds = join.map((seed) => ({ id: seed.id, address: hostPort(seed.host, seed.port) }));
    return { bootstrap: [], linked: [self], self, seeds };
  }
  const self = peers.find((peer) => peer.id === nodeId);
  if (!self) throw new Error(`--node-id ${nodeId} is not in --peers (${peers.map((peer) => peer.id).join(', ')})`);
  return { bootstrap: peers, linked: peers, self, seeds: [] };
}

/** A node that has no --peers entry: its bind address (or external IPv4) and --grpc-port. */
function ownAddress(config: NodeConfig): string {
  return hostPort(advertisedHost(config.bind), config.grpcPort);
}

/** The port part of `host:port`. */
function portOf(address: string): number {
  return Number(address.slice(address.lastIndexOf(':') + 1));
}

/** How many election timeouts `start()` waits for a leader at most. */
const STARTUP_LEADER_WAIT_TIMEOUTS = 4;

async function leaderKnown(replicator: RaftReplicator, timeoutMs: number): Promise<boolean> {
  const giveUpAt = Date.now() + timeoutMs;
  while (replicator.leaderId() === undefined) {
    if (Date.now() >= giveUpAt) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/** `REPLIMQ_RAFT_RETAINED_ENTRIES`: a tuning (and testing) knob, not a CLI flag. */
function retainedEntries(): { retainedEntries?: number } {
  const value = Number(process.env['REPLIMQ_RAFT_RETAINED_ENTRIES']);
  return Number.isInteger(value) && value > 0 ? { retainedEntries: value } : {};
}

export const raftReplication: ReplicationFactory = ({ config, engine, storage, clock, logger: nodeLogger }) => {
  const { nodeId, electionTimeoutMs, heartbeatIntervalMs, replicationTimeoutMs } = config.cluster;
  const logger = nodeLogger.child({ component: 'raft', node: nodeId });
  const starting = startingMembership(config, storage, logger);
  const { self } = starting;
  // Peers dial the address in the configuration; listen on its port, on the configured interface
  // (a joining node on --grpc-port, which its advertised address names unless it is translated).
  const listenAddress = hostPort(config.bind, starting.seeds.length > 0 ? config.grpcPort : portOf(self.address));
  const security = resolveClusterSecurity(config);
  // The CLI checked --peers; a stored configuration or --join may mean members too.
  if (security.mode === 'closed' && (starting.linked.length > 1 || starting.seeds.length > 0)) throw new ConfigError(MISSING_SECRET);
  if (security.mode === 'insecure') {
    logger.warn('cluster plane NOT authenticated (--insecure-cluster): anyone who reaches the gRPC port can write the replicated log');
  }

  const faults = new FaultInjector();
  const transportOptions: GrpcTransportOptions = {
    selfId: nodeId,
    members: starting.linked,
    faults,
    electionTimeoutMs,
    security,
    logger: logger.child({ component: 'cluster-auth' }),
    listenAddress,
    // A node started with --join asks a member to add it before it is one.
    mayCallAsNonMember: [CHANGE_MEMBERSHIP_METHOD],
  };
  // A node alone (no peers, not joining) loads gRPC on first use; a member of many at start.
  const transport = new DeferredGrpcTransport(transportOptions, starting.seeds.length === 0);
  const replicator = new RaftReplicator({
    nodeId,
    members: starting.bootstrap,
    onPeersChanged: (peers) => transport.setMembers([self, ...peers]),
    engine,
    storage,
    transport,
    timing: { electionTimeoutMs, heartbeatIntervalMs, replicationTimeoutMs },
    logger,
    clock,
    ...retainedEntries(),
  });
  const status = raftStatusProvider(nodeId, replicator, transport, electionTimeoutMs);
  const leadership = { isLeader: () => replicator.isLeader(), leaderId: () => replicator.leaderId() };
  let forwarding: ForwardingService | undefined;
  const membership = new MembershipService({
    nodeId,
    authority: replicator,
    caller: transport,
    electionTimeoutMs,
    changeTimeoutMs: replicationTimeoutMs + 2_000,
  });
  const progress = (): ReadonlyMap<string, MemberProgress> => {
    const raft = replicator.raftStatus();
    if (raft.role !== 'leader') return new Map();
    return new Map(raft.peers.map((peer) => [peer.id, { matchIndex: peer.match, lag: Math.max(0, raft.lastIndex - peer.match), state: peer.state }]));
  };
  let stopped = false;

  return {
    replicator,
    status,
    isLeader: leadership.isLeader,
    wrapService: (local) => {
      forwarding = new ForwardingService({
        nodeId,
        local,
        leadership,
        transport,
        faults,
        electionTimeoutMs,
        replicationTimeoutMs,
        account: { accountId: config.accountId, region: config.region },
      });
      return forwarding;
    },
    adminRoutes: [
      ...faultRoutes(faults, () => transport.peers().map((peer) => peer.id).concat(nodeId), logger),
      ...clusterAdminRoutes(engine, status),
      ...membershipRoutes({ service: membership, authority: replicator, progress }),
    ],
    registerMetrics: (registry) => replicator.metrics.register(registry, () => clusterGauges(status.status(), electionTimeoutMs)),
    start: async () => {
      await transport.start({
        onMessage: (from, message, snapshot) => replicator.receive(from, message, snapshot),
        onSnapshotFailed: (to) => replicator.snapshotFailed(to),
        onForward: (request, deadline, signal) => {
          if (!forwarding) return Promise.reject(new Error('the SQS service is not ready'));
          return forwarding.serve(request, deadline, signal);
        },
        onChangeMembership: (request) => membership.serve(request),
      });
      logger.info('replication listening', { address: listenAddress });
      replicator.start();
      if (starting.seeds.length > 0) {
        logger.info('joining a running cluster', { via: starting.seeds.map((seed) => seed.id).join(','), address: self.address });
        void joinCluster({
          self,
          seeds: starting.seeds,
          caller: transport,
          logger,
          retryMs: electionTimeoutMs,
          requestTimeoutMs: replicationTimeoutMs + 2_000,
          stopped: () => stopped,
        }).then((members) => {
          // Until the leader's configuration arrives (log or snapshot), hear from the members it answered.
          if (members && replicator.configuration().length === 0) transport.setMembers([self, ...members.filter((member) => member.id !== nodeId)]);
        });
      }
      // Let clients in once a leader is known, so the first requests do not meet an election
      // (and the leader bootstraps config-file queues); a node started alone goes on after a while.
      const elected = await leaderKnown(replicator, STARTUP_LEADER_WAIT_TIMEOUTS * electionTimeoutMs);
      if (!elected) logger.info('no leader yet; serving anyway (requests wait for one or get 503)');
    },
    stop: async () => {
      stopped = true;
      replicator.stop();
      await transport.close();
    },
  };
};
