/**
 * Rotating the cluster secret without downtime: a node holding the old and the new secret (here
 * from a two-line secret file) talks with nodes that hold only the new one, so the secret can be
 * changed one node at a time; once the others dropped the old secret, a node that holds only it is
 * refused, and its campaigns move nobody's term.
 */
import { SendMessageCommand, CreateQueueCommand } from '@aws-sdk/client-sqs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { randomClusterSecret } from '../support/cluster-secret.js';
import { clusterPerTest } from './cluster-per-test.js';
import { waitFor } from './wait-for.js';

describe('cluster secret rotation', () => {
  const { startCluster, client } = clusterPerTest();
  const dir = mkdtempSync(join(tmpdir(), 'replimq-rotation-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('[old, new] and [new] interoperate; [old] alone is refused once the others retired it', async () => {
    const [oldSecret, newSecret] = [randomClusterSecret(), randomClusterSecret()];
    const rotationFile = join(dir, 'n3.secret');
    writeFileSync(rotationFile, `${oldSecret}\n${newSecret}\n`);
    const cluster = await startCluster({
      size: 3,
      nodeEnv: {
        n1: { REPLIMQ_CLUSTER_SECRET: newSecret },
        n2: { REPLIMQ_CLUSTER_SECRET: `${newSecret},${oldSecret}` },
        n3: { REPLIMQ_CLUSTER_SECRET: '', REPLIMQ_CLUSTER_SECRET_FILE: rotationFile },
      },
    });
    // Formed (one leader agreed by all three) and replicating to every node.
    const leader = await cluster.leader();
    const url = (await client(leader).send(new CreateQueueCommand({ QueueName: 'rotation' }))).QueueUrl!;
    await client(leader).send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'during the rotation' }));
    await cluster.waitForConvergence();

    // n1 and (after a restart) n2 hold only the new secret; n3 comes back with only the old one.
    const [n1, n2, n3] = cluster.nodes as [typeof leader, typeof leader, typeof leader];
    await n2.kill();
    n2.setEnvironment({ REPLIMQ_CLUSTER_SECRET: newSecret });
    await cluster.restart(n2);
    await n3.kill();
    n3.setEnvironment({ REPLIMQ_CLUSTER_SECRET: oldSecret, REPLIMQ_CLUSTER_SECRET_FILE: '' });
    const current = await cluster.waitForLeader([n1, n2]);
    const termBefore = (await current.cluster()).term;
    n3.start();

    // n3 campaigns, and both others refuse it at the authentication layer.
    for (const node of [n1, n2]) {
      await waitFor(`${node.id} to log a refused call from n3`, () => node.log.some((line) => line.includes('peer call refused') && line.includes('claimed=n3')), {
        timeoutMs: 15_000,
      });
    }
    await client(current).send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'after n3 was cut off' }));
    const [d1, d2, d3] = await Promise.all([n1.digest(), n2.digest(), n3.digest()]);
    await waitFor('n1 and n2 to converge', async () => {
      const [a, b] = await Promise.all([n1.digest(), n2.digest()]);
      return a.digest === b.digest && a.appliedIndex === b.appliedIndex && a.appliedIndex > d3.appliedIndex;
    });
    expect(d3.appliedIndex).toBeLessThan(Math.max(d1.appliedIndex, d2.appliedIndex));
    const views = await Promise.all([n1.cluster(), n2.cluster()]);
    expect(views.map((view) => view.term)).toEqual([termBefore, termBefore]);
    expect((await n3.cluster()).leaderId).toBeNull();
  }, 120_000);
});
