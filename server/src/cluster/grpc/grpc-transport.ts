/**
 * `PeerTransport` over gRPC: one server for what peers send us, one `PeerLink` per peer for what
 * we send them, and the fault rules applied to every message in both directions.
 */
import type * as grpc from '@grpc/grpc-js';
import type { Server } from 'node:net';
import type { FaultInjector } from '../../admin/faults.js';
import type { Logger } from '../../log.js';
import type { ClusterSecurity } from '../auth/cluster-security.js';
import { peerPlane } from '../auth/peer-plane.js';
import type { PeerSigner } from '../auth/peer-signer.js';
import type { RaftMessage } from '../raft/index.js';
import { ForwardNotSentError } from '../transport.js';
import type { Member, PeerLinkStatus, PeerTransport, StateRecords, TransportHandlers } from '../transport.js';
import { PeerLink } from './peer-link.js';
import { channelCredentials, serverCredentials } from './peer-channel-credentials.js';
import { ReplicationServer } from './replication-server.js';
import { replicationService } from './replication-proto.js';
import type { ForwardReply, ForwardRequest, MembershipChangeWire, MembershipReplyWire } from './wire-messages.js';

export interface GrpcTransportOptions {
  selfId: string;
  /** Every member, this node included. */
  members: readonly Member[];
  faults: FaultInjector;
  electionTimeoutMs: number;
  /** Secret, TLS, or (on purpose) neither: cluster-security.ts. */
  security: ClusterSecurity;
  /** Where refused peer calls are reported (rate-limited). */
  logger?: Logger;
  /** Where the server binds; defaults to this node's member address. */
  listenAddress?: string;
  /** gRPC paths a holder of the cluster secret may call before it is a member (asking to join). */
  mayCallAsNonMember?: readonly string[];
  now?: () => number;
  /** When the node started, if before this transport was made: credentials older are refused. */
  startedAtMs?: number;
}

const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** Channel settings of a link to a peer (raft members, and the forwarding links of a shared-db
 *  group). */
export function peerChannelOptions(election: number): grpc.ChannelOptions {
  return {
    // A dead peer's connection (and so its stream) is noticed within about two election
    // timeouts even when the kernel never reports the socket closed.
    'grpc.keepalive_time_ms': Math.max(election, 500),
    'grpc.keepalive_timeout_ms': Math.max(election, 500),
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.initial_reconnect_backoff_ms': 100,
    'grpc.max_reconnect_backoff_ms': Math.max(election, 1000),
    // Each link owns its subchannel: a link that replaces a stuck channel must get a fresh
    // connection, not the global pool's shared one that is still stuck connecting.
    'grpc.use_local_subchannel_pool': 1,
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  };
}

export class GrpcTransport implements PeerTransport {
  private readonly links = new Map<string, PeerLink>();
  private readonly lastHeard = new Map<string, number>();
  private readonly faultDrops = new Map<string, { to: number; from: number }>();
  /** Messages held back by delay rules; dropped on close. */
  private readonly held = new Set<NodeJS.Timeout>();
  private readonly server: ReplicationServer;
  private readonly now: () => number;
  private handlers: TransportHandlers | undefined;
  private boundPort: number | undefined;
  private readonly service: grpc.ServiceClientConstructor;
  private readonly signer: PeerSigner | undefined;
  private readonly channelOptions: grpc.ChannelOptions;

  constructor(private readonly options: GrpcTransportOptions) {
    this.now = options.now ?? Date.now;
    this.service = replicationService();
    const election = options.electionTimeoutMs;
    const { security } = options;
    // Asked at every call: a member added at runtime may call at once, a removed one no more.
    const { signer, authenticator, onRefused } = peerPlane({
      selfId: options.selfId,
      security,
      peers: (id) => this.links.has(id),
      ...(options.mayCallAsNonMember ? { openMethods: options.mayCallAsNonMember } : {}),
      logger: options.logger,
      now: this.now,
      ...(options.startedAtMs === undefined ? {} : { startedAtMs: options.startedAtMs }),
    });
    this.signer = signer;
    this.channelOptions = peerChannelOptions(election);
    for (const member of options.members) if (member.id !== options.selfId) this.addLink(member);
    this.server = new ReplicationServer({
      selfId: options.selfId,
      service: this.service,
      credentials: serverCredentials(security.tls),
      authenticator,
      onRefused,
      serverOptions: {
        'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
        'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
        'grpc.keepalive_time_ms': Math.max(election, 500),
        'grpc.keepalive_timeout_ms': Math.max(election, 500),
      },
      voteReplyTimeoutMs: election,
      snapshotReplyTimeoutMs: 60_000,
      receive: (from, message, snapshot) => this.receive(from, message, snapshot),
      forward: (request, deadline, signal) => this.serveForward(request, deadline, signal),
      changeMembership: (request) => this.serveMembershipChange(request),
    });
  }

