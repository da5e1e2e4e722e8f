import * as grpc from '@grpc/grpc-js';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultInjector } from '../../server/src/admin/faults.js';
import { watchConnectAttempts, type WatchedChannel } from '../../server/src/cluster/grpc/connect-watchdog.js';
import { GrpcTransport } from '../../server/src/cluster/grpc/grpc-transport.js';
import { ForwardNotSentError } from '../../server/src/cluster/transport.js';
import type { ForwardReply } from '../../server/src/cluster/grpc/wire-messages.js';
import { secretSecurity } from '../support/cluster-secret.js';
import { freePort } from './free-port.js';

const { CONNECTING, IDLE, READY, SHUTDOWN } = grpc.connectivityState;

/** A channel whose state changes and deadlines the test drives by hand. */
class FakeChannel implements WatchedChannel {
  state = IDLE;
  watch: { from: grpc.connectivityState; deadline: number | Date; callback: (error?: Error) => void } | undefined;

  getConnectivityState(): grpc.connectivityState {
    return this.state;
  }

  watchConnectivityState(from: grpc.connectivityState, deadline: number | Date, callback: (error?: Error) => void): void {
    this.watch = { from, deadline, callback };
  }

  moveTo(state: grpc.connectivityState): void {
    const watch = this.watch;
    this.state = state;
    this.watch = undefined;
    watch?.callback();
  }

  passDeadline(): void {
    const watch = this.watch;
    this.watch = undefined;
    watch?.callback(new Error('Deadline passed without connectivity state change'));
  }
}

describe('watchConnectAttempts', () => {
  it('reports a connect attempt that outlasts the limit, and arms no timer outside attempts', () => {
    const channel = new FakeChannel();
    let stuck = 0;
    watchConnectAttempts(channel, 2000, () => stuck++);
    expect(channel.watch).toMatchObject({ from: IDLE, deadline: Infinity });
    channel.moveTo(CONNECTING);
    expect(channel.watch?.from).toBe(CONNECTING);
    expect(channel.watch?.deadline).not.toBe(Infinity);
    channel.passDeadline();
    expect(stuck).toBe(1);
    expect(channel.watch).toBeUndefined();
  });

  it('stays quiet while attempts succeed, and stops with the channel', () => {
    const channel = new FakeChannel();
    let stuck = 0;
    watchConnectAttempts(channel, 2000, () => stuck++);
    for (const state of [CONNECTING, READY, IDLE, CONNECTING, READY]) channel.moveTo(state);
    expect(channel.watch).toMatchObject({ from: READY, deadline: Infinity });
    channel.moveTo(SHUTDOWN);
    expect(channel.watch).toBeUndefined();
    expect(stuck).toBe(0);
  });
});

/**
 * A TCP relay in front of a peer whose first connection is a black hole: accepted and never
 * answered, as when a network cut swallows the SYN-ACK. Later connections reach the peer.
 */
async function blackHoleFirstConnection(targetPort: number): Promise<{ port: number; server: Server; held: Socket[] }> {
  const held: Socket[] = [];
  const server = createServer((socket) => {
    if (held.length === 0) {
      held.push(socket);
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    held.push(socket, upstream);
    socket.pipe(upstream).pipe(socket);
    const closeBoth = (): void => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on('error', closeBoth).on('close', closeBoth);
    upstream.on('error', closeBoth).on('close', closeBoth);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, server, held };
}

describe('a peer link whose connect attempt hangs', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('abandons it and forwards on a fresh connection before the call deadline', async () => {
    const leaderPort = await freePort();
    const relay = await blackHoleFirstConnection(leaderPort);
    cleanups.push(() => {
      for (const socket of relay.held) socket.destroy();
      return new Promise<void>((resolve) => relay.server.close(() => resolve()));
    });
    // The follower reaches the leader through the relay; the leader listens behind it.
    const members = [
      { id: 'follower', address: `127.0.0.1:${await freePort()}` },
      { id: 'leader', address: `127.0.0.1:${relay.port}` },
    ];
    const security = secretSecurity();
    const answer: ForwardReply = { result: 'answer', answer: { output_json: '{}', log_index: 7, replicas: 1 } };
    const transports = ['follower', 'leader'].map(
      (id) =>
        new GrpcTransport({
          selfId: id,
          members,
          faults: new FaultInjector(),
          electionTimeoutMs: 500,
          security,
          ...(id === 'leader' ? { listenAddress: `127.0.0.1:${leaderPort}` } : {}),
        }),
    );
    for (const transport of transports) {
      await transport.start({ onMessage: () => undefined, onSnapshotFailed: () => undefined, onForward: async () => answer });
      cleanups.push(() => transport.close());
    }
    const [follower] = transports as [GrpcTransport, GrpcTransport];
    const request = { from: 'follower', action: 'SendMessage', input_json: '{}', base_url: '', sender_id: '' };
    // Without the watchdog the first call hangs until its deadline (DEADLINE_EXCEEDED, after 8 s).
    // With it, the call is given back unsent when the stuck channel is dropped, well before that,
    // and the caller's retry (the forwarding service's loop) goes through the fresh channel.
    const deadline = Date.now() + 8000;
    await expect(follower.forward('leader', request, deadline)).rejects.toBeInstanceOf(ForwardNotSentError);
    expect(await follower.forward('leader', request, deadline)).toEqual(answer);
    expect(relay.held.length).toBeGreaterThan(1);
  }, 15_000);
});
