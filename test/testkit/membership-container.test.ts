/**
 * `cluster.addNode()` on the container runtime: a 4th container on the cluster's network joins
 * through `--join`, advertising its alias, catches up (the writes made before it joined) and
 * votes, and serves.
 * Skipped with the reason when no engine is reachable, except in CI, where it must run.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReplimqCluster } from '../../client/src/cluster.js';
import { containerSkipReason } from './support/environment.js';
import { ensureEngineInCi, ensureImage } from './support/image.js';
import { createQueue, drain } from './support/sqs-steps.js';

describe.skipIf(containerSkipReason !== undefined)(`container runtime: membership${containerSkipReason ? ` (skipped: ${containerSkipReason})` : ''}`, () => {
  beforeAll(async () => {
    await ensureEngineInCi();
    ensureImage();
  }, 300_000);

  it('adds a 4th node that catches up, votes and serves', async () => {
    await using cluster = await new ReplimqCluster(3).withRuntime('container').start();
    const sqs = cluster.node(1).sqsClient();
    const queueUrl = await createQueue(sqs, 'grown');
    for (let count = 0; count < 20; count++) await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: `before-${count}` }));

    const n4 = await cluster.addNode();
    expect(n4.nodeId).toBe('n4');
    const members = await cluster.members();
    expect(members.map(({ id, role }) => `${id}:${role}`)).toEqual(['n1:voter', 'n2:voter', 'n3:voter', 'n4:voter']);
    // Members dial it by its alias on the cluster network, not by an address Docker picked.
    expect(members.find((member) => member.id === 'n4')?.address).toBe('replimq-4:9326');

    await n4.sqsClient().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'through-n4' }));
    await cluster.waitForConvergence({ timeoutMs: 30_000 });
    const bodies = await drain(n4.sqsClient(), queueUrl);
    expect(bodies).toHaveLength(21);
    expect(bodies).toContain('through-n4');
  }, 180_000);
});
