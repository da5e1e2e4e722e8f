/**
 * The image builds itself: a container started where its image is missing gets it built by the
 * testkit from the Dockerfile and server shipped in the `replimq` package — once, though two
 * processes start at the same moment — with OCI labels and a HEALTHCHECK that needs no shell.
 * A tag of this test's own, removed afterwards: the shared image is never touched.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE } from '../../client/src/container.js';
import { containerSkipReason } from './support/environment.js';
import { dockerObjectExists } from './support/cleanup-checks.js';
import { runTestkitScriptOk } from './support/child-node.js';

const image = `replimq:testkit-build-${randomUUID().slice(0, 8)}`;

describe('default image', () => {
  it('is versioned after the replimq package, not replimq:local', async () => {
    const { version } = (await import('../../server/package.json', { with: { type: 'json' } })).default;
    expect(DEFAULT_IMAGE).toBe(`replimq:${version}`);
  });
});

describe.skipIf(containerSkipReason !== undefined)(`image built on first use${containerSkipReason ? ` (skipped: ${containerSkipReason})` : ''}`, () => {
  afterAll(() => {
    spawnSync('docker', ['image', 'rm', image], { stdio: 'ignore' });
  });

  it('two processes starting a node on a missing image build it once, and both nodes serve', async () => {
    expect(dockerObjectExists('image', image)).toBe(false);
    const script = `const node = await new testkit.ReplimqContainer(${JSON.stringify(image)}).start();
      console.log(JSON.stringify({ id: node.getId(), health: (await node.admin().health()).body }));
      process.exit(0);`;
    const runs = await Promise.all([runTestkitScriptOk(script), runTestkitScriptOk(script)]);
    for (const run of runs) expect(JSON.parse(run.stdout)).toMatchObject({ health: { status: 'ok' } });
    const builders = runs.filter((run) => run.stderr.includes(`replimq-testkit: building ${image}`));
    expect(builders).toHaveLength(1);
    expect(builders[0]!.stderr).toMatch(new RegExp(`replimq-testkit: built ${image} in `));
    const waiter = runs.find((run) => run !== builders[0])!;
    expect(waiter.stderr).not.toContain('Step 1/');

    const inspect = JSON.parse(execFileSync('docker', ['image', 'inspect', image], { encoding: 'utf8' })) as Array<{
      Config: { Labels: Record<string, string>; Healthcheck?: { Test: string[] } };
    }>;
    const { Labels, Healthcheck } = inspect[0]!.Config;
    expect(Labels).toMatchObject({
      'org.opencontainers.image.title': 'replimq',
      'org.opencontainers.image.version': DEFAULT_IMAGE.split(':')[1],
      'org.opencontainers.image.licenses': 'Apache-2.0',
    });
    expect(Healthcheck?.Test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
  }, 240_000);

  it('the image\'s HEALTHCHECK reports a running node healthy', async () => {
    const id = execFileSync('docker', ['run', '--detach', image], { encoding: 'utf8' }).trim();
    try {
      let status = '';
      for (let attempt = 0; attempt < 60 && status !== 'healthy'; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        status = execFileSync('docker', ['inspect', '--format', '{{.State.Health.Status}}', id], { encoding: 'utf8' }).trim();
      }
      expect(status).toBe('healthy');
    } finally {
      spawnSync('docker', ['rm', '--force', '--volumes', id], { stdio: 'ignore' });
    }
  }, 90_000);
});
