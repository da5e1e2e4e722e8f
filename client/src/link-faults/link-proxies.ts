/**
 * A TCP proxy per directed link, Toxiproxy's model: node `from` reaches node `to` through a
 * listener of its own, so every connection `from` opens to `to` passes here, and the bytes of
 * each direction of travel pass through that direction's faults. A connection `from` → `to`
 * carries `from`'s requests on `from` → `to` and `to`'s replies on `to` → `from`, so a fault on
 * one direction touches every byte sent that way and nothing sent the other way.
 *
 * Runs in the testkit's process (process runtime) or in a sidecar container (link-proxy-main.ts).
 * Imports only node built-ins and files that do the same.
 */
import { createServer, connect } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { Prng } from '../experiment/prng.js';
import { LinkDirection } from './link-direction.js';
import type { LinkFaultSpec } from './link-fault-spec.js';

export interface LinkTarget {
  host: string;
  port: number;
}

export interface LinkState {
  from: string;
  to: string;
  faults: LinkFaultSpec;
  /** Open TCP connections carrying bytes this way. */
  connections: number;
}

interface Listener {
  from: string;
  to: string;
  server: Server;
  /** Each open connection: the socket `from` opened and the one to `to`. */
  connections: Set<[Socket, Socket]>;
}

export class LinkProxies {
  private readonly directions = new Map<string, LinkDirection>();
  private readonly listeners: Listener[] = [];
  private readonly root: Prng;

  /** `seed`: every direction draws its jitter and losses from its own generator forked from it. */
  constructor(seed: number) {
    this.root = new Prng(seed);
  }

  /** Listens for `from`'s connections to `to` (port 0: any free port) and resolves with the port. */
  async open(from: string, to: string, target: LinkTarget, listen: LinkTarget = { host: '127.0.0.1', port: 0 }): Promise<number> {
    const forward = this.direction(from, to);
    const back = this.direction(to, from);
    const connections = new Set<[Socket, Socket]>();
    const server = createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
      const upstream = connect({ host: target.host, port: target.port, allowHalfOpen: true, noDelay: true });
      const pair: [Socket, Socket] = [client, upstream];
      connections.add(pair);
      for (const socket of pair) {
        // Either side failing ends the connection on the other, as a reset would.
        socket.on('error', () => {});
        socket.once('close', () => {
          connections.delete(pair);
          (socket === client ? upstream : client).destroy();
        });
      }
      forward.carry(client, upstream);
      back.carry(upstream, client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listen.port, listen.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.listeners.push({ from, to, server, connections });
    return (server.address() as AddressInfo).port;
  }

  setFaults(from: string, to: string, spec: LinkFaultSpec): void {
    this.known(from, to).setFaults(spec);
  }

  /** Ends every connection between the two nodes at once (both directions), as a reset would. */
  reset(from: string, to: string): number {
    this.known(from, to);
    let ended = 0;
    for (const listener of this.listeners) {
      if (!((listener.from === from && listener.to === to) || (listener.from === to && listener.to === from))) continue;
      for (const pair of listener.connections) {
        for (const socket of pair) socket.resetAndDestroy();
        ended += 1;
      }
    }
    return ended;
  }

  healAll(): void {
    for (const direction of this.directions.values()) direction.setFaults({});
  }

  states(): LinkState[] {
    return [...this.directions.values()].map((direction) => ({
      from: direction.from,
      to: direction.to,
      faults: direction.faults,
      connections: direction.connections,
    }));
  }

  async close(): Promise<void> {
    await Promise.all(
      this.listeners.map(
        ({ server, connections }) =>
          new Promise<void>((resolve) => {
            for (const pair of connections) for (const socket of pair) socket.destroy();
            server.close(() => resolve());
          }),
      ),
    );
    this.listeners.length = 0;
  }

  private direction(from: string, to: string): LinkDirection {
    const key = `${from}->${to}`;
    let direction = this.directions.get(key);
    if (!direction) {
      direction = new LinkDirection(from, to, this.root.fork(key));
      this.directions.set(key, direction);
    }
    return direction;
  }

  private known(from: string, to: string): LinkDirection {
    const direction = this.directions.get(`${from}->${to}`);
    if (!direction) throw new RangeError(`no link ${from} -> ${to} (links: ${[...this.directions.keys()].join(', ') || 'none'})`);
    return direction;
  }
}
