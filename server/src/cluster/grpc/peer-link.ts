/**
 * The client side of this node's connection to one peer: unary votes, the long-lived
 * `Replicate` stream (opened on demand, re-opened with backoff after it breaks), snapshot
 * transfers and forwarded client requests.
 *
 * Bounded by design: while the stream is down, backing off, or congested (more than
 * `maxQueuedMessages` waiting: the peer or the network is slow), leader messages are dropped and
 * counted instead of queued. Raft tolerates loss; the core resends from the follower's acknowledged position.
 */
import * as grpc from '@grpc/grpc-js';
import type {
  PreVoteRequest,
  RaftMessage,
  SnapshotRequest,
  VoteRequest as RaftVoteRequest,
} from '../raft/index.js';
import { ForwardNotSentError, type Member, type PeerLinkStatus, type StateRecords } from '../transport.js';
import {
  decodeFollowerMessage,
  decodeVoteReply,
  encodeLeaderMessage,
  encodeSnapshotMeta,
  encodeVoteRequest,
} from './raft-wire.js';
import type {
  FollowerMessage,
  ForwardReply,
  ForwardRequest,
  LeaderMessage,
  MembershipChangeWire,
  MembershipReplyWire,
  SnapshotChunk,
  VoteReply,
  VoteRequest,
} from './wire-messages.js';
import { watchConnectAttempts } from './connect-watchdog.js';
import { coalesceAppends, type LeaderRaftMessage } from './append-coalescing.js';
import type { PeerSigner } from '../auth/peer-signer.js';
import { clientAuthInterceptor } from './peer-auth-interceptors.js';
import { ForwardStreamClient, type ForwardDuplex } from './forward-stream-client.js';

/** The methods @grpc/grpc-js generates from the `Replication` service. */
interface ReplicationClient extends grpc.Client {
  Vote(request: VoteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<VoteReply>): grpc.ClientUnaryCall;
  PreVote(request: VoteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<VoteReply>): grpc.ClientUnaryCall;
  Replicate(options?: grpc.CallOptions): grpc.ClientDuplexStream<LeaderMessage, FollowerMessage>;
  InstallSnapshot(options: grpc.CallOptions, callback: grpc.requestCallback<FollowerMessage>): grpc.ClientWritableStream<SnapshotChunk>;
  Forward(request: ForwardRequest, options: grpc.CallOptions, callback: grpc.requestCallback<ForwardReply>): grpc.ClientUnaryCall;
  ForwardStream(options?: grpc.CallOptions): ForwardDuplex;
  ChangeMembership(
    request: MembershipChangeWire,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<MembershipReplyWire>,
  ): grpc.ClientUnaryCall;
}

export interface PeerLinkOptions {
  selfId: string;
  member: Member;
  service: grpc.ServiceClientConstructor;
  channelOptions: grpc.ChannelOptions;
  /** Plaintext or mutual TLS (peer-channel-credentials.ts). */
  credentials: grpc.ChannelCredentials;
  /** Signs every call with the cluster secret; undefined only with --insecure-cluster. */
  signer: PeerSigner | undefined;
  /** Deadline of a vote round trip. */
  voteTimeoutMs: number;
  /** Longest connect attempt before the channel is replaced by a fresh one (`connect-watchdog.ts`). */
  connectTimeoutMs: number;
  /** Deadline of a whole snapshot transfer. */
  snapshotTimeoutMs: number;
  /** Shortest time between two channel replacements by `peerCalled` (default 1 s). */
  redialMinIntervalMs?: number;
  /** First and longest wait before re-opening a broken `Replicate` stream. */
  reopenBackoffMs: { initial: number; max: number };
  /** Leader messages queued in the `Replicate` stream beyond which new ones are dropped. */
  maxQueuedMessages: number;
  /** Records per snapshot chunk (each chunk also stays under `SNAPSHOT_CHUNK_BYTES`). */
  snapshotChunkRecords: number;
  now(): number;
  /** A reply from this peer arrived. */
  onReply(message: RaftMessage<unknown>): void;
  onSnapshotFailed(): void;
}

const SNAPSHOT_CHUNK_BYTES = 1024 * 1024;
/** Payload bytes up to which appends are joined: well under the 64 MiB gRPC message limit. */
const MAX_COALESCED_BYTES = 4 * 1024 * 1024;
/** Forwarded calls waiting on one link at a time; far above what the node's clients keep open. */
const MAX_WAITING_FORWARDS = 10_000;

type ReplicationClientConstructor = new (
  address: string,
  credentials: grpc.ChannelCredentials,
  options: grpc.ChannelOptions,
) => ReplicationClient;

export class PeerLink {
  private client: ReplicationClient;
  private stream: grpc.ClientDuplexStream<LeaderMessage, FollowerMessage> | undefined;
  private reopenAt = 0;
  private backoffMs: number;
  private snapshotInFlight = false;
  private dropped = 0;
  private closed = false;
  private outbox: LeaderRaftMessage[] = [];
  private flushTimer: NodeJS.Immediate | undefined;
  private readonly forwards: ForwardStreamClient;
  private nextRedialAt = 0;

