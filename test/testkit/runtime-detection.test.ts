/**
 * The testkit finds a Docker engine wherever testcontainers does — here, a socket at a path only
 * ~/.testcontainers.properties names (as on Colima, Podman or a remote engine), with DOCKER_HOST
 * unset and /var/run/docker.sock hidden: a child process runs in a mount namespace of its own
 * (`unshare --mount`, root only) where /dev/null is mounted over that socket. The engine is
 * reached through a unix-socket proxy of this test's, which counts the connections it carries.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerSkipReason } from './support/environment.js';
import { ensureImage } from './support/image.js';
import { dockerObjectExists } from './support/cleanup-checks.js';

const clientDist = fileURLToPath(new URL('../../client/dist/index.js', import.meta.url));
const ENGINE_SOCKET = '/var/run/docker.sock';
const canHide =
  process.platform === 'linux' &&
  process.getuid?.() === 0 &&
  existsSync(ENGINE_SOCKET) &&
  spawnSync('unshare', ['--mount', 'true']).status === 0;
const skipReason = containerSkipReason ?? (canHide ? undefined : 'needs root, unshare and /var/run/docker.sock to hide it');

describe.skipIf(skipReason !== undefined)(`container runtime detection${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let home: string;
  let proxy: Server;
  let proxied = 0;
  const socket = () => join(home, 'engine', 'docker.sock');

  beforeAll(async () => {
    ensureImage();
    home = await mkdtemp(join(tmpdir(), 'replimq-detect-'));
    await writeFile(join(home, '.testcontainers.properties'), `docker.host=unix://${socket()}\n`);
    await import('node:fs/promises').then((fs) => fs.mkdir(join(home, 'engine')));
    proxy = createServer((client) => {
      proxied += 1;
      const engine = connect(ENGINE_SOCKET);
      client.pipe(engine).pipe(client);
      client.on('error', () => engine.destroy());
      engine.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(socket(), resolve));
  }, 300_000);

  afterAll(async () => {
    await new Promise((resolve) => proxy?.close(resolve));
    if (home) await rm(home, { recursive: true, force: true });
  });

  /**
   * Runs an ES module snippet (`testkit` in scope) where only the proxy leads to the engine.
   * Asynchronously: this process serves the proxy meanwhile.
   */
  async function runHidden(body: string): Promise<{ stdout: string; stderr: string }> {
    const script = `const testkit = await import(${JSON.stringify(clientDist)});\n${body}`;
    const { DOCKER_HOST: _host, XDG_RUNTIME_DIR: _xdg, ...environment } = process.env;
    const child = spawn(
      'unshare',
      ['--mount', 'sh', '-c', `mount --bind /dev/null ${ENGINE_SOCKET} && exec "$0" --input-type=module -e "$1"`, process.execPath, script],
      { env: { ...environment, HOME: home, DEBUG: 'replimq:cluster' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (status !== 0) throw new Error(`child ended with ${status}: ${stderr}`);
    return { stdout: stdout.trim(), stderr };
  }

  it('the engine is hidden from the child at its default path', () => {
    const child = spawnSync('unshare', ['--mount', 'sh', '-c', `mount --bind /dev/null ${ENGINE_SOCKET} && test -S ${ENGINE_SOCKET}`]);
    expect(child.status).not.toBe(0);
  });

  it('finds the engine at the socket ~/.testcontainers.properties names, and the auto runtime says so', async () => {
    const before = proxied;
    const { stdout, stderr } = await runHidden(`
      const probe = await testkit.probeDocker();
      const cluster = await new testkit.ReplimqCluster(1).start();
      const runtime = cluster.runtimeKind;
      await cluster.stop();
      console.log(JSON.stringify({ probe, reachable: await testkit.isDockerReachable(), runtime }));
    `);
    const result = JSON.parse(stdout) as { probe: { reachable: boolean; detail: string }; reachable: boolean; runtime: string };
    expect(result.probe).toEqual({ reachable: true, detail: expect.stringContaining(`at unix://${socket()}`) });
    expect(result.reachable).toBe(true);
    expect(result.runtime).toBe('container');
    expect(stderr).toMatch(new RegExp(`runtime auto: container, because testcontainers' runtime client reached engine .* at unix://${socket()}`));
    expect(proxied).toBeGreaterThan(before);
  }, 90_000);

  // The exit safety net removes containers with the docker CLI, which asks its own default engine
  // unless told which one testcontainers found.
  it('removes a node left running at exit on that same engine', async () => {
    const { stdout } = await runHidden(`
      const node = await new testkit.ReplimqContainer().start();
      console.log(node.getId());
      process.exit(0);
    `);
    expect(stdout).toMatch(/^[0-9a-f]{64}$/);
    expect(dockerObjectExists('container', stdout)).toBe(false);
  }, 90_000);
});
