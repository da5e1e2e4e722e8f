/**
 * `GET /cluster`, `GET /health` and the metrics of a shared-db node. The shape is a raft node's
 * (admin/cluster-status.ts), so tools and the testkit read both alike: `role` is `leader` on the
 * active node and `follower` on standbys, `term` and `epoch` are the lease epoch, plus
 * `mode: "shared-db"` and the state of the database sessions.
 *
 * Ready means the database answers this node's lease loop and an active node is known (this one,
 * with its state loaded, or another one to forward to).
 */
import type { ClusterStatus, ClusterStatusProvider, PeerStatus } from '../admin/cluster-status.js';
import type { PostgresStorage } from '../storage/postgres/postgres-storage.js';
import type { PostgresConnection } from '../storage/postgres/postgres-connection.js';
import type { LeaseKeeper } from './lease-keeper.js';
import type { MemberRow } from './lease-store.js';
import type { SharedDbReplicator } from './shared-db-replicator.js';
import type { ForwardTransport } from './forward-transport.js';

export interface SharedDbStatusSources {
  nodeId: string;
  replicator: SharedDbReplicator;
  keeper: LeaseKeeper;
  storage: PostgresStorage;
  leaseConnection: PostgresConnection;
  transport: ForwardTransport;
  members: () => readonly MemberRow[];
}

export function sharedDbStatusProvider(sources: SharedDbStatusSources): ClusterStatusProvider & { metrics(): string } {
  const { nodeId, replicator, keeper, storage, leaseConnection, transport } = sources;
  const epoch = (): number => Number(keeper.fence?.epoch ?? keeper.view?.epoch ?? 0);
  const database = () => ({
    connected: keeper.databaseUp && leaseConnection.connected,
    storageSession: storage.connection.connected,
    lastError: keeper.lastError ?? storage.connection.lastError ?? null,
    reconnects: Math.max(0, storage.connection.opened - 1) + Math.max(0, leaseConnection.opened - 1),
  });
  const status = (): ClusterStatus => {
    const links = new Map(transport.peers().map((link) => [link.id, link]));
    const peers: PeerStatus[] = sources
      .members()
      .filter((member) => member.nodeId !== nodeId)
      .map((member) => ({
        id: member.nodeId,
        address: member.forwardAddress,
        connected: links.get(member.nodeId)?.connected ?? false,
        lastContactMs: member.lastSeenMs,
      }));
    const leader = replicator.isLeader();
    return {
      nodeId,
      role: leader ? 'leader' : 'follower',
      mode: 'shared-db',
      sharedDbRole: replicator.currentRole,
      term: epoch(),
      epoch: epoch(),
      leaderId: keeper.holder() ?? null,
      appliedIndex: replicator.commandIndex,
      commitIndex: replicator.commandIndex,
      database: database(),
      peers,
    };
  };
  const ready = (): boolean => {
    if (!keeper.databaseUp) return false;
    if (replicator.isLeader()) return true;
    const holder = keeper.holder();
    return holder !== undefined && holder !== nodeId;
  };
  const metrics = (): string => {
    const db = database();
    const lines = [
      ['replimq_shared_db_active', 'gauge', '1 on the active node of the group', replicator.isLeader() ? 1 : 0],
      ['replimq_shared_db_lease_epoch', 'gauge', 'lease epoch (fencing token) last seen', epoch()],
      ['replimq_shared_db_database_up', 'gauge', '1 while the database answers the lease loop', db.connected ? 1 : 0],
      ['replimq_shared_db_commits_total', 'counter', 'group commits written', storage.commits],
      ['replimq_shared_db_records_written_total', 'counter', 'records written or deleted by group commits', storage.recordsWritten],
      ['replimq_shared_db_commit_failures_total', 'counter', 'group commits that failed (the node stepped down)', replicator.commitFailures],
      ['replimq_shared_db_takeovers_total', 'counter', 'leases this node won', keeper.takeovers],
      ['replimq_shared_db_step_downs_total', 'counter', 'times this node stopped being active', replicator.stepDowns],
      ['replimq_shared_db_reconnects_total', 'counter', 'database sessions reopened after one broke', db.reconnects],
      ['replimq_shared_db_pending_writes', 'gauge', 'answers waiting for their commit', storage.pendingBatches],
    ] as const;
    return lines.map(([name, type, help, value]) => `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name} ${value}\n`).join('');
  };
  return { status, ready, metrics };
}
