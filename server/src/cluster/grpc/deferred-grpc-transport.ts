/**
 * The gRPC transport of a node that has no peers yet (a single node): it listens on its gRPC
 * port at once, with plain `node:net`, and loads @grpc/grpc-js, the .proto file and the
 * transport (~110 ms of CPU at start-up, measured) only when gRPC is used: a connection arrives
 * on the port, the cluster grows (`setMembers` with peers), or the node calls a member
 * (`forward`, `changeMembership`). Connections that arrive while it loads wait, and are then
 * handed to gRPC's server (a connection injector) as if it had bound the port itself.
 *
 * A node with peers, or a listen address that is a name (which gRPC resolves, possibly to several
 * addresses), loads the gRPC transport in `start` and lets gRPC bind the port, as before.
 */
import { isIP, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { RaftMessage } from '../raft/index.js';
import type { Member, PeerLinkStatus, PeerTransport, StateRecords, TransportHandlers } from '../transport.js';
import type { MembershipCaller } from '../membership-service.js';
import type { GrpcTransport, GrpcTransportOptions } from './grpc-transport.js';
import type { ForwardReply, ForwardRequest, MembershipChangeWire, MembershipReplyWire } from './wire-messages.js';

/** `host` and `port` of `host:port` / `[v6]:port`, when the host is an IP literal. */
export function ipListenAddress(address: string): { host: string; port: number } | undefined {
  const colon = address.lastIndexOf(':');
  if (colon < 0) return undefined;
  const host = address.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const port = Number(address.slice(colon + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535 || isIP(host) === 0) return undefined;
  return { host, port };
}

export class DeferredGrpcTransport implements PeerTransport, MembershipCaller {
  private real: GrpcTransport | undefined;
  private loading: Promise<GrpcTransport> | undefined;
  private listener: Server | undefined;
  private handlers: TransportHandlers | undefined;
  /** Connections accepted before the transport was loaded, in order, with their error handler
   *  (a reset while held must not be an uncaught 'error'; HTTP/2 handles them once injected). */
  private readonly waiting = new Map<Socket, () => void>();
  /** Stops holding new connections (once gRPC's server takes them). */
  private holdConnections: (() => void) | undefined;
  /** The members `setMembers` asked for while loading (the options' until then). */
  private members: readonly Member[];
  private readonly startedAtMs: number;
  private closed = false;

  /** `defer`: may wait for first use (no peers, not joining); whether it can is decided here. */
  constructor(private readonly options: GrpcTransportOptions, private readonly defer: boolean) {
    this.members = options.members;
    // The node starts now, not when gRPC loads: a caller's credential made in between is good.
    this.startedAtMs = options.startedAtMs ?? (options.now ?? Date.now)();
  }

  /** The port listened on (after `start`). */
  get port(): number | undefined {
    return this.real?.port ?? (this.listener?.address() as AddressInfo | null)?.port;
  }

  async start(handlers: TransportHandlers): Promise<void> {
    this.handlers = handlers;
    const self = this.options.members.find((member) => member.id === this.options.selfId);
    const address = ipListenAddress(this.options.listenAddress ?? self?.address ?? '');
    const alone = this.members.every((member) => member.id === this.options.selfId);
    if (!this.defer || !alone || !address) {
      await this.load();
      return;
    }
    // Not `pauseOnConnect`: an HTTP/2 session never starts reading a paused socket. What a held
    // socket reads meanwhile, HTTP/2 takes over when the connection is injected (Node replays it).
    const listener = createServer();
    // Until the transport is loaded: hold the connection and load it.
    const hold = (socket: Socket): void => {
      const onError = (): void => void socket.destroy();
      socket.on('error', onError);
      this.waiting.set(socket, onError);
      socket.once('close', () => this.waiting.delete(socket));
      this.loadInBackground();
    };
    listener.on('connection', hold);
    this.holdConnections = () => listener.off('connection', hold);
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(address.port, address.host, () => {
        listener.off('error', reject);
        resolve();
      });
    });
    this.listener = listener;
  }

  setMembers(members: readonly Member[]): void {
    if (this.real) return this.real.setMembers(members);
    this.members = members;
    if (this.listener && members.some((member) => member.id !== this.options.selfId)) this.loadInBackground();
  }

  send(to: string, message: RaftMessage<unknown>, snapshot?: StateRecords): void {
    // Before the transport is loaded there is no link to send on, as for a peer whose link is
    // not up yet: raft sends again (heartbeats, retries).
    this.real?.send(to, message, snapshot);
  }

  async forward(to: string, request: ForwardRequest, deadline: number, signal?: AbortSignal): Promise<ForwardReply> {
    return (await this.load()).forward(to, request, deadline, signal);
  }

  async changeMembership(member: Member, request: MembershipChangeWire, deadline: number): Promise<MembershipReplyWire> {
    return (await this.load()).changeMembership(member, request, deadline);
  }

  peers(): PeerLinkStatus[] {
    if (this.real) return this.real.peers();
    // What fresh links would say: not connected, never heard from.
    return this.members
      .filter((member) => member.id !== this.options.selfId)
      .map((member) => ({ id: member.id, address: member.address, connected: false, lastContactMs: null, dropped: 0, droppedByFaults: { to: 0, from: 0 } }));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.loading?.catch(() => undefined);
    const real = this.real;
    for (const socket of this.waiting.keys()) socket.destroy();
    this.waiting.clear();
    await Promise.all([
      real?.close(),
      new Promise<void>((resolve) => (this.listener ? this.listener.close(() => resolve()) : resolve())),
    ]);
  }

  /** The gRPC transport, loaded and serving the port the first time it is asked for. */
  private load(): Promise<GrpcTransport> {
    this.loading ??= (async () => {
      const handlers = this.handlers;
      if (!handlers) throw new Error('transport not started');
      const { GrpcTransport } = await import('./grpc-transport.js');
      const real = new GrpcTransport({ ...this.options, members: this.members, startedAtMs: this.startedAtMs });
      const listener = this.listener;
      // Kept before it starts: if binding fails, `close` still closes its links.
      this.real = real;
      // Deferred: serve the port listened on; else gRPC binds it (start-up fails if it cannot).
      await real.start(handlers, listener);
      if (!listener) return real;
      this.holdConnections?.();
      // Members asked for while loading; then the connections that waited, in their order.
      real.setMembers(this.members);
      for (const [socket, onError] of this.waiting) {
        if (this.closed) break;
        socket.off('error', onError);
        listener.emit('connection', socket);
      }
      this.waiting.clear();
      return real;
    })();
    return this.loading;
  }

  /** Loads without a caller to tell: a failure (a broken install) drops the waiting connections,
   *  and the next call that needs gRPC gets the error. */
  private loadInBackground(): void {
    this.load().catch(() => {
      for (const socket of this.waiting.keys()) socket.destroy();
      this.waiting.clear();
    });
  }
}