  /** The port the server bound (after `start`), e.g. when the address asked for port 0. */
  get port(): number | undefined {
    return this.boundPort;
  }

  /** Binds the server; or, given a `listener` that is listening already, serves its connections. */
  async start(handlers: TransportHandlers, listener?: Server): Promise<void> {
    this.handlers = handlers;
    if (listener) {
      this.boundPort = this.server.adopt(listener);
      return;
    }
    const self = this.options.members.find((member) => member.id === this.options.selfId);
    const address = this.options.listenAddress ?? self?.address;
    if (!address) throw new Error(`node "${this.options.selfId}" is not in the member list`);
    this.boundPort = await this.server.listen(address);
  }

  /**
   * The configuration changed: links to new members open (on their first message), links to
   * members that left close, and a member whose address changed is dialled at the new one. Who
   * may call this node follows at once (the authenticator asks for the links).
   */
  setMembers(members: readonly Member[]): void {
    const wanted = new Map(members.filter((member) => member.id !== this.options.selfId).map((member) => [member.id, member]));
    for (const [id, link] of this.links) {
      const member = wanted.get(id);
      if (member && member.address === link.address) continue;
      link.close();
      this.links.delete(id);
      this.lastHeard.delete(id);
    }
    for (const member of wanted.values()) if (!this.links.has(member.id)) this.addLink(member);
  }

  send(to: string, message: RaftMessage<unknown>, snapshot?: StateRecords): void {
    const faults = this.options.faults;
    if (faults.drops('to', to)) {
      this.countFaultDrop('to', to);
      return;
    }
    const delay = faults.delayMs('to', to);
    if (delay > 0) this.hold(delay, () => this.dispatch(to, message, snapshot));
    else this.dispatch(to, message, snapshot);
  }

  // Not async, and no pause without a delay rule: an async frame and an await per forwarded
  // request, on both ends, for a fault injection that is nearly never on.
  forward(to: string, request: ForwardRequest, deadline: number, signal?: AbortSignal): Promise<ForwardReply> {
    const link = this.links.get(to);
    if (!link) return Promise.reject(new Error(`no peer "${to}"`));
    if (this.options.faults.drops('to', to)) {
      this.countFaultDrop('to', to);
      return Promise.reject(new ForwardNotSentError(`traffic to ${to} is dropped by a fault rule`));
    }
    const delay = this.options.faults.delayMs('to', to);
    if (delay > 0) return this.pause(delay).then(() => link.forward(request, deadline, signal));
    return link.forward(request, deadline, signal);
  }

  /**
   * Asks `member` for a configuration change, over a link of its own for this one call: the
   * member may be a seed of `--join` this node has no link to, or a leader removing itself, whose
   * regular link closes as soon as this node applies the change — before the answer arrives.
   */
  async changeMembership(member: Member, request: MembershipChangeWire, deadline: number): Promise<MembershipReplyWire> {
    const once = this.newLink(member);
    try {
      return await once.changeMembership(request, deadline);
    } finally {
      once.close();
    }
  }

  // Asked on every raft step while writes wait for their acknowledgement: plain loops, one clock
  // read, no object spreads.
  peers(): PeerLinkStatus[] {
    const now = this.now();
    const out: PeerLinkStatus[] = [];
    for (const link of this.links.values()) {
      const heard = this.lastHeard.get(link.id);
      const lastContactMs = heard === undefined ? null : now - heard;
      const status = link.status();
      const recentlyHeard = lastContactMs !== null && lastContactMs <= this.options.electionTimeoutMs;
      const drops = this.faultDrops.get(link.id);
      out.push({
        id: status.id,
        address: status.address,
        connected: status.connected || recentlyHeard,
        lastContactMs,
        dropped: status.dropped,
        droppedByFaults: { to: drops?.to ?? 0, from: drops?.from ?? 0 },
      });
    }
    return out;
  }

  async close(): Promise<void> {
    for (const timer of this.held) clearTimeout(timer);
    this.held.clear();
    for (const link of this.links.values()) link.close();
    await this.server.close();
  }

