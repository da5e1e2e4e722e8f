/**
 * What the raft runtime needs from the network: send a message to a peer, hear messages from
 * peers, forward a client request to the leader. The gRPC implementation lives in `grpc/`; a
 * test can put an in-memory one in its place.
 *
 * Delivery is best effort, like the network it models: a message may be dropped (peer down,
 * stream congested, fault rule) and the raft core recovers by retrying. Nothing is buffered
 * without bound for a dead peer.
 */
import type { RaftMessage } from './raft/index.js';
import type { ForwardReply, ForwardRequest, MembershipChangeWire, MembershipReplyWire } from './grpc/wire-messages.js';

/** A state as records (`QueueEngine.exportRecords()`): what a snapshot carries. */
export type StateRecords = readonly [string, string][];

export interface Member {
  id: string;
  /** `host:port` of the member's gRPC server. */
  address: string;
}

export interface TransportHandlers {
  /** A message from a peer (after fault rules). A `snapshot` message comes with its records,
   *  fully received. Replies go back through `send`. */
  onMessage(from: string, message: RaftMessage<unknown>, snapshot?: StateRecords): void;
  /** Sending a snapshot to `to` failed (connection lost, deadline passed, refused). */
  onSnapshotFailed(to: string): void;
  /** A client request forwarded by a follower; `deadline` is ms since the epoch; `signal`
   *  aborts when the follower gave up (its client went away). */
  onForward(request: ForwardRequest, deadline: number, signal: AbortSignal): Promise<ForwardReply>;
  /** A configuration change asked by a peer, or by a node that asks to join (membership.ts). */
  onChangeMembership?(request: MembershipChangeWire): Promise<MembershipReplyWire>;
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
  /** A `snapshot` message needs `snapshot`: the state at the message's index, which must not
   *  change while it is sent (pass a copy). */
  send(to: string, message: RaftMessage<unknown>, snapshot?: StateRecords): void;
  /** Rejects when the peer cannot be reached or the deadline (ms since the epoch) passes;
   *  `signal` cancels the call. A `ForwardNotSentError` means the peer never saw the request. */
  forward(to: string, request: ForwardRequest, deadline: number, signal?: AbortSignal): Promise<ForwardReply>;
  peers(): PeerLinkStatus[];
  close(): Promise<void>;
}

/** A forward that certainly did not reach the peer (fault rule, no connection): safe to retry. */
export class ForwardNotSentError extends Error {
  override readonly name = 'ForwardNotSentError';
}
