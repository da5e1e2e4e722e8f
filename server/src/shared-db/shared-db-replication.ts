/**
 * The replication layer of a node on postgres storage: nodes given the same database URL form an
 * active/standby group (README.md beside this file). One lease loop, one replicator that commits
 * to the database, the forwarding service standbys send every SQS call through, and the gRPC
 * server that takes those forwards. A node alone on its database is a group of one.
 */
import { FaultInjector } from '../admin/faults.js';
import { clusterAdminRoutes } from '../cluster/cluster-admin-routes.js';
import { ForwardingService } from '../cluster/forwarding-service.js';
import { hostPort } from '../cluster/raft-replication.js';
import type { ReplicationFactory } from '../service/replication-layer.js';
import { PostgresConnection } from '../storage/postgres/postgres-connection.js';
import { PostgresStorage } from '../storage/postgres/postgres-storage.js';
import { advertisedHost } from './advertise-address.js';
import { ForwardTransport } from './forward-transport.js';
import { LeaseKeeper, type LeaseTiming } from './lease-keeper.js';
import { LeaseStore, type MemberRow } from './lease-store.js';
import { SharedDbReplicator } from './shared-db-replicator.js';
import { sharedDbStatusProvider } from './shared-db-status.js';
import { resolveClusterSecurity } from '../cluster/auth/cluster-security.js';

/** The lease lasts 1.5 election timeouts and is renewed four times per timeout: with the default
 *  1000 ms a dead active node is replaced within about two seconds. */
export function leaseTiming(electionTimeoutMs: number): LeaseTiming {
  return { leaseMs: Math.round(electionTimeoutMs * 1.5), tickMs: Math.max(20, Math.round(electionTimeoutMs / 4)) };
}

/** How long start-up waits for an active node to be known before letting clients in. */
const STARTUP_WAIT_LEASES = 2;

export const sharedDbReplication: ReplicationFactory = ({ config, engine, storage, clock, logger: nodeLogger }) => {
  if (!(storage instanceof PostgresStorage)) throw new Error('a shared-db group needs postgres storage');
  const { nodeId, electionTimeoutMs, replicationTimeoutMs } = config.cluster;
  const logger = nodeLogger.child({ component: 'shared-db', node: nodeId });
  const timing = leaseTiming(electionTimeoutMs);
  const leaseConnection = new PostgresConnection({
    url: config.postgresUrl ?? '',
    applicationName: `replimq:${nodeId}:lease`,
    // A lease query that cannot finish within a lease is as good as failed.
    timeoutMs: Math.min(replicationTimeoutMs, timing.leaseMs),
  });
  const faults = new FaultInjector();
  // Group members forward to each other: with a cluster secret, as raft members do; without one
  // (a lone node on PostgreSQL) the port refuses every call and a standby cannot forward.
  const security = resolveClusterSecurity(config);
  if (security.mode === 'closed') {
    logger.warn('no cluster secret: this node takes no forwarded calls and, as a standby, cannot forward; set REPLIMQ_CLUSTER_SECRET on every node of a shared-db group');
  } else if (security.mode === 'insecure') {
    logger.warn('shared-db forwarding NOT authenticated (--insecure-cluster): anyone who reaches the gRPC port can run SQS calls on the active node');
  }
  const store = new LeaseStore(leaseConnection, nodeId, timing.leaseMs);
  const transport = new ForwardTransport({
    selfId: nodeId,
    listenAddress: hostPort(config.bind, config.grpcPort),
    faults,
    electionTimeoutMs,
    security,
    logger: logger.child({ component: 'cluster-auth' }),
    isMember: (id) => store.isMember(id),
  });
  const replicator = new SharedDbReplicator({ nodeId, engine, storage, clock, logger });
  let members: readonly MemberRow[] = [];
  const keeper = new LeaseKeeper({
    nodeId,
    store,
    timing,
    logger,
    announce: () => ({ forwardAddress: hostPort(advertisedHost(config.bind), transport.port ?? config.grpcPort), sqsUrl: config.host }),
    events: {
      won: (fence) => replicator.won(fence),
      lost: (fence, reason) => replicator.lost(fence, reason),
      members: (rows) => {
        members = rows;
        transport.setMembers(rows.map((row) => ({ id: row.nodeId, address: row.forwardAddress })));
      },
    },
  });
  replicator.attach(keeper);
  const status = sharedDbStatusProvider({ nodeId, replicator, keeper, storage, leaseConnection, transport, members: () => members });
  let forwarding: ForwardingService | undefined;

  return {
    replicator,
    status,
    isLeader: () => replicator.isLeader(),
    wrapService: (local) => {
      forwarding = new ForwardingService({
        nodeId,
        local,
        leadership: replicator,
        transport,
        faults,
        // Requests wait (3×) this long for an active node: a take-over takes a lease and a load.
        electionTimeoutMs: timing.leaseMs,
        replicationTimeoutMs,
        account: { accountId: config.accountId, region: config.region },
      });
      return forwarding;
    },
    adminRoutes: clusterAdminRoutes(engine, status),
    metrics: () => status.metrics(),
    start: async () => {
      // A standby serves nothing of its own: the state is loaded when it wins the lease.
      engine.importRecords([]);
      engine.takeChanges();
      await transport.start({
        onMessage: () => undefined,
        onSnapshotFailed: () => undefined,
        onForward: (request, deadline, signal) => {
          if (!forwarding) return Promise.reject(new Error('the SQS service is not ready'));
          return forwarding.serve(request, deadline, signal);
        },
      });
      logger.info('forwarding listening', { address: hostPort(config.bind, transport.port ?? config.grpcPort) });
      await keeper.start();
      const giveUpAt = Date.now() + STARTUP_WAIT_LEASES * timing.leaseMs;
      while (!(replicator.isLeader() || (keeper.holder() !== undefined && keeper.holder() !== nodeId)) && Date.now() < giveUpAt) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    stop: async () => {
      const fence = await keeper.stop();
      // The last answers' writes land under the lease, then it is handed over at once.
      await storage.flush();
      if (fence) await store.release(fence).catch(() => undefined);
      replicator.stop();
      await transport.close();
      await leaseConnection.close();
    },
  };
};
