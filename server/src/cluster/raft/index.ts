/** The pure replication core's public surface. */
export type { RaftConfig, HardState, RestoredState } from './config.js';
export { raftConfig, DEFAULT_RAFT_TIMING, EMPTY_STATE } from './config.js';
export type { Effects, RaftRole, RoleChange, InstallSnapshot } from './effects.js';
export type { RaftEvent } from './events.js';
export type * from './messages.js';
export type { Proposal } from './proposal.js';
export type { RaftStatus, PeerStatus, ProgressState } from './status.js';
export type {
  Configuration,
  ConfigurationAt,
  Member,
  MemberRole,
  MembershipChange,
  MembershipChangeError,
  MembershipChangeResult,
} from './membership.js';
export { bootstrapConfiguration, differsByOneServer, voterIds } from './membership.js';
export { RaftCore } from './raft-core.js';
export { payloadJson } from './payload-json.js';
