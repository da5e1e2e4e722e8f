/**
 * The admin endpoints every node has: `/health`, `/cluster`, `/metrics`, `/queues`.
 * `/metrics` is one Prometheus exposition: the node's families, then the replication layer's;
 * `/metrics/cluster` (where the replication families used to live alone) is an alias of it.
 */
import type { AdminResponse, AdminRoute } from './admin-route.js';
import { json } from './admin-route.js';
import type { ClusterStatusProvider, NodeRole } from './cluster-status.js';
import type { NodeMetrics } from './node-metrics.js';
import { summarizeQueues } from './queue-summary.js';
import type { QueueEngine } from '../engine/queue-engine.js';
import type { Clock } from '../service/clock.js';

/** `GET /health`'s body: 200 with `ok`, else 503 with why (the testkit reads this type). */
export type HealthAnswer = { status: 'ok' } | { status: 'starting' } | { status: 'not-ready'; role: NodeRole };

export interface BuiltinRoutesOptions {
  /** True once the SQS port is listening. */
  isServing: () => boolean;
  cluster: ClusterStatusProvider;
  metrics: NodeMetrics;
  engine: QueueEngine;
  clock: Clock;
  /** Base URL used for queue URLs in `/queues` (the admin API has no SQS Host to echo). */
  sqsBaseUrl: () => string;
  longPollsWaiting: () => number;
  /** Families of the replication layer, appended to the node's own. */
  replicationMetrics: () => string;
}

export function builtinRoutes(options: BuiltinRoutesOptions): AdminRoute[] {
  const { isServing, cluster, metrics, engine, clock, sqsBaseUrl, longPollsWaiting, replicationMetrics } = options;
  const exposition = (): AdminResponse => ({
    status: 200,
    contentType: 'text/plain; version=0.0.4; charset=utf-8',
    body:
      metrics.render({
        cluster: cluster.status(),
        queues: summarizeQueues(engine, clock, sqsBaseUrl()),
        longPollsWaiting: longPollsWaiting(),
      }) + replicationMetrics(),
  });
  return [
    {
      method: 'GET',
      path: '/health',
      handle: () => {
        if (!isServing()) return json(503, { status: 'starting' } satisfies HealthAnswer);
        if (!cluster.ready()) return json(503, { status: 'not-ready', role: cluster.status().role } satisfies HealthAnswer);
        return json(200, { status: 'ok' } satisfies HealthAnswer);
      },
    },
    { method: 'GET', path: '/cluster', handle: () => json(200, cluster.status()) },
    {
      method: 'GET',
      path: '/queues',
      handle: () => json(200, { queues: summarizeQueues(engine, clock, sqsBaseUrl()) }),
    },
    { method: 'GET', path: '/metrics', handle: exposition },
    { method: 'GET', path: '/metrics/cluster', handle: exposition },
  ];
}
