/**
 * A real 3-node cluster used only through a follower, with both SDKs (JSON and Query): long polls
 * parked on the leader while many sends pass beside them on the same forwarding stream, every
 * message delivered once; and a long poll whose leader is killed under it ends (an answer or
 * 503) instead of hanging, after which the follower serves again through the new leader.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSdkClient, SqsCallError, type Flavour } from '../support/sdk-clients.js';
import { LocalCluster, type ClusterNode } from './local-cluster.js';
import { waitFor } from './wait-for.js';

describe('SQS through a follower', () => {
  let cluster: LocalCluster;
  let follower: ClusterNode;

  beforeAll(async () => {
    cluster = await LocalCluster.start({ size: 3 });
    [follower] = (await cluster.followers()) as [ClusterNode];
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  for (const flavour of ['json', 'query'] as Flavour[]) {
    it(`keeps long polls parked while sends pass beside them (${flavour})`, { timeout: 60_000 }, async () => {
      const sqs = createSdkClient(flavour, () => follower.sqsUrl);
      const { QueueUrl } = await sqs.createQueue({ QueueName: `through-follower-${flavour}` });
      const polls = Array.from({ length: 4 }, () => sqs.receiveMessage({ QueueUrl, WaitTimeSeconds: 10, MaxNumberOfMessages: 10 }));
      const bodies = Array.from({ length: 40 }, (_, n) => `${flavour}-${n}`);
      const sent = await Promise.all(bodies.map((MessageBody) => sqs.sendMessage({ QueueUrl, MessageBody })));
      expect(new Set(sent.map((answer) => answer.MessageId)).size).toBe(40);
      const received = (await Promise.all(polls)).flatMap((answer) => answer.Messages ?? []);
      // The polls were woken by the sends; whatever they left is still there, once each.
      for (;;) {
        const more = (await sqs.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10 })).Messages ?? [];
        if (more.length === 0) break;
        received.push(...more);
      }
      expect(received.length).toBeGreaterThan(0);
      expect(received.map((message) => message.Body).sort()).toEqual([...bodies].sort());
    });
  }

  it('ends a long poll whose leader dies under it, then serves through the new leader', { timeout: 90_000 }, async () => {
    const sqs = createSdkClient('json', () => follower.sqsUrl);
    const { QueueUrl } = await sqs.createQueue({ QueueName: 'leader-dies' });
    const leader = await cluster.leader();
    const poll = sqs.receiveMessage({ QueueUrl, WaitTimeSeconds: 20 }).then(
      (answer) => ({ messages: answer.Messages ?? [] }),
      (error: unknown) => ({ error }),
    );
    // Parked on the leader (its waiting long polls are counted), then the leader goes.
    await waitFor('the poll to park on the leader', async () => /^replimq_long_polls_waiting\S* [1-9]/m.test(await (await fetch(`${leader.adminUrl}/metrics`)).text()));
    await leader.kill();
    const outcome = await poll;
    if ('error' in outcome) expect(outcome.error).toMatchObject({ code: 'ServiceUnavailable', status: 503 });
    else expect(outcome.messages).toEqual([]);
    await waitFor('a new leader', async () => (await cluster.leader().catch(() => undefined))?.id !== leader.id || undefined, { timeoutMs: 30_000 });
    await waitFor('a send through the follower', () => sqs.sendMessage({ QueueUrl, MessageBody: 'after' }).then(() => true, (error: unknown) => {
      if (error instanceof SqsCallError && error.status === 503) return false;
      throw error;
    }), { timeoutMs: 30_000 });
  });
});
