/**
 * TypeScript shapes of the messages in proto/replication.proto, as @grpc/proto-loader hands them
 * over with the options in `replication-proto.ts` (snake_case field names, uint64 as `number`,
 * bytes as `Buffer`).
 *
 * Only the transport and the code that maps raft messages to the wire see these shapes.
 */

export interface VoteRequest {
  from: string;
  term: number;
  last_index: number;
  last_term: number;
  /** Where the candidate's configuration came from; (0, 0) from versions before membership. */
  config_index?: number;
  config_term?: number;
}

export interface VoteReply {
  from: string;
  term: number;
  granted: boolean;
}

export interface WireEntry {
  index: number;
  term: number;
  /** The payload as UTF-8 JSON ("null" for a leader's start-of-term entry). */
  payload: Buffer;
  /** A configuration entry's configuration as UTF-8 JSON (raft/membership.ts); absent otherwise. */
  configuration?: Buffer;
}

export interface AppendRequest {
  term: number;
  prev_index: number;
  prev_term: number;
  entries: WireEntry[];
  commit: number;
}

export interface Heartbeat {
  term: number;
  commit: number;
}

/** `body` names the member that is set (proto-loader's `oneofs: true`). */
export type LeaderMessage =
  | { from: string; body: 'append'; append: AppendRequest; heartbeat?: null }
  | { from: string; body: 'heartbeat'; heartbeat: Heartbeat; append?: null };

export interface AppendReply {
  term: number;
  success: boolean;
  match: number;
  rejected_index: number;
  last_index: number;
  last_term: number;
  incarnation: number;
}

export interface HeartbeatReply {
  term: number;
}

export type FollowerMessage =
  | { from: string; body: 'append_reply'; append_reply: AppendReply; heartbeat_reply?: null }
  | { from: string; body: 'heartbeat_reply'; heartbeat_reply: HeartbeatReply; append_reply?: null };

export interface SnapshotMeta {
  from: string;
  term: number;
  index: number;
  index_term: number;
  record_count: number;
  /** The configuration at the snapshot's point as JSON (raft/membership.ts); empty from versions
   *  before membership (the receiver keeps its own). */
  configuration_json?: string;
  configuration_index?: number;
  configuration_term?: number;
}

export interface WireRecord {
  key: string;
  value: string;
}

export interface SnapshotChunk {
  meta?: SnapshotMeta | null;
  records: WireRecord[];
}

export interface ForwardRequest {
  from: string;
  action: string;
  input_json: string;
  base_url: string;
  sender_id: string;
  /** Empty from a follower of a version before accounts: the leader's own then. */
  account_id: string;
  region: string;
}

export interface ForwardAnswer {
  output_json: string;
  log_index: number;
  replicas: number;
}

export interface ForwardError {
  code: string;
  message: string;
  not_leader: boolean;
  leader_id: string;
}

export type ForwardReply =
  | { result: 'answer'; answer: ForwardAnswer; error?: null }
  | { result: 'error'; error: ForwardError; answer?: null };

/** A message of the `ForwardStream` RPC from the caller: a request, or the cancellation of one. */
export type ForwardCall =
  | { from: string; id: number; body: 'request'; request: ForwardRequest; cancel?: null }
  | { from: string; id: number; body: 'cancel'; cancel: Record<string, never>; request?: null };

/** What one event-loop turn of the caller sends on `ForwardStream`. */
export interface ForwardCalls {
  calls: ForwardCall[];
}

/** What one event-loop turn of the leader answers on `ForwardStream`. */
export interface ForwardResults {
  results: ForwardResult[];
}

/** The leader's answer to the stream's call `id`. */
export type ForwardResult =
  | { id: number; result: 'reply'; reply: ForwardReply; failure?: string }
  | { id: number; result: 'failure'; failure: string; reply?: null };

export interface MembershipChangeWire {
  from: string;
  kind: string;
  id: string;
  address: string;
}

export interface MemberWire {
  id: string;
  address: string;
  role: string;
}

export interface MembershipReplyWire {
  error: string;
  message: string;
  leader_id: string;
  members: MemberWire[];
}
