/**
 * replimq-testkit: replimq nodes and clusters for tests, in Docker containers (testcontainers) or
 * as local processes, with ready SDK clients, fault injection and replication assertions.
 * See client/README.md.
 */
export { ReplimqContainer, StartedReplimqContainer, DEFAULT_IMAGE, defaultImage } from './container.js';
export { ReplimqCluster } from './cluster.js';
export type { RuntimeChoice } from './cluster.js';
export { StartedReplimqCluster } from './started-cluster.js';
export type { LeaderOptions, NodeLag } from './started-cluster.js';
export type { ControllableNode, RuntimeKind } from './cluster-runtime.js';
export type { ReplimqNode } from './replimq-node.js';
export { ReplimqProcess, StartedReplimqProcess } from './process-node.js';
export type { ProcessPorts, ReplimqProcessOptions } from './process-node.js';
export { AdminClient, AdminRequestError } from './admin-client.js';
export type { ClusterStatus, FaultSpec, FaultState, HealthAnswer, HealthStatus, NodeRole, PeerStatus, QueueSummary, StateDigest } from './admin-client.js';
export type { SqsCredentials } from './sqs-client.js';
export { buildReplimqImage, ensureReplimqImage, PUBLIC_BASE_IMAGE } from './image-build.js';
export type { BuildImageOptions } from './image-build.js';
export { createSqsClient } from './sqs-client.js';
export { commitOf, LOG_INDEX_HEADER, REPLICAS_HEADER } from './commit-log.js';
export type { CommitRecord } from './commit-log.js';
export { expectAckModeHolds, expectConverged, expectReplicated, nodeCount, requiredReplicas } from './assertions.js';
export type { AckModeProbeOptions, AckModeProbeResult, NodeCount, ReplicatedOptions } from './assertions.js';
export type { ClusterView, NodeReport, NodeState } from './cluster-view.js';
export type { ConvergenceOptions } from './convergence.js';
export { LinkHandle } from './link-faults/link-handle.js';
export type { LatencyOptions, LossOptions } from './link-faults/link-handle.js';
export type { LinkFaultSpec } from './link-faults/link-fault-spec.js';
export type { LinkState } from './link-faults/link-proxies.js';
export { chaosEnvironment } from './chaos-spec.js';
export type { ChaosErrorCode, ChaosSpec, ChaosState } from './chaos-spec.js';
export { ExperimentSetupError } from './experiment/run-experiment.js';
export type { ExperimentQueue, ExperimentResult } from './experiment/run-experiment.js';
export { NEMESIS_KINDS } from './experiment/options.js';
export type { Duration, ExperimentOptions, NemesisKind, NemesisOptions, ResolvedExperiment, WorkloadOptions } from './experiment/options.js';
export { planExperiment } from './experiment/plan.js';
export type { ExperimentPlan, FaultTarget, PlannedFault, PlannedMessage, PlannedOperation, PlannedQueue } from './experiment/plan.js';
export type { Delivery, DeletedEntry, FaultRecord, History, OperationRecord, Outcome, SentEntry } from './experiment/history.js';
export { checkHistory } from './experiment/checker.js';
export type { DeliveryCounts, Finding } from './experiment/checker.js';
export { ACK_MODE_PROMISES } from './experiment/promises.js';
export type { AckModeSummary, ExperimentSummary } from './experiment/summary.js';
export type { NodeDigest } from './experiment/digests.js';
export type { ExperimentPhase, ExperimentProgress } from './experiment/progress.js';
export { formatProgress } from './experiment/progress.js';
export type { ReportFiles } from './experiment/report.js';
export { isDockerReachable, probeDocker } from './docker-engine.js';
export type { DockerProbe } from './docker-engine.js';
export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export type { AckMode, LogLevel, PeerAddress, StorageKind } from './node-options.js';
export { ACK_MODES, LOG_LEVELS, STORAGE_KINDS } from './node-options.js';
export type { QueueConfig } from './queue-config.js';
export { ADMIN_PORT, GRPC_PORT, SQS_PORT } from './ports.js';
export { freePort } from './free-port.js';
export { LocalPostgres, findPostgresBinaries } from './postgres/local-postgres.js';
export type { LocalPostgresOptions } from './postgres/local-postgres.js';
export type { SharedDatabase } from './postgres/shared-database.js';
export {
  ClusterFormationError,
  ImageUnavailableError,
  InvalidOptionError,
  NodeStartError,
  ReplicationAssertionError,
  ReplimqTestkitError,
  WaitTimeoutError,
} from './errors.js';
