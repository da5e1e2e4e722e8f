/**
 * Admin endpoints of a cluster node besides `/faults`: `GET /state/digest` (a fingerprint of this
 * node's own state, read without forwarding) and `GET /metrics/cluster` (replication metrics in
 * the Prometheus text format).
 */
import { json, type AdminRoute } from '../admin/admin-route.js';
import type { ClusterStatusProvider } from '../admin/cluster-status.js';
import type { QueueEngine } from '../engine/queue-engine.js';
import type { ClusterMetrics } from './cluster-metrics.js';
import { stateDigest } from './state-digest.js';

export function clusterAdminRoutes(engine: QueueEngine, cluster: ClusterStatusProvider, metrics: ClusterMetrics): AdminRoute[] {
  return [
    {
      method: 'GET',
      path: '/state/digest',
      handle: () => {
        const status = cluster.status();
        return json(200, { nodeId: status.nodeId, appliedIndex: status.appliedIndex, ...stateDigest(engine) });
      },
    },
    {
      method: 'GET',
      path: '/metrics/cluster',
      handle: () => {
        const status = cluster.status();
        return {
          status: 200,
          contentType: 'text/plain; version=0.0.4; charset=utf-8',
          body: metrics.render({
            nodeId: status.nodeId,
            role: String(status.raftRole ?? status.role),
            term: status.term,
            commitIndex: status.commitIndex,
            appliedIndex: status.appliedIndex,
            peers: status.peers.map((peer) => ({ id: peer.id, lag: peer.lag, connected: peer.connected === true })),
          }),
        };
      },
    },
  ];
}
