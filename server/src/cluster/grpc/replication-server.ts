/**
 * The server side of the `Replication` service: decodes incoming RPCs into raft messages for the
 * transport, and carries the core's replies back on the RPC that waits for them.
 *
 * A follower keeps the `Replicate` stream each leader opened, keyed by the leader's id, and
 * writes its acknowledgements to it. An acknowledgement while that leader waits on an
 * `InstallSnapshot` call answers the call instead.
 */
import * as grpc from '@grpc/grpc-js';
import type { AddressInfo, Server, Socket } from 'node:net';
import type { PeerAuthenticator } from '../auth/peer-authenticator.js';
import type { RaftMessage } from '../raft/index.js';
import type { StateRecords } from '../transport.js';
import { serveForwardStream } from './forward-stream-server.js';
import { encodeRefusal, MembershipError } from '../membership.js';
import { PendingReplies } from './pending-replies.js';
import { authenticatedPeer, serverAuthInterceptor, type RefusedCall } from './peer-auth-interceptors.js';
import {
  decodeLeaderMessage,
  decodeSnapshotMeta,
  decodeVoteRequest,
  encodeFollowerMessage,
  encodeVoteReply,
} from './raft-wire.js';
import type {
  FollowerMessage,
  ForwardCalls,
  ForwardReply,
  ForwardRequest,
  ForwardResults,
  LeaderMessage,
  MembershipChangeWire,
  MembershipReplyWire,
  SnapshotChunk,
  SnapshotMeta,
  VoteReply,
  VoteRequest,
} from './wire-messages.js';

export interface ReplicationServerOptions {
  selfId: string;
  service: grpc.ServiceClientConstructor;
  serverOptions: grpc.ServerOptions;
  /** Plaintext or mutual TLS (peer-channel-credentials.ts). */
  credentials: grpc.ServerCredentials;
  /** Every call must authenticate; undefined only with --insecure-cluster (the `from` fields are then trusted). */
  authenticator: PeerAuthenticator | undefined;
  /** A call refused by authentication, or a message whose sender is not the authenticated peer. */
  onRefused(refusal: RefusedCall): void;
  /** How long a Vote RPC waits for the core's answer. */
  voteReplyTimeoutMs: number;
  /** How long an InstallSnapshot RPC waits for the core to install it. */
  snapshotReplyTimeoutMs: number;
  /** Incoming message (fault rules apply inside). Returns false when it was dropped. */
  receive(from: string, message: RaftMessage<unknown>, snapshot?: StateRecords): boolean;
  forward(request: ForwardRequest, deadline: number, signal: AbortSignal): Promise<ForwardReply>;
  /** A configuration change asked by `request.from` (authenticated, maybe not a member yet).
   *  Absent where membership is not raft's (a shared-db group): such a node refuses the change. */
  changeMembership?(request: MembershipChangeWire): Promise<MembershipReplyWire>;
}

const DROPPED = new Error('dropped by a fault rule');

export class ReplicationServer {
  private readonly server: grpc.Server;
  private readonly inbound = new Map<string, grpc.ServerDuplexStream<LeaderMessage, FollowerMessage>>();
  private readonly votes: PendingReplies<VoteReply>;
  private readonly snapshots: PendingReplies<FollowerMessage>;

