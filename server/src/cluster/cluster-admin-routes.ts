/**
 * Admin endpoint of a cluster node besides `/faults`: `GET /state/digest` (a fingerprint of this
 * node's own state, read without forwarding). Replication metrics are part of `GET /metrics`.
 */
import { json, type AdminRoute } from '../admin/admin-route.js';
import type { ClusterStatusProvider } from '../admin/cluster-status.js';
import type { QueueEngine } from '../engine/queue-engine.js';
import { stateDigest } from './state-digest.js';

export function clusterAdminRoutes(engine: QueueEngine, cluster: ClusterStatusProvider): AdminRoute[] {
  return [
    {
      method: 'GET',
      path: '/state/digest',
      handle: () => {
        const status = cluster.status();
        return json(200, { nodeId: status.nodeId, appliedIndex: status.appliedIndex, ...stateDigest(engine) });
      },
    },
  ];
}
