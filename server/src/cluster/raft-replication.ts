/**
 * The replication layer of every node: gRPC transport + raft replicator + forwarding from
 * followers + the cluster's admin endpoints. A node without `--peers` is a cluster of one (itself
 * at `--grpc-port`): it elects itself on its first tick, and runs the same code as a member of many.
 */
import { FaultInjector } from '../admin/faults.js';
import { faultRoutes } from '../admin/faults-routes.js';
import type { NodeConfig, PeerAddress } from '../config.js';
import type { ReplicationFactory } from '../service/replication-layer.js';
import { resolveClusterSecurity } from './auth/cluster-security.js';
import { clusterAdminRoutes } from './cluster-admin-routes.js';
import { clusterGauges } from './cluster-metrics.js';
import { ForwardingService } from './forwarding-service.js';
import { GrpcTransport } from './grpc/grpc-transport.js';
import { RaftReplicator } from './raft-replicator.js';
import { raftStatusProvider } from './raft-status.js';
import type { Member } from './transport.js';

/** `host:port`, with an IPv6 literal in brackets as gRPC targets need it. */
function hostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** `--peers` as given; none means a cluster of this node alone, reached at `--grpc-port`. */
function clusterMembers(config: NodeConfig): PeerAddress[] {
  const { nodeId, peers } = config.cluster;
  return peers.length > 0 ? peers : [{ id: nodeId, host: '127.0.0.1', port: config.grpcPort }];
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
  const peers = clusterMembers(config);
  const members: Member[] = peers.map((peer) => ({ id: peer.id, address: hostPort(peer.host, peer.port) }));
  const self = peers.find((peer) => peer.id === nodeId);
  if (!self) throw new Error(`--node-id ${nodeId} is not in --peers (${peers.map((peer) => peer.id).join(', ')})`);
  const logger = nodeLogger.child({ component: 'raft', node: nodeId });
  const security = resolveClusterSecurity(config);
  if (security.mode === 'insecure') {
    logger.warn('cluster plane NOT authenticated (--insecure-cluster): anyone who reaches the gRPC port can write the replicated log');
  }

  const faults = new FaultInjector();
  const transport = new GrpcTransport({
    selfId: nodeId,
    members,
    faults,
    electionTimeoutMs,
    security,
    logger: logger.child({ component: 'cluster-auth' }),
    // Peers dial the address in --peers; listen on its port, on the configured interface.
    listenAddress: hostPort(config.bind, self.port),
  });
  const replicator = new RaftReplicator({
    nodeId,
    members,
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
      });
      return forwarding;
    },
    adminRoutes: [
      ...faultRoutes(faults, members.map((member) => member.id), logger),
      ...clusterAdminRoutes(engine, status),
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
      });
      logger.info('replication listening', { address: hostPort(config.bind, self.port) });
      replicator.start();
      // Let clients in once a leader is known, so the first requests do not meet an election
      // (and the leader bootstraps config-file queues); a node started alone goes on after a while.
      const elected = await leaderKnown(replicator, STARTUP_LEADER_WAIT_TIMEOUTS * electionTimeoutMs);
      if (!elected) logger.info('no leader yet; serving anyway (requests wait for one or get 503)');
    },
    stop: async () => {
      replicator.stop();
      await transport.close();
    },
  };
};
