/**
 * `replimq cluster status|add|remove` against one real node (in process, behind an admin token):
 * what it prints, its exit codes (0 done, 1 refused or unreachable, 2 usage), where the URL and
 * token come from; and that the `replimq` bin dispatches to it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterCommand } from '../../../server/src/cli/cluster-command.js';
import { defaultConfig } from '../../../server/src/config.js';
import { CLI_PATH, startNode, type StartedNode } from '../../support/start-node.js';
import { freePort } from '../../cluster/free-port.js';

const TOKEN = 'token-of-the-cli-test';
let node: StartedNode;
let grpcPort: number;

beforeAll(async () => {
  grpcPort = await freePort();
  node = await startNode({ config: { grpcPort, adminToken: TOKEN, cluster: { ...defaultConfig().cluster, nodeId: 'solo' } } });
});

afterAll(async () => {
  await node.stop();
});

async function cli(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await clusterCommand(argv, env, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

const withNode = (): string[] => ['--admin', node.adminEndpoint, '--admin-token', TOKEN];

describe('replimq cluster', () => {
  it('shows the members as a table, or as JSON', async () => {
    const table = await cli(['status', ...withNode()]);
    expect(table).toMatchObject({ code: 0, err: '' });
    expect(table.out).toMatch(/^leader solo\nID\s+ADDRESS\s+ROLE\s+LEADER\s+MATCH\s+LAG\s+STATE\nsolo\s+127\.0\.0\.1:\d+\s+voter\s+yes\n$/);
    const json = await cli(['status', '--json', ...withNode()]);
    expect(JSON.parse(json.out)).toEqual({ leaderId: 'solo', members: [{ id: 'solo', address: `127.0.0.1:${grpcPort}`, role: 'voter' }] });
  });

  it('adds and removes a member (id and address apart, or as id@host:port), URL and token from the environment', async () => {
    const env = { REPLIMQ_ADMIN_URL: node.adminEndpoint, REPLIMQ_ADMIN_TOKEN: TOKEN };
    const address = `127.0.0.1:${await freePort()}`;
    expect(await cli(['add', 'n2', address], env)).toEqual({ code: 0, out: `added n2 at ${address} as a learner; it votes once it caught up\n`, err: '' });
    const other = `127.0.0.1:${await freePort()}`;
    expect((await cli(['add', `n3@${other}`], env)).code).toBe(0);
    const status = await cli(['status'], env);
    expect(status.out).toMatch(new RegExp(`^n2\\s+${address.replace(/\./g, '\\.')}\\s+learner`, 'm'));
    expect(await cli(['remove', 'n2'], env)).toEqual({ code: 0, out: 'removed n2\n', err: '' });
    expect((await cli(['remove', 'n3'], env)).code).toBe(0);
  });

  it('exits 1 with the node\'s refusal, a missing token or an unreachable node', async () => {
    const unknown = await cli(['remove', 'ghost', ...withNode()]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/404: "ghost" is not a member/);
    const bad = await cli(['add', 'n9', 'no-port', ...withNode()]);
    expect(bad).toMatchObject({ code: 1 });
    expect(bad.err).toMatch(/400: "address" must be/);
    const noToken = await cli(['status', '--admin', node.adminEndpoint]);
    expect(noToken.code).toBe(1);
    expect(noToken.err).toMatch(/401/);
    const nobody = await cli(['status', '--admin', `http://127.0.0.1:${await freePort()}`]);
    expect(nobody.code).toBe(1);
    expect(nobody.err).toMatch(/cannot reach the node/);
  });

  it('exits 2 on a usage mistake, saying what is wrong and how it is used', async () => {
    for (const argv of [[], ['frob'], ['add', 'n2'], ['remove'], ['status', 'extra'], ['status', '--admin', 'ftp://x'], ['status', '--nope'], ['status', '--admin']]) {
      const result = await cli(argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.err).toMatch(/^replimq cluster: .+\n\nUsage:/);
    }
  });

  it('is what the replimq bin runs for `replimq cluster …` (a node still runs from flags)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI_PATH, 'cluster', '--help']);
    expect(stdout).toMatch(/^Usage:\n {2}replimq cluster status/);
    const help = await promisify(execFile)(process.execPath, [CLI_PATH, '--help']);
    expect(help.stdout).toMatch(/replimq cluster status\|add\|remove/);
    expect(help.stdout).toMatch(/--join id@host:port/);
  });
});
