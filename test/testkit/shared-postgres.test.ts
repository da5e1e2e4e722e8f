/**
 * The testkit's shared-db clusters: `withSharedPostgres()` starts a real PostgreSQL (this machine's
 * binaries) and the nodes on it, and the cluster's faults and waits work on them as on raft
 * clusters, plus `cutDatabase(n)` and `restartDatabase()`.
 */
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { ReplimqCluster } from '../../client/src/cluster.js';
import { findPostgresBinaries } from '../../client/src/postgres/local-postgres.js';
import { waitFor } from '../cluster/wait-for.js';

const MISSING = findPostgresBinaries() ? undefined : 'no PostgreSQL binaries on this machine (Debian\'s postgresql)';
if (MISSING && process.env['CI'] === 'true') throw new Error(`CI=true needs the shared-postgres testkit suite to run, but there are ${MISSING}`);

describe.skipIf(MISSING !== undefined)(`testkit: withSharedPostgres()${MISSING ? ` (skipped: ${MISSING})` : ''}`, () => {
  it('starts a group on a real PostgreSQL; kill, cutDatabase and restartDatabase keep every acknowledged message', { timeout: 120_000 }, async () => {
    // The process runtime: the container runtime's group is shared-postgres-container.test.ts.
    await using cluster = await new ReplimqCluster(3).withSharedPostgres().withRuntime('process').start();
    expect(cluster.databaseUrl).toMatch(/^postgres:\/\//);
    const active = cluster.numberOf(await cluster.leader());
    const standbys = [1, 2, 3].filter((number) => number !== active);
    const sqs = cluster.node(standbys[0]!).sqsClient();
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'kit' }))).QueueUrl!;
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'before' }));
    const status = await cluster.node(active).admin().cluster();
    expect(status).toMatchObject({ mode: 'shared-db', role: 'leader' });

    await cluster.kill(active);
    const successor = cluster.numberOf(await cluster.leader({ among: standbys, timeoutMs: 15_000 }));
    expect(await cluster.cutDatabase(successor)).toBeGreaterThan(0);
    await waitFor('a send after the cut', () => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'after-cut' })).then(() => true), { timeoutMs: 15_000 });
    await cluster.restartDatabase();
    await waitFor('a send after the restart', () => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'after-restart' })).then(() => true), { timeoutMs: 30_000 });

    await cluster.restart(active);
    await cluster.waitForConvergence({ timeoutMs: 20_000 });
    // The assertions hold on the group: the database holds each answered commit.
    const probeQueue = (await sqs.send(new CreateQueueCommand({ QueueName: 'kit-probe' }))).QueueUrl!;
    const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl: probeQueue, MessageBody: 'probe' }));
    await cluster.expectReplicated(MessageId!, { on: 'all', timeoutMs: 0 });
    await cluster.expectAckModeHolds({ ackMode: 'majority' });
    // Every node sees the active node's state, which holds all the database does once it settled.
    await cluster.waitForConvergence({ timeoutMs: 10_000 });
    expect((await cluster.replicationLag()).map((line) => line.lag)).toEqual([0, 0, 0]);
    const through = cluster.node(active).sqsClient();
    // A send answered 503 may still have landed and been sent again: duplicates are allowed
    // (at-least-once, as with SQS), a missing acknowledged message is not.
    const bodies = new Set<string>();
    for (let round = 0; round < 5 && bodies.size < 3; round++) {
      const answer = await through.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 600, WaitTimeSeconds: 1 }));
      for (const message of answer.Messages ?? []) bodies.add(message.Body!);
    }
    expect(bodies).toEqual(new Set(['before', 'after-cut', 'after-restart']));
  });

  it('refuses withStorage(), which it would contradict', async () => {
    await expect(new ReplimqCluster(1).withSharedPostgres().withStorage('sqlite').start()).rejects.toThrow(/drop withStorage/);
  });
});