  constructor(private readonly options: ReplicationServerOptions) {
    const { authenticator } = options;
    this.server = new grpc.Server({
      ...options.serverOptions,
      interceptors: authenticator ? [serverAuthInterceptor(authenticator, options.onRefused)] : [],
    });
    this.votes = new PendingReplies(options.voteReplyTimeoutMs);
    this.snapshots = new PendingReplies(options.snapshotReplyTimeoutMs);
    this.server.addService(options.service.service, {
      Vote: this.voteHandler(false),
      PreVote: this.voteHandler(true),
      Replicate: (call: grpc.ServerDuplexStream<LeaderMessage, FollowerMessage>) => this.replicate(call),
      InstallSnapshot: (call: grpc.ServerReadableStream<SnapshotChunk, FollowerMessage>, callback: grpc.sendUnaryData<FollowerMessage>) =>
        this.installSnapshot(call, callback),
      Forward: (call: grpc.ServerUnaryCall<ForwardRequest, ForwardReply>, callback: grpc.sendUnaryData<ForwardReply>) =>
        this.forwardRequest(call, callback),
      ForwardStream: (call: grpc.ServerDuplexStream<ForwardCalls, ForwardResults>) =>
        serveForwardStream(call, {
          peer: options.authenticator ? authenticatedPeer(call.metadata) : undefined,
          refuse: (from) => this.impersonation(call, from),
          deadlineMs: UNBOUNDED_CALL_MS,
          now: Date.now,
          forward: options.forward,
        }),
      ChangeMembership: (
        call: grpc.ServerUnaryCall<MembershipChangeWire, MembershipReplyWire>,
        callback: grpc.sendUnaryData<MembershipReplyWire>,
      ) => this.changeMembership(call, callback),
    });
  }

