/**
 * The testkit leaves testcontainers' reaper (Ryuk) to the user, and `withReuse()` keeps its
 * promise: a matching running node is found by a later process and outlives every process.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { containerSkipReason } from './support/environment.js';
import { dockerObjectExists } from './support/cleanup-checks.js';
import { ensureImage } from './support/image.js';
import { runTestkitScriptOk } from './support/child-node.js';

describe('Ryuk setting', () => {
  // Importing used to set it to "true" for the whole process: the user's own containers lost
  // their reaper and leaked on a crash.
  it.each([undefined, 'false', 'true'])('importing the testkit leaves TESTCONTAINERS_RYUK_DISABLED=%s as it was', async (setting) => {
    const { stdout } = await runTestkitScriptOk(
      `await import('testcontainers'); void testkit.ReplimqCluster; console.log(JSON.stringify(process.env.TESTCONTAINERS_RYUK_DISABLED ?? null));`,
      { TESTCONTAINERS_RYUK_DISABLED: setting },
    );
    expect(JSON.parse(stdout)).toBe(setting ?? null);
  });
});

describe.skipIf(containerSkipReason !== undefined)(`Ryuk and reuse on Docker${containerSkipReason ? ` (skipped: ${containerSkipReason})` : ''}`, () => {
  beforeAll(() => ensureImage(), 300_000);

  // No registry here: the reaper's image cannot be pulled, which testcontainers reports as a
  // failed start. The testkit's node starts anyway, and its own exit cleanup removes it.
  it('with Ryuk left on where its image cannot be had, a node starts and is removed when the process exits', async () => {
    const { stdout } = await runTestkitScriptOk(
      `const node = await new testkit.ReplimqContainer().start();
       console.log(JSON.stringify({ id: node.getId(), healthy: (await node.admin().health()).healthy }));
       process.exit(0);`,
      { TESTCONTAINERS_RYUK_DISABLED: undefined, DEBUG: 'replimq:cleanup' },
    );
    const { id, healthy } = JSON.parse(stdout) as { id: string; healthy: boolean };
    expect(healthy).toBe(true);
    expect(dockerObjectExists('container', id)).toBe(false);
  }, 90_000);

  it('withReuse(): a second process finds the first one\'s running node, and it survives both', async () => {
    // A node id of this test's own keeps the reuse hash apart from every other run's.
    const nodeId = `reuse-${randomUUID().slice(0, 8)}`;
    const script = `const node = await new testkit.ReplimqContainer().withNodeId('${nodeId}').withReuse().start();
      const { QueueUrl } = await node.sqsClient().send(new (await import('@aws-sdk/client-sqs')).CreateQueueCommand({ QueueName: 'reused' }));
      console.log(JSON.stringify({ id: node.getId(), queue: QueueUrl.endsWith('/reused') }));
      process.exit(0);`;
    let first: { id: string } | undefined;
    try {
      first = JSON.parse((await runTestkitScriptOk(script)).stdout) as { id: string };
      const second = JSON.parse((await runTestkitScriptOk(script)).stdout) as { id: string };
      expect(second.id).toBe(first.id);
      const state = execFileSync('docker', ['inspect', '--format', '{{.State.Running}}', first.id], { encoding: 'utf8' }).trim();
      expect(state).toBe('true');
    } finally {
      if (first) spawnSync('docker', ['rm', '--force', '--volumes', first.id], { stdio: 'ignore' });
    }
  }, 120_000);
});
