/**
 * The admin endpoints every node has: `/health`, `/cluster`, `/metrics`, `/queues`.
 * `/metrics` is the node's Prometheus registry: its SQS families, the replication layer's, and
 * the process and runtime ones; `/metrics/cluster` (where the replication families used to live
 * alone) is an alias of it.
 */
import type { AdminResponse, AdminRoute } from './admin-route.js';
import { json } from './admin-route.js';
import type { ClusterStatusProvider, NodeRole } from './cluster-status.js';
import type { MetricsRegistry } from '../metrics/metrics-registry.js';
import { summarizeQueues } from './queue-summary.js';
import type { QueueEngine } from '../engine/queue-engine.js';
import type { Clock } from '../service/clock.js';

/** `GET /health`'s body: 200 with `ok`, else 503 with why (the testkit reads this type). */
export type HealthAnswer = { status: 'ok' } | { status: 'starting' } | { status: 'not-ready'; role: NodeRole };

export interface BuiltinRoutesOptions {
  /** True once the SQS port is listening. */
  isServing: () => boolean;
  cluster: ClusterStatusProvider;
  /** The node's metrics registry, every family already registered. */
  metrics: MetricsRegistry;
  engine: QueueEngine;
  clock: Clock;
  /** Base URL used for queue URLs in `/queues` (the admin API has no SQS Host to echo). */
  sqsBaseUrl: () => string;
}

export function builtinRoutes(options: BuiltinRoutesOptions): AdminRoute[] {
  const { isServing, cluster, metrics, engine, clock, sqsBaseUrl } = options;
  const exposition = async (): Promise<AdminResponse> => ({
    status: 200,
    contentType: metrics.contentType,
    body: await metrics.metrics(),
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
