/**
 * What the raft runtime needs from the network: send a message to a peer, hear messages from
 * peers, forward a client request to the leader. The gRPC implementation lives in `grpc/`; a
 * test can put an in-memory one in its place.
 *
 * Delivery is best effort, like the network it models: a message may be dropped (peer down,
 * stream congested, fault rule) and the raft core recovers by retrying. Nothing is buffered
 * without bound for a dead peer.
 */
import type {
  AppendReply,
  AppendRequest,
  ForwardReply,
  ForwardRequest,
  SnapshotMeta,
  SnapshotReply,
  VoteReply,
  VoteRequest,
} from './grpc/wire-messages.js';

export interface Member {
  id: string;
  /** `host:port` of the member's gRPC server. */
  address: string;
}

export type PeerMessage =
  | { kind: 'vote'; preVote: boolean; request: VoteRequest }
  | { kind: 'vote-reply'; preVote: boolean; reply: VoteReply }
  | { kind: 'append'; request: AppendRequest }
  | { kind: 'append-reply'; reply: AppendReply }
  /** The whole state, sent lazily in chunks; on receipt `records` is fully read. */
  | { kind: 'snapshot'; meta: SnapshotMeta; records: Iterable<[string, string]> }
  | { kind: 'snapshot-reply'; reply: SnapshotReply };

export interface TransportHandlers {
  /** A message from a peer (after fault rules). Replies go back through `send`. */
  onMessage(from: string, message: PeerMessage): void;
  /** A client request forwarded by a follower; `deadline` is ms since the epoch. */
  onForward(request: ForwardRequest, deadline: number): Promise<ForwardReply>;
}

export interface PeerLinkStatus {
  id: string;
  address: string;
  /** A connection to the peer is up (channel ready or a stream open). */
  connected: boolean;
  /** Milliseconds since the last message heard from the peer, null if never. */
  lastContactMs: number | null;
  /** Messages to the peer dropped because it was unreachable or its stream congested. */
  dropped: number;
  /** Messages dropped by fault rules, to and from the peer. */
  droppedByFaults: { to: number; from: number };
}

export interface PeerTransport {
  /** Binds the server. */
  start(handlers: TransportHandlers): Promise<void>;
  send(to: string, message: PeerMessage): void;
  /** Rejects when the peer cannot be reached or the deadline (ms since the epoch) passes. */
  forward(to: string, request: ForwardRequest, deadline: number): Promise<ForwardReply>;
  peers(): PeerLinkStatus[];
  close(): Promise<void>;
}
