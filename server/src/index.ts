/**
 * The `replimq` package's public API: start a node in-process (tests, embedding) with the same
 * configuration the CLI builds.
 */
export { startNode } from './node.js';
export type { RunningNode, NodeDependencies } from './node.js';
export { defaultConfig, isSingleNode } from './config.js';
export type { NodeConfig, ClusterConfig, PeerAddress, QueueDefinition, StorageKind, LogLevel } from './config.js';
export { resolveConfig } from './cli/resolve-config.js';
export { ConfigError } from './cli/config-error.js';
export { createLogger, silentLogger } from './log.js';
export type { Logger, LogFields, LogSink } from './log.js';
export type { AckMode } from './cluster/replicator.js';
export { ACK_MODES, ACK_MODE_TAG } from './cluster/replicator.js';
export { SqsError } from './engine/errors.js';
export type { SqsErrorCode } from './engine/errors.js';
export type { ClusterStatus, NodeRole, PeerStatus } from './admin/cluster-status.js';
export type { HealthAnswer } from './admin/builtin-routes.js';
export type { FaultSpec, FaultState } from './admin/faults.js';
export type { QueueSummary } from './admin/queue-summary.js';
export type { MembersAnswer, MemberProgress } from './cluster/membership-routes.js';
export type { MemberInfo, MemberRole } from './cluster/membership.js';
