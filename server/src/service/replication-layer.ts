/**
 * The seam between the node's wiring and whatever replicates its commands: the raft layer
 * (`cluster/raft-replication.ts`) for every node, one member or many, with its admin routes
 * (`/faults`) and a forwarding service for followers. Tests may pass another layer through
 * `NodeDependencies.replication` in node.ts.
 */
import type { QueueEngine } from '../engine/queue-engine.js';
import type { Replicator } from '../cluster/replicator.js';
import type { SqsService } from '../sqs/sqs-service.js';
import type { Storage } from '../storage/storage.js';
import type { AdminRoute } from '../admin/admin-route.js';
import type { ClusterStatusProvider } from '../admin/cluster-status.js';
import type { NodeConfig } from '../config.js';
import type { Logger } from '../log.js';
import type { Clock } from './clock.js';
import type { MetricsRegistry } from '../metrics/metrics-registry.js';

/** What a replication layer is built from. */
export interface ReplicationContext {
  config: NodeConfig;
  /** The engine to apply commands to (already observed: applies wake long polls). */
  engine: QueueEngine;
  storage: Storage;
  clock: Clock;
  logger: Logger;
}

export interface ReplicationLayer {
  replicator: Replicator;
  status: ClusterStatusProvider;
  /** Only the leader issues housekeeping and config-file bootstrap commands. */
  isLeader(): boolean;
  /** The service SQS clients reach: the node's own on the leader; a layer may wrap it to
   *  forward from followers. Omitted: the local service as it is. */
  wrapService?(local: SqsService): SqsService;
  /** Adds the layer's own Prometheus families to the node's registry (`GET /metrics`). */
  registerMetrics?(registry: MetricsRegistry): void;
  /** Extra admin endpoints (e.g. `/faults`). */
  adminRoutes?: AdminRoute[];
  /** Called once the SQS service exists, before clients are let in (gRPC servers, elections). */
  start?(): Promise<void>;
  /** Stop replicating; storage is closed by the node afterwards. */
  stop(): Promise<void>;
}

export type ReplicationFactory = (context: ReplicationContext) => ReplicationLayer;
