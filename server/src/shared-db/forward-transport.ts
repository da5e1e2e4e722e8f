/**
 * The gRPC side of a shared-db group: standbys forward SQS calls to the active node over the same
 * `Forward` RPC raft followers use (cluster/forwarding-service.ts). There is no raft traffic, and
 * the members are not configured: they are whoever wrote a row in the members table, so links are
 * made (and remade when an address changes) as the table is read.
 *
 * Forwards are taken only from members the table names, and — as between raft members — only
 * with a credential made from the cluster secret (cluster/auth/): the `from` a caller writes is
 * never trusted by itself. Without a secret the port refuses every call (a lone node needs none;
 * a standby then cannot forward, and says so).
 */
import type { FaultInjector } from '../admin/faults.js';
import type { Logger } from '../log.js';
import type { ClusterSecurity } from '../cluster/auth/cluster-security.js';
import { peerPlane } from '../cluster/auth/peer-plane.js';
import type { PeerSigner } from '../cluster/auth/peer-signer.js';
import { channelCredentials, serverCredentials } from '../cluster/grpc/peer-channel-credentials.js';
import { peerChannelOptions } from '../cluster/grpc/grpc-transport.js';
import { PeerLink } from '../cluster/grpc/peer-link.js';
import { replicationService } from '../cluster/grpc/replication-proto.js';
import { ReplicationServer } from '../cluster/grpc/replication-server.js';
import type { ForwardReply, ForwardRequest } from '../cluster/grpc/wire-messages.js';
import { ForwardNotSentError, type Member, type PeerLinkStatus, type PeerTransport, type TransportHandlers } from '../cluster/transport.js';

export interface ForwardTransportOptions {
  selfId: string;
  listenAddress: string;
  faults: FaultInjector;
  /** Bounds connect attempts and keepalives, like a raft member's links. */
  electionTimeoutMs: number;
  /** The cluster secret (and TLS), as for raft members. */
  security: ClusterSecurity;
  logger?: Logger;
  /** Asks the members table about a sender this node has no link to yet (one that joined since
   *  the table was last read). */
  isMember(nodeId: string): Promise<boolean>;
}


const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export class ForwardTransport implements PeerTransport {
  private readonly links = new Map<string, PeerLink>();
  private readonly server: ReplicationServer;
  private readonly service = replicationService();
  private handlers: TransportHandlers | undefined;
  private boundPort: number | undefined;
  private readonly signer: PeerSigner | undefined;

  constructor(private readonly options: ForwardTransportOptions) {
    const keepaliveMs = Math.max(options.electionTimeoutMs, 500);
    const { security, selfId } = options;
    // The secret proves a caller is one of the group's nodes; whether the members table lists it
    // (it may have joined since the table was last read) is asked per forward, below.
    const { signer, authenticator, onRefused } = peerPlane({ selfId, security, peers: () => true, logger: options.logger });
    this.signer = signer;
    this.server = new ReplicationServer({
      selfId: options.selfId,
      service: this.service,
      credentials: serverCredentials(security.tls),
      authenticator,
      onRefused,
      serverOptions: {
        'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
        'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
        'grpc.keepalive_time_ms': keepaliveMs,
        'grpc.keepalive_timeout_ms': keepaliveMs,
      },
      voteReplyTimeoutMs: options.electionTimeoutMs,
      snapshotReplyTimeoutMs: options.electionTimeoutMs,
      // A shared-db group runs no raft: such messages are from a misconfigured node, and dropped.
      receive: () => false,
      forward: (request, deadline, signal) => this.serveForward(request, deadline, signal),
    });
  }

  get port(): number | undefined {
    return this.boundPort;
  }

  async start(handlers: TransportHandlers): Promise<void> {
    this.handlers = handlers;
    this.boundPort = await this.server.listen(this.options.listenAddress);
  }

  /** The members as the table lists them now (this node left out). */
  setMembers(members: readonly Member[]): void {
    const wanted = new Map(members.filter((member) => member.id !== this.options.selfId).map((member) => [member.id, member]));
    for (const [id, link] of this.links) {
      const member = wanted.get(id);
      if (member && link.status().address === member.address) continue;
      link.close();
      this.links.delete(id);
    }
    for (const member of wanted.values()) if (!this.links.has(member.id)) this.links.set(member.id, this.link(member));
  }

  send(): void {
    // Nothing but forwards travel between the nodes of a shared-db group.
  }

  async forward(to: string, request: ForwardRequest, deadline: number, signal?: AbortSignal): Promise<ForwardReply> {
    const link = this.links.get(to);
    if (!link) throw new ForwardNotSentError(`the address of ${to} is not known yet`);
    if (this.options.faults.drops('to', to)) throw new ForwardNotSentError(`traffic to ${to} is dropped by a fault rule`);
    return link.forward(request, deadline, signal);
  }

  peers(): PeerLinkStatus[] {
    return [...this.links.values()].map((link) => {
      const status = link.status();
      return { id: status.id, address: status.address, connected: status.connected, lastContactMs: null, dropped: status.dropped, droppedByFaults: { to: 0, from: 0 } };
    });
  }

  async close(): Promise<void> {
    for (const link of this.links.values()) link.close();
    this.links.clear();
    await this.server.close();
  }

  private async serveForward(request: ForwardRequest, deadline: number, signal: AbortSignal): Promise<ForwardReply> {
    if (!this.handlers) throw new Error('transport not started');
    if (!this.links.has(request.from) && !(await this.options.isMember(request.from))) throw new Error(`unknown sender "${request.from}"`);
    if (this.options.faults.drops('from', request.from)) throw new Error(`traffic from ${request.from} is dropped by a fault rule`);
    return this.handlers.onForward(request, deadline, signal);
  }

  private link(member: Member): PeerLink {
    const election = this.options.electionTimeoutMs;
    return new PeerLink({
      selfId: this.options.selfId,
      member,
      service: this.service,
      channelOptions: peerChannelOptions(election),
      credentials: channelCredentials(this.options.security.tls, member.id),
      signer: this.signer,
      voteTimeoutMs: election,
      connectTimeoutMs: Math.max(2 * election, 2000),
      snapshotTimeoutMs: election,
      reopenBackoffMs: { initial: 50, max: Math.max(election, 500) },
      maxQueuedMessages: 256,
      snapshotChunkRecords: 1000,
      now: Date.now,
      onReply: () => undefined,
      onSnapshotFailed: () => undefined,
    });
  }
}