  constructor(private readonly options: PeerLinkOptions) {
    this.client = this.connectClient();
    this.backoffMs = options.reopenBackoffMs.initial;
    this.forwards = new ForwardStreamClient({
      selfId: options.selfId,
      peerId: options.member.id,
      // On the client of the moment: a replaced channel's stream fails, and the next call opens anew.
      open: () => this.client.ForwardStream(),
      now: options.now,
      maxWaiting: MAX_WAITING_FORWARDS,
      isNotConnected,
    });
  }

  get id(): string {
    return this.options.member.id;
  }

  get address(): string {
    return this.options.member.address;
  }

  vote(message: PreVoteRequest | RaftVoteRequest): void {
    // A closed grpc-js client throws on every call: late messages after shutdown are dropped.
    if (this.closed) return;
    const preVote = message.type === 'preVote';
    const request = encodeVoteRequest(this.options.selfId, message);
    const callOptions = { deadline: this.options.now() + this.options.voteTimeoutMs };
    const callback: grpc.requestCallback<VoteReply> = (error, reply) => {
      if (!error && reply) this.options.onReply(decodeVoteReply(reply, preVote));
    };
    if (preVote) this.client.PreVote(request, callOptions, callback);
    else this.client.Vote(request, callOptions, callback);
  }

  /** Sent at the end of this event-loop turn, with the turn's other appends joined where they
   *  continue each other (append-coalescing.ts). */
  replicate(message: LeaderRaftMessage): void {
    this.outbox.push(message);
    this.flushTimer ??= setImmediate(() => this.flushOutbox());
  }

  private flushOutbox(): void {
    this.flushTimer = undefined;
    const messages = this.outbox;
    this.outbox = [];
    for (const { message, parts } of coalesceAppends(messages, MAX_COALESCED_BYTES)) {
      const stream = this.openStream();
      // grpc-js hands messages to HTTP/2 asynchronously, so a burst of appends queues briefly in
      // the stream even on a healthy link; only a queue that stays this long means a slow or
      // dead peer, and then dropping is cheaper than buffering.
      if (!stream || stream.writableLength >= this.options.maxQueuedMessages) {
        this.dropped += parts;
        continue;
      }
      stream.write(encodeLeaderMessage(this.options.selfId, message));
    }
  }

  /** Streams a snapshot; the peer's acknowledgement arrives through `onReply`. One at a time. */
  snapshot(message: SnapshotRequest, records: StateRecords): void {
    if (this.closed) return;
    if (this.snapshotInFlight) {
      this.dropped++;
      return;
    }
    this.snapshotInFlight = true;
    this.sendSnapshot(message, records)
      .then((reply) => {
        const decoded = decodeFollowerMessage(reply);
        if (decoded) this.options.onReply(decoded);
        else this.options.onSnapshotFailed();
      }, () => this.options.onSnapshotFailed())
      .finally(() => {
        this.snapshotInFlight = false;
      });
  }

  /** On the link's `ForwardStream`; by unary `Forward` to a peer of a version without it. */
  forward(request: ForwardRequest, deadline: number, signal?: AbortSignal): Promise<ForwardReply> {
    if (this.closed) return Promise.reject(new ForwardNotSentError('the node is shutting down'));
    if (!this.forwards.unsupported) return this.forwards.call(request, deadline, signal);
    return new Promise((resolve, reject) => {
      const call = this.client.Forward(request, { deadline }, (error, reply) => {
        signal?.removeEventListener('abort', cancel);
        if (error && isNotConnected(error)) reject(new ForwardNotSentError(`${this.id} is unreachable: ${error.details}`));
        else if (error || !reply) reject(error ?? new Error('empty Forward reply'));
        else resolve(reply);
      });
      const cancel = (): void => call.cancel();
      signal?.addEventListener('abort', cancel, { once: true });
    });
  }

  /** Asks this peer for a configuration change; rejects when it cannot be reached in time. */
  changeMembership(request: MembershipChangeWire, deadline: number): Promise<MembershipReplyWire> {
    if (this.closed) return Promise.reject(new Error('the node is shutting down'));
    return new Promise((resolve, reject) => {
      this.client.ChangeMembership(request, { deadline }, (error, reply) => {
        if (error || !reply) reject(error ?? new Error('empty ChangeMembership reply'));
        else resolve(reply);
      });
    });
  }

  /**
   * The peer just called this node, so it is listening now. A channel to it that failed to
   * connect earlier sleeps in gRPC's reconnect backoff (up to a second), and every message to the
   * peer fails fast meanwhile: at a cluster's start, where nodes come up one after another, that
   * left the first leader's appends and the nodes' fresh-start probes to the last node to start
   * failing for up to a second after it listened. Such a channel is replaced by a fresh one, which
   * connects at once — at most once per `redialMinIntervalMs`, so that a peer that can call us
   * but that we cannot reach (a one-way cut) costs no more connect attempts than the backoff.
   */
  peerCalled(): void {
    if (this.closed) return;
    if (this.client.getChannel().getConnectivityState(false) !== grpc.connectivityState.TRANSIENT_FAILURE) return;
    const now = this.options.now();
    if (now < this.nextRedialAt) return;
    this.nextRedialAt = now + (this.options.redialMinIntervalMs ?? 1000);
    this.replaceClient(this.client);
    // The stream broke on the old channel: open it on the new one at the next message.
    this.reopenAt = 0;
    this.backoffMs = this.options.reopenBackoffMs.initial;
  }

