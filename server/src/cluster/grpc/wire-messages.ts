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
  last_log_index: number;
  last_log_term: number;
}

export interface VoteReply {
  from: string;
  term: number;
  granted: boolean;
}

export interface WireEntry {
  index: number;
  term: number;
  /** The command as UTF-8 JSON. */
  payload: Buffer;
}

export interface AppendRequest {
  from: string;
  term: number;
  prev_log_index: number;
  prev_log_term: number;
  entries: WireEntry[];
  leader_commit: number;
}

export interface AppendReply {
  from: string;
  term: number;
  success: boolean;
  match_index: number;
  hint_index: number;
  hint_term: number;
}

export interface SnapshotMeta {
  from: string;
  term: number;
  last_index: number;
  last_term: number;
  record_count: number;
}

export interface WireRecord {
  key: string;
  value: string;
}

export interface SnapshotChunk {
  meta?: SnapshotMeta | null;
  records: WireRecord[];
}

export interface SnapshotReply {
  from: string;
  term: number;
  last_index: number;
}

export interface ForwardRequest {
  from: string;
  action: string;
  input_json: string;
  base_url: string;
  sender_id: string;
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