  private addLink(member: Member): void {
    this.links.set(member.id, this.newLink(member));
  }

  private newLink(member: Member): PeerLink {
    const election = this.options.electionTimeoutMs;
    return new PeerLink({
      selfId: this.options.selfId,
      member,
      service: this.service,
      channelOptions: this.channelOptions,
      credentials: channelCredentials(this.options.security.tls, member.id),
      signer: this.signer,
      voteTimeoutMs: election,
      // A connection on loopback or a LAN forms in milliseconds; an attempt this long is a SYN
      // into a network that drops it, and would otherwise last minutes.
      connectTimeoutMs: Math.max(2 * election, 2000),
      snapshotTimeoutMs: 60_000,
      reopenBackoffMs: { initial: 50, max: Math.max(election, 500) },
      // The longest reconnect backoff (peerChannelOptions): redialling is never more eager than it.
      redialMinIntervalMs: Math.max(election, 1000),
      snapshotChunkRecords: 1000,
      // Above the core's largest pipelining window (64 appends by default; the replicator uses 2)
      // plus heartbeats.
      maxQueuedMessages: 256,
      now: this.now,
      onReply: (message) => this.receive(member.id, message),
      onSnapshotFailed: () => this.handlers?.onSnapshotFailed(member.id),
    });
  }

  private dispatch(to: string, message: RaftMessage<unknown>, snapshot: StateRecords | undefined): void {
    const link = this.links.get(to);
    if (!link) return;
    switch (message.type) {
      case 'preVote':
      case 'vote':
        link.vote(message);
        break;
      case 'append':
      case 'heartbeat':
        link.replicate(message);
        break;
      case 'snapshot':
        if (snapshot) link.snapshot(message, snapshot);
        else this.handlers?.onSnapshotFailed(to);
        break;
      default:
        // Replies travel back on the RPC the peer opened.
        this.server.reply(to, message);
    }
  }

  /** Every incoming message passes here. False when a fault rule (or an unknown sender) drops it. */
  private receive(from: string, message: RaftMessage<unknown>, snapshot?: StateRecords): boolean {
    const faults = this.options.faults;
    if (!this.links.has(from) || !this.handlers) return false;
    if (faults.drops('from', from)) {
      this.countFaultDrop('from', from);
      return false;
    }
    const handlers = this.handlers;
    const deliver = (): void => {
      this.lastHeard.set(from, this.now());
      // Before the core answers: what it sends back then finds a channel that connects.
      this.links.get(from)?.peerCalled();
      handlers.onMessage(from, message, snapshot);
    };
    const delay = faults.delayMs('from', from);
    if (delay > 0) this.hold(delay, deliver);
    else deliver();
    return true;
  }

  private serveForward(request: ForwardRequest, deadline: number, signal: AbortSignal): Promise<ForwardReply> {
    const faults = this.options.faults;
    const handlers = this.handlers;
    if (!handlers) return Promise.reject(new Error('transport not started'));
    if (!this.links.has(request.from)) return Promise.reject(new Error(`unknown sender "${request.from}"`));
    if (faults.drops('from', request.from)) {
      this.countFaultDrop('from', request.from);
      return Promise.reject(new Error(`traffic from ${request.from} is dropped by a fault rule`));
    }
    const delay = faults.delayMs('from', request.from);
    if (delay > 0) return this.pause(delay).then(() => handlers.onForward(request, deadline, signal));
    return handlers.onForward(request, deadline, signal);
  }

  private async serveMembershipChange(request: MembershipChangeWire): Promise<MembershipReplyWire> {
    const faults = this.options.faults;
    if (faults.drops('from', request.from)) {
      this.countFaultDrop('from', request.from);
      throw new Error(`traffic from ${request.from} is dropped by a fault rule`);
    }
    const serve = this.handlers?.onChangeMembership;
    if (!serve) throw new Error('transport not started');
    return serve(request);
  }

  private hold(ms: number, release: () => void): void {
    const timer = setTimeout(() => {
      this.held.delete(timer);
      release();
    }, ms);
    this.held.add(timer);
  }

  private pause(ms: number): Promise<void> {
    return ms > 0 ? new Promise((resolve) => this.hold(ms, resolve)) : Promise.resolve();
  }

  private countFaultDrop(direction: 'to' | 'from', peer: string): void {
    const counts = this.faultDrops.get(peer) ?? { to: 0, from: 0 };
    counts[direction]++;
    this.faultDrops.set(peer, counts);
  }
}

