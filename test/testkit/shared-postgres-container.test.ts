/**
 * `withSharedPostgres()` on the container runtime: a PostgreSQL container on the cluster network
 * (the official image, or one made from this machine's PostgreSQL where no registry answers) and
 * three node containers on it. One group for the whole file: the active node killed mid-load, then
 * the new active's database sessions cut, then the database restarted, all under load; nothing
 * acknowledged may be lost, and no request may hang (only 503s while the group changes hands).
 */
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { getContainerRuntimeClient } from 'testcontainers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReplimqCluster } from '../../client/src/cluster.js';
import { ImageUnavailableError } from '../../client/src/errors.js';
import { ensurePostgresImage } from '../../client/src/postgres/postgres-image.js';
import { waitFor } from '../cluster/wait-for.js';
import { containerSkipReason, inCi } from './support/environment.js';
import { ensureEngineInCi, ensureImage } from './support/image.js';

/** Long enough that only a hang reaches it: a request the group cannot serve is answered 503. */
const HANG_MS = 20_000;

interface Load {
  acked: Set<string>;
  /** HTTP status (or error name, for an answer that never came) of every failed send. */
  failures: string[];
  stop(): Promise<void>;
}

/** Two senders in a loop, without SDK retries, so every 503 is seen. */
function startLoad(sqs: SQSClient, queueUrl: string): Load {
  const load: Load = { acked: new Set(), failures: [], stop: async () => {} };
  let stopped = false;
  let sequence = 0;
  const sender = async () => {
    while (!stopped) {
      const body = `m-${sequence++}`;
      try {
        await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }), { abortSignal: AbortSignal.timeout(HANG_MS) });
        load.acked.add(body);
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        load.failures.push(status ? String(status) : (error as Error).name);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
  const senders = [sender(), sender()];
  load.stop = async () => {
    stopped = true;
    await Promise.all(senders);
  };
  return load;
}

async function moreAcks(load: Load, count: number, what: string): Promise<void> {
  const target = load.acked.size + count;
  await waitFor(`${count} more acknowledged sends ${what}`, () => load.acked.size >= target || undefined, { timeoutMs: 30_000 });
}

describe.skipIf(containerSkipReason !== undefined)(`testkit: withSharedPostgres() on containers${containerSkipReason ? ` (skipped: ${containerSkipReason})` : ''}`, () => {
  beforeAll(async () => {
    await ensureEngineInCi();
    ensureImage();
  }, 300_000);

  it('the active killed mid-load, the new active cut from its database, the database restarted: nothing acknowledged lost, no hang', { timeout: 240_000 }, async ({ skip }) => {
    // Without a registry and without PostgreSQL binaries there is no image to run: skipped, saying
    // so — except in CI, where the suite must run.
    const image = await ensurePostgresImage(await getContainerRuntimeClient(), { progress: () => {} }).catch((error: unknown) => error);
    if (image instanceof ImageUnavailableError && !inCi) skip(image.message);
    await using cluster = await new ReplimqCluster(3).withRuntime('container').withSharedPostgres().start();
    expect(cluster.runtimeKind).toBe('container');
    expect(cluster.databaseUrl).toMatch(/^postgres:\/\/postgres@replimq-postgres:5432\//);
    const first = cluster.numberOf(await cluster.leader());
    expect(await cluster.node(first).admin().cluster()).toMatchObject({ mode: 'shared-db', role: 'leader' });
    const standbys = [1, 2, 3].filter((number) => number !== first);
    const sqs = cluster.node(standbys[0]!).sqsClient({ maxAttempts: 1 });
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'orders' }))).QueueUrl!;

    const load = startLoad(sqs, queueUrl);
    try {
      await moreAcks(load, 20, 'before the active node is killed');
      await cluster.kill(first);
      const successor = cluster.numberOf(await cluster.leader({ among: standbys, timeoutMs: 20_000 }));
      await moreAcks(load, 20, `once n${successor} took over`);

      // Only its database sessions: n${successor} keeps its cluster network, the group decides.
      expect(await cluster.cutDatabase(successor)).toBeGreaterThan(0);
      await moreAcks(load, 20, 'after the active node lost its database sessions');
      await cluster.restartDatabase();
      await moreAcks(load, 10, 'after the database restarted');
    } finally {
      await load.stop();
    }
    // Sends the group could not take were refused with 503 at once, never left hanging.
    expect(load.failures.filter((failure) => failure !== '503')).toEqual([]);

    await cluster.restart(first);
    await cluster.expectConverged({ timeoutMs: 30_000 });
    // The same assertions as on raft clusters, meaning "the database holds it" here.
    const through = cluster.node(first).sqsClient();
    const { MessageId } = await through.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'probe' }));
    await cluster.expectReplicated(MessageId!, { on: 'all', timeoutMs: 0 });
    await cluster.expectAckModeHolds({ ackMode: 'all' });

    // A 503 answer may still have landed: extra messages are allowed, a missing acknowledged one is not.
    const received = new Set<string>();
    for (let empty = 0; empty < 2; ) {
      const answer = await through.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }));
      const messages = answer.Messages ?? [];
      empty = messages.length === 0 ? empty + 1 : 0;
      for (const message of messages) received.add(message.Body!);
    }
    expect([...load.acked].filter((body) => !received.has(body))).toEqual([]);
    expect(received.has('probe')).toBe(true);
  });

  it('names both ways out when no image can be pulled and this machine has no PostgreSQL', async () => {
    const client = await getContainerRuntimeClient();
    const error = await ensurePostgresImage(client, { official: 'registry.invalid/postgres:none', binDir: undefined, progress: () => {} }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImageUnavailableError);
    expect((error as Error).message).toMatch(/registry\.invalid\/postgres:none .*could not be pulled.*no PostgreSQL binaries.*reach a registry.*REPLIMQ_POSTGRES_IMAGE.*apt-get install postgresql/);
  }, 60_000);
});
