/**
 * Who can reach and use the admin API: it listens on loopback by default (while SQS listens on
 * every interface), and with a token set every endpoint but /health needs it, the dashboard
 * included (opened once with `?token=`, then by cookie).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { defaultConfig } from '../../../server/src/config.js';
import { startNode, type StartedNode } from '../../support/start-node.js';

const TOKEN = 'admin-token-for-this-test';

/** An address of this machine other than loopback, if it has one. */
function externalAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((address) => address !== undefined && address.family === 'IPv4' && !address.internal)?.address;
}

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

describe('admin API bind address', () => {
  it('defaults to loopback while SQS stays on every interface', () => {
    expect(defaultConfig()).toMatchObject({ bind: '0.0.0.0', adminBind: '127.0.0.1' });
  });

  const address = externalAddress();
  it.skipIf(address === undefined)('is not reachable from another interface of the machine, while SQS is', async () => {
    const node = await startNode({ config: { bind: '0.0.0.0', adminBind: defaultConfig().adminBind } });
    try {
      const sqsPort = Number(new URL(node.sqsEndpoint).port);
      const adminPort = Number(new URL(node.adminEndpoint).port);
      expect(await reachable(address!, sqsPort)).toBe(true);
      expect(await reachable(address!, adminPort)).toBe(false);
      expect(await reachable('127.0.0.1', adminPort)).toBe(true);
    } finally {
      await node.stop();
    }
  });

  it('gets a generated token when it listens beyond loopback without one', async () => {
    const node = await startNode({ config: { adminBind: '0.0.0.0' } });
    try {
      expect((await fetch(`${node.adminEndpoint}/health`)).status).toBe(200);
      expect((await fetch(`${node.adminEndpoint}/cluster`)).status).toBe(401);
      expect((await fetch(`${node.adminEndpoint}/faults`, { method: 'POST', body: '{"refuseClients":true}' })).status).toBe(401);
    } finally {
      await node.stop();
    }
  });
});

describe('admin API token', () => {
  let node: StartedNode;
  beforeAll(async () => {
    node = await startNode({ config: { adminToken: TOKEN } });
  });
  afterAll(() => node.stop());

  const call = (path: string, init: RequestInit = {}): Promise<Response> => fetch(`${node.adminEndpoint}${path}`, { redirect: 'manual', ...init });
  const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

  it('leaves /health open', async () => {
    expect((await call('/health')).status).toBe(200);
  });

  it('refuses every other endpoint without the token, with a Bearer challenge', async () => {
    for (const path of ['/cluster', '/queues', '/metrics', '/faults', '/state/digest', '/', '/ui']) {
      const response = await call(path);
      expect(response.status, path).toBe(401);
      expect(response.headers.get('www-authenticate'), path).toMatch(/^Bearer /);
    }
  });

  it('refuses a wrong token, and changes nothing when refused', async () => {
    expect((await call('/cluster', { headers: bearer('not-the-token') })).status).toBe(401);
    const injected = await call('/faults', { method: 'POST', headers: { ...bearer('not-the-token'), 'content-type': 'application/json' }, body: '{"refuseClients":true}' });
    expect(injected.status).toBe(401);
    expect(await (await call('/faults', { headers: bearer(TOKEN) })).json()).toMatchObject({ refuseClients: false });
  });

  it('serves every endpoint with the token', async () => {
    const response = await call('/cluster', { headers: bearer(TOKEN) });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ nodeId: 'n1', role: 'leader' });
  });

  it('lets a browser open the dashboard with ?token= once, then by cookie', async () => {
    expect((await call('/?token=wrong')).status).toBe(401);
    const signIn = await call(`/?token=${TOKEN}`);
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).toBe('/');
    const cookie = signIn.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const jar = { cookie: cookie.split(';')[0]! };
    const page = await call('/', { headers: jar });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("fetch('cluster')");
    // The page's own calls carry the cookie.
    expect((await call('/cluster', { headers: jar })).status).toBe(200);
  });

  it('gives a browser without the token a page that asks for it', async () => {
    const response = await call('/', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(401);
    expect(await response.text()).toMatch(/<form method="get" action="\/">[\s\S]*name="token"/);
  });
});
