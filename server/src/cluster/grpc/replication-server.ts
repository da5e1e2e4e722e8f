/**
 * The server side of the `Replication` service: turns incoming RPCs into `PeerMessage`s for the
 * transport, and carries the core's replies back.
 *
 * A follower keeps the `Replicate` stream each leader opened, keyed by the leader's id: append
 * replies addressed to that leader are written to it.
 */
import * as grpc from '@grpc/grpc-js';
import type { PeerMessage } from '../transport.js';
import { PendingReplies } from './pending-replies.js';
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

export interface ReplicationServerOptions {
  service: grpc.ServiceClientConstructor;
  serverOptions: grpc.ServerOptions;
  /** How long a Vote RPC waits for the core's answer. */
  voteReplyTimeoutMs: number;
  /** How long an InstallSnapshot RPC waits for the core to install it. */
  snapshotReplyTimeoutMs: number;
  /** Incoming message (fault rules apply inside). Returns false when it was dropped. */
  receive(from: string, message: PeerMessage): boolean;
  forward(request: ForwardRequest, deadline: number): Promise<ForwardReply>;
}

const DROPPED = new Error('dropped by a fault rule');

export class ReplicationServer {
  private readonly server: grpc.Server;
  private readonly inbound = new Map<string, grpc.ServerDuplexStream<AppendRequest, AppendReply>>();
  private readonly votes: PendingReplies<VoteReply>;
  private readonly snapshots: PendingReplies<SnapshotReply>;

  constructor(private readonly options: ReplicationServerOptions) {
    this.server = new grpc.Server(options.serverOptions);
    this.votes = new PendingReplies(options.voteReplyTimeoutMs);
    this.snapshots = new PendingReplies(options.snapshotReplyTimeoutMs);
    this.server.addService(options.service.service, {
      Vote: this.voteHandler(false),
      PreVote: this.voteHandler(true),
      Replicate: (call: grpc.ServerDuplexStream<AppendRequest, AppendReply>) => this.replicate(call),
      InstallSnapshot: (call: grpc.ServerReadableStream<SnapshotChunk, SnapshotReply>, callback: grpc.sendUnaryData<SnapshotReply>) =>
        this.installSnapshot(call, callback),
      Forward: (call: grpc.ServerUnaryCall<ForwardRequest, ForwardReply>, callback: grpc.sendUnaryData<ForwardReply>) =>
        this.forwardRequest(call, callback),
    });
  }

  /** Binds `host:port`; returns the port actually bound (useful with port 0 in tests). */
  listen(address: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, port) => {
        if (error) reject(error);
        else resolve(port);
      });
    });
  }

  /** Routes a reply of the core to the RPC that waits for it. False if none does. */
  reply(to: string, message: PeerMessage): boolean {
    switch (message.kind) {
      case 'vote-reply':
        return this.votes.settle(voteKey(to, message.preVote), message.reply);
      case 'snapshot-reply':
        return this.snapshots.settle(to, message.reply);
      case 'append-reply': {
        const stream = this.inbound.get(to);
        if (!stream) return false;
        // A congested reply stream means the leader is not reading: dropping an ack is safe.
        stream.write(message.reply);
        return true;
      }
      default:
        return false;
    }
  }

  close(): Promise<void> {
    const closing = new Error('server closing');
    this.votes.failAll(closing);
    this.snapshots.failAll(closing);
    for (const stream of this.inbound.values()) stream.end();
    this.inbound.clear();
    return new Promise((resolve) => {
      // Streams from live leaders never end by themselves: give them a moment, then cut.
      const force = setTimeout(() => this.server.forceShutdown(), 500);
      this.server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }

  private voteHandler(preVote: boolean) {
    return (call: grpc.ServerUnaryCall<VoteRequest, VoteReply>, callback: grpc.sendUnaryData<VoteReply>): void => {
      const request = call.request;
      const key = voteKey(request.from, preVote);
      // Wait first: the core may answer synchronously while it receives the request.
      const answer = this.votes.wait(key);
      // Dropped: nobody will answer, so fail the call now instead of at the timeout.
      if (!this.options.receive(request.from, { kind: 'vote', preVote, request })) this.votes.fail(key, DROPPED);
      answer.then(
        (reply) => callback(null, reply),
        (error: Error) => callback({ code: grpc.status.UNAVAILABLE, details: error.message }),
      );
    };
  }

  private replicate(call: grpc.ServerDuplexStream<AppendRequest, AppendReply>): void {
    let leader: string | undefined;
    call.on('data', (request: AppendRequest) => {
      if (leader !== request.from) {
        leader = request.from;
        const previous = this.inbound.get(leader);
        if (previous && previous !== call) previous.end();
        this.inbound.set(leader, call);
      }
      this.options.receive(request.from, { kind: 'append', request });
    });
    const gone = (): void => {
      if (leader !== undefined && this.inbound.get(leader) === call) this.inbound.delete(leader);
    };
    call.on('end', () => {
      gone();
      call.end();
    });
    call.on('error', gone);
    call.on('cancelled', gone);
  }

  private installSnapshot(
    call: grpc.ServerReadableStream<SnapshotChunk, SnapshotReply>,
    callback: grpc.sendUnaryData<SnapshotReply>,
  ): void {
    let meta: SnapshotMeta | undefined;
    const records: [string, string][] = [];
    call.on('data', (chunk: SnapshotChunk) => {
      if (chunk.meta) meta = chunk.meta;
      for (const record of chunk.records) records.push([record.key, record.value]);
    });
    call.on('error', () => undefined);
    call.on('end', () => {
      if (!meta) {
        callback({ code: grpc.status.INVALID_ARGUMENT, details: 'snapshot without metadata' });
        return;
      }
      if (records.length !== meta.record_count) {
        callback({ code: grpc.status.DATA_LOSS, details: `snapshot has ${records.length} of ${meta.record_count} records` });
        return;
      }
      const from = meta.from;
      const answer = this.snapshots.wait(from);
      if (!this.options.receive(from, { kind: 'snapshot', meta, records })) this.snapshots.fail(from, DROPPED);
      answer.then(
        (reply) => callback(null, reply),
        (error: Error) => callback({ code: grpc.status.UNAVAILABLE, details: error.message }),
      );
    });
  }

  private forwardRequest(
    call: grpc.ServerUnaryCall<ForwardRequest, ForwardReply>,
    callback: grpc.sendUnaryData<ForwardReply>,
  ): void {
    const deadline = call.getDeadline();
    const deadlineMs = deadline instanceof Date ? deadline.getTime() : Number.isFinite(deadline) ? Number(deadline) : Date.now() + 30_000;
    this.options.forward(call.request, deadlineMs).then(
      (reply) => callback(null, reply),
      (error: unknown) => callback({ code: grpc.status.UNAVAILABLE, details: error instanceof Error ? error.message : String(error) }),
    );
  }
}

function voteKey(peer: string, preVote: boolean): string {
  return `${peer}/${preVote ? 'pre-vote' : 'vote'}`;
}
