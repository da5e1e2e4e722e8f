/**
 * `/cluster/members` on one real node (a cluster of one on SQLite, behind an admin token): the
 * configuration it reports, every refusal with its HTTP status, a member added as a learner, the
 * configuration kept across a restart whatever `--peers` says, and 503 on a node that knows no
 * leader. One node per case, in process: cheap.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { defaultConfig, type NodeConfig } from '../../server/src/config.js';
import { makeTempDir, startNode, type StartedNode } from '../support/start-node.js';
import { randomClusterSecret } from '../support/cluster-secret.js';
import { freePort } from './free-port.js';

const TOKEN = 'admin-token-for-the-membership-test';
const running: StartedNode[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((node) => node.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function soloNode(dataDir: string, grpcPort: number, cluster: Partial<NodeConfig['cluster']> = {}): Promise<StartedNode> {
  const node = await startNode({
    storage: 'sqlite',
    dataDir,
    config: {
      grpcPort,
      adminToken: TOKEN,
      cluster: {
        ...defaultConfig().cluster,
        nodeId: 'solo',
        electionTimeoutMs: 200,
        heartbeatIntervalMs: 50,
        replicationTimeoutMs: 2_000,
        security: { ...defaultConfig().cluster.security, secrets: [SECRET] },
        ...cluster,
      },
    },
  });
  running.push(node);
  return node;
}

const SECRET = randomClusterSecret();

async function call(node: StartedNode, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${node.adminEndpoint}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the /cluster/members admin API', () => {
  it('reports the configuration, refuses bad changes with their status, adds a learner and keeps it across a restart', async () => {
    const dataDir = makeTempDir();
    dirs.push(dataDir);
    const grpcPort = await freePort();
    const self = `127.0.0.1:${grpcPort}`;
    let node = await soloNode(dataDir, grpcPort);

    expect(await call(node, 'GET', '/cluster/members')).toEqual({
      status: 200,
      body: { leaderId: 'solo', members: [{ id: 'solo', address: self, role: 'voter' }] },
    });
    expect((await call(node, 'GET', '/cluster')).body['members']).toEqual([{ id: 'solo', address: self, role: 'voter' }]);

    // Behind the admin token like every endpoint but /health.
    for (const [method, path] of [['GET', '/cluster/members'], ['POST', '/cluster/members'], ['DELETE', '/cluster/members/solo']] as const) {
      expect((await fetch(`${node.adminEndpoint}${path}`, { method })).status).toBe(401);
    }

    // Bad input: 400 naming what is wrong; a body that is not JSON: 415.
    const refused = async (body: unknown, status: number, pattern: RegExp): Promise<void> => {
      const answer = await call(node, 'POST', '/cluster/members', body);
      expect(answer.status).toBe(status);
      expect(String(answer.body['error'])).toMatch(pattern);
    };
    await refused({ id: 'bad id!', address: '127.0.0.1:1' }, 400, /"id" must be a node id/);
    await refused({ id: 'n2' }, 400, /"address" must be/);
    await refused({ id: 'n2', address: 'no-port' }, 400, /"address" must be/);
    await refused({ id: 'n2', address: '127.0.0.1:70000' }, 400, /"address" must be/);
    await refused({ id: 'n2', address: '127.0.0.1:1', voter: true }, 400, /unknown field "voter"/);
    await refused([{ id: 'n2' }], 400, /JSON object/);
    const textPlain = await call(node, 'POST', '/cluster/members', '{"id":"n2","address":"127.0.0.1:1"}', { 'content-type': 'text/plain' });
    expect(textPlain.status).toBe(415);

    expect(await call(node, 'DELETE', '/cluster/members/ghost')).toMatchObject({ status: 404, body: { reason: 'unknown-member' } });
    expect(await call(node, 'DELETE', '/cluster/members/solo')).toMatchObject({ status: 409, body: { reason: 'conflict' } });

    // A member that never answers stays a learner: the leader promotes only what caught up.
    const learner = { id: 'n2', address: `127.0.0.1:${await freePort()}`, role: 'learner' };
    const added = await call(node, 'POST', '/cluster/members', { id: 'n2', address: learner.address });
    expect(added).toEqual({ status: 201, body: { members: [learner, { id: 'solo', address: self, role: 'voter' }] } });
    // The same add again is done already (a --join that asks twice); another address for it is not.
    expect((await call(node, 'POST', '/cluster/members', { id: 'n2', address: learner.address })).status).toBe(201);
    expect(await call(node, 'POST', '/cluster/members', { id: 'n2', address: '127.0.0.1:2' })).toMatchObject({ status: 409 });
    expect(await call(node, 'POST', '/cluster/members', { id: 'n3', address: learner.address })).toMatchObject({ status: 409 });

    // Restarted with a --peers list that says otherwise: the stored configuration wins.
    await node.stop();
    running.splice(running.indexOf(node), 1);
    node = await soloNode(dataDir, grpcPort, { peers: [{ id: 'solo', host: '127.0.0.1', port: grpcPort }] });
    // The leader reports its progress too: the learner never answered, so it matched nothing.
    expect((await call(node, 'GET', '/cluster/members')).body['members']).toEqual([
      { ...learner, matchIndex: 0, lag: expect.any(Number), state: 'probe' },
      { id: 'solo', address: self, role: 'voter' },
    ]);

    expect(await call(node, 'DELETE', '/cluster/members/n2')).toEqual({ status: 200, body: { members: [{ id: 'solo', address: self, role: 'voter' }] } });
    expect((await call(node, 'GET', '/cluster/members')).body['members']).toEqual([{ id: 'solo', address: self, role: 'voter' }]);
  });

  it('answers 503 while no leader is known (a node still asking to join)', async () => {
    const dataDir = makeTempDir();
    dirs.push(dataDir);
    const nobody = await freePort();
    const node = await soloNode(dataDir, await freePort(), { join: [{ id: 'gone', host: '127.0.0.1', port: nobody }] });
    expect(await call(node, 'GET', '/cluster/members')).toEqual({ status: 200, body: { leaderId: null, members: [] } });
    const answer = await call(node, 'POST', '/cluster/members', { id: 'n9', address: '127.0.0.1:9' });
    expect(answer).toMatchObject({ status: 503, body: { reason: 'not-leader' } });
  });
});
