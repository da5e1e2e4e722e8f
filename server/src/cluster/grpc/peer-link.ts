/**
 * The client side of this node's connection to one peer: unary votes, the long-lived
 * `Replicate` stream (opened on demand, re-opened with backoff after it breaks), snapshot
 * transfers and forwarded client requests.
 *
 * Bounded by design: while the stream is down, backing off, or congested (its write buffer
 * full: the peer or the network is slow), append messages are dropped and counted instead of
 * queued. Raft tolerates loss; the core resends from the follower's acknowledged position.
 */
import * as grpc from '@grpc/grpc-js';
import type { Member, PeerLinkStatus, PeerMessage } from '../transport.js';
import type {
  AppendReply,
  AppendRequest,
  ForwardReply,
  ForwardRequest,
  SnapshotChunk,
  SnapshotMeta,
  SnapshotReply,
  VoteReply,
  VoteRequest,
} from './wire-messages.js';

/** The methods @grpc/grpc-js generates from the `Replication` service. */
interface ReplicationClient extends grpc.Client {
  Vote(request: VoteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<VoteReply>): grpc.ClientUnaryCall;
  PreVote(request: VoteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<VoteReply>): grpc.ClientUnaryCall;
  Replicate(options?: grpc.CallOptions): grpc.ClientDuplexStream<AppendRequest, AppendReply>;
  InstallSnapshot(options: grpc.CallOptions, callback: grpc.requestCallback<SnapshotReply>): grpc.ClientWritableStream<SnapshotChunk>;
  Forward(request: ForwardRequest, options: grpc.CallOptions, callback: grpc.requestCallback<ForwardReply>): grpc.ClientUnaryCall;
}

export interface PeerLinkOptions {
  member: Member;
  service: grpc.ServiceClientConstructor;
  channelOptions: grpc.ChannelOptions;
  /** Deadline of a vote round trip. */
  voteTimeoutMs: number;
  /** Deadline of a whole snapshot transfer. */
  snapshotTimeoutMs: number;
  /** First and longest wait before re-opening a broken `Replicate` stream. */
  reopenBackoffMs: { initial: number; max: number };
  /** Records per snapshot chunk (each chunk also stays under `SNAPSHOT_CHUNK_BYTES`). */
  snapshotChunkRecords: number;
  now(): number;
  /** A reply from this peer arrived (vote, append or snapshot reply). */
  onReply(message: PeerMessage): void;
}

const SNAPSHOT_CHUNK_BYTES = 1024 * 1024;

export class PeerLink {
  private readonly client: ReplicationClient;
  private stream: grpc.ClientDuplexStream<AppendRequest, AppendReply> | undefined;
  private congested = false;
  private reopenAt = 0;
  private backoffMs: number;
  private snapshotInFlight = false;
  private dropped = 0;
  private closed = false;

  constructor(private readonly options: PeerLinkOptions) {
    const Client = options.service as unknown as new (
      address: string,
      credentials: grpc.ChannelCredentials,
      options: grpc.ChannelOptions,
    ) => ReplicationClient;
    this.client = new Client(options.member.address, grpc.credentials.createInsecure(), options.channelOptions);
    this.backoffMs = options.reopenBackoffMs.initial;
  }

  get id(): string {
    return this.options.member.id;
  }

  vote(request: VoteRequest, preVote: boolean): void {
    const callOptions = { deadline: this.options.now() + this.options.voteTimeoutMs };
    const callback: grpc.requestCallback<VoteReply> = (error, reply) => {
      if (error || !reply) return;
      this.options.onReply({ kind: 'vote-reply', preVote, reply });
    };
    if (preVote) this.client.PreVote(request, callOptions, callback);
    else this.client.Vote(request, callOptions, callback);
  }

  append(request: AppendRequest): void {
    const stream = this.openStream();
    if (!stream || this.congested) {
      this.dropped++;
      return;
    }
    if (!stream.write(request)) {
      this.congested = true;
      stream.once('drain', () => {
        if (this.stream === stream) this.congested = false;
      });
    }
  }

  /** Streams a snapshot; the peer's answer arrives through `onReply`. One transfer at a time. */
  snapshot(meta: SnapshotMeta, records: Iterable<[string, string]>): void {
    if (this.snapshotInFlight) {
      this.dropped++;
      return;
    }
    this.snapshotInFlight = true;
    this.sendSnapshot(meta, records)
      .catch(() => undefined)
      .finally(() => {
        this.snapshotInFlight = false;
      });
  }

  forward(request: ForwardRequest, deadline: number): Promise<ForwardReply> {
    return new Promise((resolve, reject) => {
      this.client.Forward(request, { deadline }, (error, reply) => {
        if (error || !reply) reject(error ?? new Error('empty Forward reply'));
        else {
              resolve(reply);
        }
      });
    });
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
    this.stream?.cancel();
    this.stream = undefined;
    this.client.close();
  }

  private openStream(): grpc.ClientDuplexStream<AppendRequest, AppendReply> | undefined {
    if (this.stream || this.closed) return this.stream;
    if (this.options.now() < this.reopenAt) return undefined;
    const stream = this.client.Replicate();
    this.stream = stream;
    this.congested = false;
    stream.on('data', (reply: AppendReply) => {
      this.backoffMs = this.options.reopenBackoffMs.initial;
      this.options.onReply({ kind: 'append-reply', reply });
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

  private async sendSnapshot(meta: SnapshotMeta, records: Iterable<[string, string]>): Promise<void> {
    const deadline = this.options.now() + this.options.snapshotTimeoutMs;
    let call: grpc.ClientWritableStream<SnapshotChunk> | undefined;
    const answered = new Promise<SnapshotReply>((resolve, reject) => {
      call = this.client.InstallSnapshot({ deadline }, (error, reply) => {
        if (error || !reply) reject(error ?? new Error('empty InstallSnapshot reply'));
        else resolve(reply);
      });
    });
    answered.catch(() => undefined);
    const writer = call as grpc.ClientWritableStream<SnapshotChunk>;
    let chunk: SnapshotChunk = { meta, records: [] };
    let chunkBytes = 0;
    for (const [key, value] of records) {
      chunk.records.push({ key, value });
      chunkBytes += key.length + value.length;
      if (chunk.records.length >= this.options.snapshotChunkRecords || chunkBytes >= SNAPSHOT_CHUNK_BYTES) {
        if (!writer.write(chunk)) await drained(writer);
        chunk = { records: [] };
        chunkBytes = 0;
      }
    }
    writer.write(chunk);
    writer.end();
    const reply = await answered;
    this.options.onReply({ kind: 'snapshot-reply', reply });
  }

}

function drained(stream: grpc.ClientWritableStream<SnapshotChunk>): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = (): void => {
      stream.off('error', onError);
      resolve();
    };
    const onError = (error: Error): void => {
      stream.off('drain', onDrain);
      reject(error);
    };
    stream.once('drain', onDrain);
    stream.once('error', onError);
  });
}