  /** Binds `host:port`; returns the port actually bound (useful with port 0 in tests). */
  listen(address: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.bindAsync(address, this.options.credentials, (error, port) => {
        if (error) reject(error);
        else resolve(port);
      });
    });
  }

  /**
   * Serves the connections `listener` (bound already) accepts, instead of binding a port of its
   * own: a lone node listens with plain `node:net` and loads gRPC on first use
   * (deferred-grpc-transport.ts). Closing this server ends those connections; the listener is
   * its owner's to close.
   */
  adopt(listener: Server): number {
    const injector = this.server.createConnectionInjector(this.options.credentials);
    listener.on('connection', (socket: Socket) => injector.injectConnection(socket));
    return (listener.address() as AddressInfo).port;
  }

  /** Routes a reply of the core to the RPC that waits for it. False if none does. */
  reply(to: string, message: RaftMessage<unknown>): boolean {
    const from = this.options.selfId;
    switch (message.type) {
      case 'preVoteResponse':
      case 'voteResponse':
        return this.votes.settle(voteKey(to, message.type === 'preVoteResponse'), encodeVoteReply(from, message));
      case 'appendResponse':
      case 'heartbeatResponse': {
        const wire = encodeFollowerMessage(from, message);
        if (message.type === 'appendResponse' && this.snapshots.settle(to, wire)) return true;
        const stream = this.inbound.get(to);
        if (!stream) return false;
        // If the leader stops reading, the reply stream's buffer grows by one small message per
        // leader message at most: the leader's own window (in-flight limit) bounds it.
        stream.write(wire);
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

  /** A PERMISSION_DENIED status when an authenticated call speaks in another node's name (its
   *  `from` is not the peer its credential proved), else undefined. Logged like any refusal. */
  private impersonation(call: { metadata: grpc.Metadata; getPeer(): string; getPath(): string }, from: string): grpc.StatusObject | undefined {
    if (!this.options.authenticator) return undefined;
    const peer = authenticatedPeer(call.metadata);
    if (peer !== undefined && peer === from) return undefined;
    const reason = `authenticated as "${peer}" but sent a message from "${from}"`;
    this.options.onRefused({ method: call.getPath(), claimed: from, address: call.getPeer(), reason });
    return { code: grpc.status.PERMISSION_DENIED, details: reason, metadata: new grpc.Metadata() };
  }

  private voteHandler(preVote: boolean) {
    return (call: grpc.ServerUnaryCall<VoteRequest, VoteReply>, callback: grpc.sendUnaryData<VoteReply>): void => {
      const request = call.request;
      const refusal = this.impersonation(call, request.from);
      if (refusal) {
        callback(refusal);
        return;
      }
      const key = voteKey(request.from, preVote);
      // Wait first: the core may answer synchronously while it receives the request.
      const answer = this.votes.wait(key);
      // Dropped: nobody will answer, so fail the call now instead of at the timeout.
      if (!this.options.receive(request.from, decodeVoteRequest(request, preVote))) this.votes.fail(key, DROPPED);
      answer.then(
        (reply) => callback(null, reply),
        (error: Error) => callback({ code: grpc.status.UNAVAILABLE, details: error.message }),
      );
    };
  }

  private replicate(call: grpc.ServerDuplexStream<LeaderMessage, FollowerMessage>): void {
    let leader: string | undefined;
    // An authenticated stream is bound to its peer: one message in another's name ends it.
    const peer = this.options.authenticator ? authenticatedPeer(call.metadata) : undefined;
    let refused = false;
    call.on('data', (wire: LeaderMessage) => {
      if (refused) return;
      if (peer !== undefined && wire.from !== peer) {
        refused = true;
        call.emit('error', this.impersonation(call, wire.from));
        return;
      }
      if (leader !== wire.from) {
        leader = wire.from;
        const previous = this.inbound.get(leader);
        if (previous && previous !== call) previous.end();
        this.inbound.set(leader, call);
      }
      const message = decodeLeaderMessage(wire);
      if (message) this.options.receive(wire.from, message);
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
    call: grpc.ServerReadableStream<SnapshotChunk, FollowerMessage>,
    callback: grpc.sendUnaryData<FollowerMessage>,
  ): void {
    let meta: SnapshotMeta | undefined;
    const records: [string, string][] = [];
    let refused = false;
    call.on('data', (chunk: SnapshotChunk) => {
      if (refused) return;
      if (chunk.meta) {
        // A snapshot in another node's name is refused at its first chunk, not buffered whole.
        const refusal = this.impersonation(call, chunk.meta.from);
        if (refusal) {
          refused = true;
          records.length = 0;
          callback(refusal);
          return;
        }
        meta = chunk.meta;
      }
      for (const record of chunk.records) records.push([record.key, record.value]);
    });
    call.on('error', () => undefined);
    call.on('end', () => {
      if (refused) return;
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
      if (!this.options.receive(from, decodeSnapshotMeta(meta), records)) this.snapshots.fail(from, DROPPED);
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
    const refusal = this.impersonation(call, call.request.from);
    if (refusal) {
      callback(refusal);
      return;
    }
    const abandoned = new AbortController();
    call.on('cancelled', () => abandoned.abort());
    this.options.forward(call.request, deadlineMs(call.getDeadline()), abandoned.signal).then(
      (reply) => callback(null, reply),
      (error: unknown) => callback({ code: grpc.status.UNAVAILABLE, details: error instanceof Error ? error.message : String(error) }),
    );
  }

  private changeMembership(
    call: grpc.ServerUnaryCall<MembershipChangeWire, MembershipReplyWire>,
    callback: grpc.sendUnaryData<MembershipReplyWire>,
  ): void {
    const refusal = this.impersonation(call, call.request.from);
    if (refusal) {
      callback(refusal);
      return;
    }
    const serve = this.options.changeMembership;
    if (!serve) {
      callback(null, encodeRefusal(new MembershipError('invalid', 'this node does not run raft: its group changes through its database')));
      return;
    }
    serve(call.request).then(
      (reply) => callback(null, reply),
      (error: unknown) => callback({ code: grpc.status.UNAVAILABLE, details: error instanceof Error ? error.message : String(error) }),
    );
  }
}

function voteKey(peer: string, preVote: boolean): string {
  return `${peer}/${preVote ? 'pre-vote' : 'vote'}`;
}

/** What a call without deadline gets: nothing waits forever. */
const UNBOUNDED_CALL_MS = 60_000;

function deadlineMs(deadline: grpc.Deadline): number {
  if (deadline instanceof Date) return deadline.getTime();
  return Number.isFinite(deadline) ? deadline : Date.now() + UNBOUNDED_CALL_MS;
}