  /** Connection state and congestion drops; the transport adds contact times and fault drops. */
  status(): Omit<PeerLinkStatus, 'lastContactMs' | 'droppedByFaults'> {
    const state = this.client.getChannel().getConnectivityState(false);
    return {
      id: this.options.member.id,
      address: this.options.member.address,
      connected: state === grpc.connectivityState.READY,
      dropped: this.dropped,
    };
  }

  close(): void {
    this.closed = true;
    if (this.flushTimer) clearImmediate(this.flushTimer);
    this.flushTimer = undefined;
    this.outbox = [];
    this.forwards.close();
    this.stream?.cancel();
    this.stream = undefined;
    this.client.close();
  }

  /** A client on a channel of its own (the channel options ask for a local subchannel pool, so a
   *  replacement never inherits the stuck connection), watched for stuck connect attempts. */
  private connectClient(): ReplicationClient {
    const Client = this.options.service as unknown as ReplicationClientConstructor;
    const { signer, member, channelOptions } = this.options;
    const interceptors = signer ? [clientAuthInterceptor(signer, member.id)] : [];
    const client = new Client(member.address, this.options.credentials, { ...channelOptions, interceptors });
    watchConnectAttempts(client.getChannel(), this.options.connectTimeoutMs, () => this.replaceClient(client));
    return client;
  }

  /** Drops a client whose connect attempt hangs (its calls waiting for a connection fail as
   *  not sent, so forwarding retries them) and starts over on a fresh channel. */
  private replaceClient(stuck: ReplicationClient): void {
    if (this.closed || this.client !== stuck) return;
    const stream = this.stream;
    this.stream = undefined;
    stream?.cancel();
    this.client = this.connectClient();
    stuck.close();
  }

  private openStream(): grpc.ClientDuplexStream<LeaderMessage, FollowerMessage> | undefined {
    if (this.stream || this.closed) return this.stream;
    if (this.options.now() < this.reopenAt) return undefined;
    const stream = this.client.Replicate();
    this.stream = stream;
    stream.on('data', (wire: FollowerMessage) => {
      this.backoffMs = this.options.reopenBackoffMs.initial;
      const message = decodeFollowerMessage(wire);
      if (message) this.options.onReply(message);
    });
    const broken = (): void => {
      if (this.stream !== stream) return;
      this.stream = undefined;
      this.reopenAt = this.options.now() + this.backoffMs;
      this.backoffMs = Math.min(this.backoffMs * 2, this.options.reopenBackoffMs.max);
    };
    // Every end of the stream (peer gone, keepalive timeout, peer restarted) leads here.
    stream.on('error', broken);
    stream.on('end', broken);
    stream.on('close', broken);
    return stream;
  }

  private async sendSnapshot(message: SnapshotRequest, records: StateRecords): Promise<FollowerMessage> {
    const deadline = this.options.now() + this.options.snapshotTimeoutMs;
    let call: grpc.ClientWritableStream<SnapshotChunk> | undefined;
    const answered = new Promise<FollowerMessage>((resolve, reject) => {
      call = this.client.InstallSnapshot({ deadline }, (error, reply) => {
        if (error || !reply) reject(error ?? new Error('empty InstallSnapshot reply'));
        else resolve(reply);
      });
    });
    // Observed below; this keeps an early failure from being reported as unhandled meanwhile.
    answered.catch(() => undefined);
    const writer = call as grpc.ClientWritableStream<SnapshotChunk>;
    let chunk: SnapshotChunk = { meta: encodeSnapshotMeta(this.options.selfId, message, records.length), records: [] };
    let chunkBytes = 0;
    for (const [key, value] of records) {
      chunk.records.push({ key, value });
      chunkBytes += key.length + value.length;
      if (chunk.records.length >= this.options.snapshotChunkRecords || chunkBytes >= SNAPSHOT_CHUNK_BYTES) {
        if (!writer.write(chunk)) await Promise.race([drained(writer), answered]);
        chunk = { records: [] };
        chunkBytes = 0;
      }
    }
    writer.write(chunk);
    writer.end();
    return answered;
  }
}

function drained(stream: grpc.ClientWritableStream<SnapshotChunk>): Promise<void> {
  return new Promise((resolve) => stream.once('drain', () => resolve()));
}

/** grpc-js reports a call that never got a connection as UNAVAILABLE "No connection established",
 *  and one still waiting for it when its channel was replaced as "Channel closed before call started". */
function isNotConnected(error: grpc.ServiceError): boolean {
  return (
    error.code === grpc.status.UNAVAILABLE &&
    /No connection established|ECONNREFUSED|Channel closed before call started/i.test(error.details ?? '')
  );
}
