/**
 * Raft messages (raft/messages.ts) to and from their protobuf shapes (wire-messages.ts).
 *
 * Entry payloads travel as JSON bytes; the start-of-term entry's `null` payload as "null".
 */
import type {
  AppendRequest as RaftAppend,
  Configuration,
  AppendResponse,
  HeartbeatRequest,
  HeartbeatResponse,
  LogEntry,
  PreVoteRequest,
  PreVoteResponse,
  RaftMessage,
  SnapshotRequest,
  VoteRequest as RaftVote,
  VoteResponse,
} from '../raft/index.js';
import { payloadJson } from '../raft/index.js';
import type { FollowerMessage, LeaderMessage, SnapshotMeta, VoteReply, VoteRequest, WireEntry } from './wire-messages.js';

export function encodeVoteRequest(from: string, message: PreVoteRequest | RaftVote): VoteRequest {
  return {
    from,
    term: message.term,
    last_index: message.lastIndex,
    last_term: message.lastTerm,
    config_index: message.config?.index ?? 0,
    config_term: message.config?.term ?? 0,
  };
}

export function decodeVoteRequest(request: VoteRequest, preVote: boolean): PreVoteRequest | RaftVote {
  const config = request.config_index ? { config: { index: request.config_index, term: request.config_term ?? 0 } } : {};
  const fields = { term: request.term, lastIndex: request.last_index, lastTerm: request.last_term, ...config };
  return preVote ? { type: 'preVote', ...fields } : { type: 'vote', ...fields };
}

export function encodeVoteReply(from: string, message: PreVoteResponse | VoteResponse): VoteReply {
  return { from, term: message.term, granted: message.granted };
}

export function decodeVoteReply(reply: VoteReply, preVote: boolean): PreVoteResponse | VoteResponse {
  const fields = { term: reply.term, granted: reply.granted };
  return preVote ? { type: 'preVoteResponse', ...fields } : { type: 'voteResponse', ...fields };
}

export function encodeLeaderMessage(from: string, message: RaftAppend | HeartbeatRequest): LeaderMessage {
  if (message.type === 'heartbeat') {
    return { from, body: 'heartbeat', heartbeat: { term: message.term, commit: message.commit } };
  }
  return {
    from,
    body: 'append',
    append: {
      term: message.term,
      prev_index: message.prevIndex,
      prev_term: message.prevTerm,
      entries: message.entries.map(encodeEntry),
      commit: message.commit,
    },
  };
}

export function decodeLeaderMessage(wire: LeaderMessage): RaftAppend | HeartbeatRequest | undefined {
  if (wire.body === 'heartbeat' && wire.heartbeat) {
    return { type: 'heartbeat', term: wire.heartbeat.term, commit: wire.heartbeat.commit };
  }
  if (wire.body === 'append' && wire.append) {
    const append = wire.append;
    return {
      type: 'append',
      term: append.term,
      prevIndex: append.prev_index,
      prevTerm: append.prev_term,
      entries: append.entries.map(decodeEntry),
      commit: append.commit,
    };
  }
  return undefined;
}

export function encodeFollowerMessage(from: string, message: AppendResponse | HeartbeatResponse): FollowerMessage {
  if (message.type === 'heartbeatResponse') {
    return { from, body: 'heartbeat_reply', heartbeat_reply: { term: message.term } };
  }
  const reply = message.success
    ? { term: message.term, success: true, match: message.match, rejected_index: 0, last_index: 0, last_term: 0 }
    : {
        term: message.term,
        success: false,
        match: 0,
        rejected_index: message.rejectedIndex,
        last_index: message.lastIndex,
        last_term: message.lastTerm,
      };
  return { from, body: 'append_reply', append_reply: { ...reply, incarnation: message.incarnation } };
}

export function decodeFollowerMessage(wire: FollowerMessage): AppendResponse | HeartbeatResponse | undefined {
  if (wire.body === 'heartbeat_reply' && wire.heartbeat_reply) {
    return { type: 'heartbeatResponse', term: wire.heartbeat_reply.term };
  }
  if (wire.body === 'append_reply' && wire.append_reply) {
    const reply = wire.append_reply;
    return reply.success
      ? { type: 'appendResponse', term: reply.term, success: true, match: reply.match, incarnation: reply.incarnation }
      : {
          type: 'appendResponse',
          term: reply.term,
          success: false,
          rejectedIndex: reply.rejected_index,
          lastIndex: reply.last_index,
          lastTerm: reply.last_term,
          incarnation: reply.incarnation,
        };
  }
  return undefined;
}

export function encodeSnapshotMeta(from: string, message: SnapshotRequest, recordCount: number): SnapshotMeta {
  const at = message.configuration;
  return {
    from,
    term: message.term,
    index: message.snapshot.index,
    index_term: message.snapshot.term,
    record_count: recordCount,
    configuration_json: at ? JSON.stringify(at.configuration) : '',
    configuration_index: at?.index ?? 0,
    configuration_term: at?.term ?? 0,
  };
}

export function decodeSnapshotMeta(meta: SnapshotMeta): SnapshotRequest {
  const snapshot: SnapshotRequest = { type: 'snapshot', term: meta.term, snapshot: { index: meta.index, term: meta.index_term } };
  if (!meta.configuration_json) return snapshot;
  const configuration = JSON.parse(meta.configuration_json) as Configuration;
  return { ...snapshot, configuration: { index: meta.configuration_index ?? 0, term: meta.configuration_term ?? 0, configuration } };
}

export function encodeEntry(entry: LogEntry<unknown>): WireEntry {
  const wire: WireEntry = { index: entry.index, term: entry.term, payload: payloadJson(entry.payload) };
  if (entry.configuration) wire.configuration = Buffer.from(JSON.stringify(entry.configuration), 'utf8');
  return wire;
}

function decodeEntry(entry: WireEntry): LogEntry<unknown> {
  const payload: unknown = JSON.parse(entry.payload.toString('utf8'));
  if (entry.configuration === undefined || entry.configuration.length === 0) return { index: entry.index, term: entry.term, payload: payload ?? null };
  const configuration = JSON.parse(entry.configuration.toString('utf8')) as Configuration;
  return { index: entry.index, term: entry.term, payload: payload ?? null, configuration };
}

/** Messages a node answers on an RPC its peer opened, rather than on one it opens itself. */
export function isReply(message: RaftMessage<unknown>): boolean {
  return (
    message.type === 'preVoteResponse' ||
    message.type === 'voteResponse' ||
    message.type === 'appendResponse' ||
    message.type === 'heartbeatResponse'
  );
}
