/**
 * The link proxies on real sockets (port 0): bytes pass unchanged, faults touch one direction of
 * travel only, a cut holds bytes and a heal delivers them, and the seeded draws of jitter and
 * loss are bounded and repeat with the seed.
 */
import { once } from 'node:events';
import { createServer, connect } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Prng } from '../../../client/src/experiment/prng.js';
import { LinkDirection } from '../../../client/src/link-faults/link-direction.js';
import { parseLinkFaultSpec } from '../../../client/src/link-faults/link-fault-spec.js';
import { LinkProxies } from '../../../client/src/link-faults/link-proxies.js';
import { serveLinkControl, controlPort } from '../../../client/src/link-faults/link-control-server.js';

/** An echo server standing for node b: answers every chunk with the same bytes. */
async function echoServer(): Promise<Server> {
  const server = createServer((socket) => socket.on('error', () => {}).pipe(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}

/** Collects what a socket receives; `until(text)` resolves once that much arrived. */
function reader(socket: Socket) {
  let received = '';
  const waiters: (() => void)[] = [];
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    get text() {
      return received;
    },
    async until(text: string): Promise<void> {
      while (!received.includes(text)) await new Promise<void>((resolve) => waiters.push(resolve));
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('link proxies', () => {
  const cleanups: (() => Promise<unknown> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function link(seed = 7) {
    const echo = await echoServer();
    const proxies = new LinkProxies(seed);
    const port = await proxies.open('n1', 'n2', { host: '127.0.0.1', port: portOf(echo) });
    const client = connect({ host: '127.0.0.1', port });
    await once(client, 'connect');
    cleanups.push(() => new Promise((resolve) => echo.close(resolve)), () => proxies.close(), () => void client.destroy());
    return { proxies, client, read: reader(client) };
  }

  it('passes bytes both ways unchanged when the link is healthy', async () => {
    const { client, read } = await link();
    const payload = 'x'.repeat(200_000);
    client.write(`${payload}|end`);
    await read.until('|end');
    expect(read.text).toBe(`${payload}|end`);
  });

  it('adds latency to what travels one way: the reply comes no sooner than the request could get there', async () => {
    const { proxies, client, read } = await link();
    proxies.setFaults('n1', 'n2', { latencyMs: 150 });
    const started = performance.now();
    client.write('ping');
    await read.until('ping');
    // A lower bound only: the reply cannot come back before the request arrived.
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    expect(proxies.states().find((state) => state.from === 'n1')).toMatchObject({ faults: { latencyMs: 150 }, connections: 1 });
  });

  it('a cut holds the bytes of its direction until the heal, then delivers them in order', async () => {
    const { proxies, client, read } = await link();
    client.write('before;');
    await read.until('before;');
    proxies.setFaults('n1', 'n2', { cut: true });
    client.write('during-1;');
    client.write('during-2;');
    await sleep(300);
    expect(read.text).toBe('before;');
    proxies.healAll();
    await read.until('during-2;');
    expect(read.text).toBe('before;during-1;during-2;');
  });

  it('a cut of the other direction stops the replies, not the requests', async () => {
    const echo = createServer();
    const arrived: string[] = [];
    echo.on('connection', (socket) => socket.on('data', (chunk: Buffer) => {
      arrived.push(chunk.toString());
      socket.write(chunk);
    }));
    echo.listen(0, '127.0.0.1');
    await once(echo, 'listening');
    const proxies = new LinkProxies(1);
    const port = await proxies.open('n1', 'n2', { host: '127.0.0.1', port: portOf(echo) });
    const client = connect({ host: '127.0.0.1', port });
    cleanups.push(() => new Promise((resolve) => echo.close(resolve)), () => proxies.close(), () => void client.destroy());
    const read = reader(client);
    proxies.setFaults('n2', 'n1', { cut: true });
    client.write('hello');
    while (arrived.join('') !== 'hello') await sleep(10);
    await sleep(200);
    expect(read.text).toBe('');
    proxies.setFaults('n2', 'n1', {});
    await read.until('hello');
  });

  it('a cut with closeAfterMs closes the connection it holds (Toxiproxy\'s timeout); slow close delays the FIN', async () => {
    const { proxies, client, read } = await link();
    proxies.setFaults('n1', 'n2', { cut: true, closeAfterMs: 100 });
    client.write('held');
    await once(client, 'close');
    expect(read.text).toBe('');

    const ended: number[] = [];
    const server = createServer((socket) => socket.on('end', () => ended.push(performance.now())).resume());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const slow = new LinkProxies(1);
    const port = await slow.open('n1', 'n2', { host: '127.0.0.1', port: portOf(server) });
    cleanups.push(() => new Promise((resolve) => server.close(resolve)), () => slow.close());
    slow.setFaults('n1', 'n2', { slowCloseMs: 200 });
    const closing = connect({ host: '127.0.0.1', port });
    await once(closing, 'connect');
    const endedAt = performance.now();
    closing.end('bye');
    while (ended.length === 0) await sleep(10);
    expect(ended[0]! - endedAt).toBeGreaterThanOrEqual(195);
    closing.destroy();
  });

  it('reset ends the connections between the two nodes', async () => {
    const { proxies, client } = await link();
    const read = reader(client);
    client.write('x');
    await read.until('x');
    const failed = once(client, 'error');
    expect(proxies.reset('n1', 'n2')).toBe(1);
    expect(((await failed)[0] as NodeJS.ErrnoException).code).toBe('ECONNRESET');
  });

  it('draws jitter within latency ± jitter, in order, and the same draws for the same seed', () => {
    const draws = (seed: number) => {
      const direction = new LinkDirection('n1', 'n2', new Prng(seed));
      direction.setFaults({ latencyMs: 100, jitterMs: 40 });
      // Chunks 1 s apart, so none waits behind the one before it.
      return Array.from({ length: 200 }, (_, index) => direction.deliveryTime(index * 1000, 100, 0) - index * 1000);
    };
    const delays = draws(3);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(60);
    expect(Math.max(...delays)).toBeLessThanOrEqual(140);
    expect(new Set(delays.map(Math.round)).size).toBeGreaterThan(20);
    expect(draws(3)).toEqual(delays);
    expect(draws(4)).not.toEqual(delays);
    // A chunk never overtakes the one before it on its connection.
    const direction = new LinkDirection('n1', 'n2', new Prng(3));
    direction.setFaults({ latencyMs: 100, jitterMs: 90 });
    let last = 0;
    for (let index = 0; index < 100; index += 1) {
      const due = direction.deliveryTime(index, 10, last);
      expect(due).toBeGreaterThanOrEqual(last);
      last = due;
    }
  });

  it('loss stalls a share of chunks by retransmission timeouts (doubling), never drops them, repeatably', () => {
    const stalls = (seed: number) => {
      const direction = new LinkDirection('n1', 'n2', new Prng(seed));
      direction.setFaults({ lossRate: 0.2, retransmitMs: 200 });
      return Array.from({ length: 2000 }, (_, index) => direction.deliveryTime(index * 100_000, 100, 0) - index * 100_000);
    };
    const delays = stalls(11);
    // 0 (delivered first time), 200, 200+400, 200+400+800, …: whole retransmission series only.
    const series = [0, 200, 600, 1400, 3000, 6200, 12_600];
    expect(delays.every((delay) => series.includes(delay))).toBe(true);
    const lost = delays.filter((delay) => delay > 0).length / delays.length;
    expect(lost).toBeGreaterThan(0.15);
    expect(lost).toBeLessThan(0.25);
    expect(delays.some((delay) => delay >= 600)).toBe(true);
    expect(stalls(11)).toEqual(delays);
  });

  it('bandwidth spaces chunks by their size', () => {
    const direction = new LinkDirection('n1', 'n2', new Prng(1));
    direction.setFaults({ bytesPerSecond: 1000 });
    expect(direction.deliveryTime(0, 500, 0)).toBe(500);
    // Sent at once after the first: it waits for the link to be free.
    expect(direction.deliveryTime(0, 500, 0)).toBe(1000);
  });

  it('checks a spec and names what is wrong', () => {
    expect(parseLinkFaultSpec({ latencyMs: 10, lossRate: 0.5, cut: false })).toEqual({ spec: { latencyMs: 10, lossRate: 0.5, cut: false } });
    expect(parseLinkFaultSpec({ cut: true, closeAfterMs: 0, slowCloseMs: 5 })).toEqual({ spec: { cut: true, closeAfterMs: 0, slowCloseMs: 5 } });
    expect(parseLinkFaultSpec({ lossRate: 2 })).toEqual({ error: 'lossRate must be a number from 0 to 1; got 2' });
    expect(parseLinkFaultSpec({ delay: 1 })).toMatchObject({ error: expect.stringContaining('unknown link fault "delay"') });
    expect(parseLinkFaultSpec([])).toMatchObject({ error: expect.any(String) });
  });

  it('the control API sets faults, answers bad specs with a 400 and lists the links', async () => {
    const echo = await echoServer();
    const proxies = new LinkProxies(1);
    const server = await serveLinkControl(proxies, 0, '127.0.0.1');
    cleanups.push(() => new Promise((resolve) => echo.close(resolve)), () => proxies.close(), () => new Promise((resolve) => server.close(resolve)));
    const base = `http://127.0.0.1:${controlPort(server)}`;
    const opened = await fetch(`${base}/links`, { method: 'POST', body: JSON.stringify({ from: 'n1', to: 'n2', target: { host: '127.0.0.1', port: portOf(echo) }, port: 0 }) });
    expect(opened.status).toBe(200);
    expect(await (await fetch(`${base}/links/n1/n2`, { method: 'PUT', body: JSON.stringify({ latencyMs: 5 }) })).json()).toEqual({ from: 'n1', to: 'n2', faults: { latencyMs: 5 } });
    const bad = await fetch(`${base}/links/n1/n2`, { method: 'PUT', body: JSON.stringify({ lossRate: -1 }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'lossRate must be a number from 0 to 1; got -1' });
    expect((await fetch(`${base}/links/n1/n9`, { method: 'PUT', body: '{}' })).status).toBe(400);
    expect(await (await fetch(`${base}/links`)).json()).toEqual(
      expect.arrayContaining([{ from: 'n1', to: 'n2', faults: { latencyMs: 5 }, connections: 0 }, { from: 'n2', to: 'n1', faults: {}, connections: 0 }]),
    );
  });
});
