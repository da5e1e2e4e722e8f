/**
 * Crashes on a real 3-node cluster: the leader SIGKILLed is replaced, clients carry on through
 * any node (receipt handles issued by the old leader included), and a restarted follower — from
 * nothing with memory storage, from its own disk with SQLite — catches up with the others.
 */
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { clusterPerTest } from './cluster-per-test.js';
import type { Storage } from './local-cluster.js';
import { waitFor } from './wait-for.js';

const { startCluster, client } = clusterPerTest();

async function depth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return Number(attributes.Attributes!.ApproximateNumberOfMessages) + Number(attributes.Attributes!.ApproximateNumberOfMessagesNotVisible);
}

describe('failover', () => {
  it('elects a new leader when the leader is killed; clients continue through any node', { timeout: 60_000 }, async () => {
    const cluster = await startCluster({ size: 3 });
    const oldLeader = await cluster.leader();
    const throughOld = client(oldLeader);
    const queueUrl = (await throughOld.send(new CreateQueueCommand({ QueueName: 'jobs' }))).QueueUrl!;
    for (const body of ['a', 'b', 'c']) await throughOld.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    const received = await throughOld.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 120 }));
    const handle = received.Messages![0]!.ReceiptHandle!;

    await oldLeader.kill();
    const survivors = cluster.running();
    const newLeader = await cluster.waitForLeader(survivors, 10_000);
    expect(newLeader.id).not.toBe(oldLeader.id);

    // Every surviving node takes requests (writes and reads) again.
    for (const node of survivors) {
      const sqs = client(node);
      await waitFor(`a send through ${node.id}`, () =>
        sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: `via-${node.id}` })).then(() => true),
      );
    }
    // The receipt handle the old leader issued still deletes its message.
    await client(survivors[0]!).send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: handle }));
    expect(await depth(client(survivors[1]!), queueUrl)).toBe(2 + survivors.length);
    await cluster.waitForConvergence();
  });

  it('a memory follower restarted while the cluster is idle catches up without any new write', { timeout: 60_000 }, async () => {
    const cluster = await startCluster({ size: 3, storage: 'memory' });
    const sqs = client(await cluster.leader());
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'idle-catch-up' }))).QueueUrl!;
    for (let at = 0; at < 3; at++) await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: `m${at}` }));
    const [follower] = await cluster.followers();
    await cluster.waitForConvergence();

    // It comes back empty, and nothing is written after: only heartbeats can tell the leader.
    await follower!.kill();
    await cluster.restart(follower!);
    const digests = await cluster.waitForConvergence();
    expect(new Set(digests.map((digest) => digest.digest)).size).toBe(1);
  });

  for (const storage of ['memory', 'sqlite'] as const satisfies readonly Storage[]) {
    it(`a follower restarted with ${storage} storage catches up`, { timeout: 60_000 }, async () => {
      const cluster = await startCluster({ size: 3, storage });
      const leader = await cluster.leader();
      const sqs = client(leader);
      const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'catch-up' }))).QueueUrl!;
      for (let at = 0; at < 10; at++) await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: `before-${at}` }));
      const [follower] = await cluster.followers();
      await cluster.waitForConvergence();

      await follower!.kill();
      for (let at = 0; at < 10; at++) await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: `while-down-${at}` }));
      await cluster.restart(follower!);
      const digests = await cluster.waitForConvergence();
      expect(digests.find((digest) => digest.nodeId === follower!.id)?.records).toBeGreaterThan(20);
      expect(await depth(client(follower!), queueUrl)).toBe(20);
      if (storage === 'sqlite') {
        // It restarted from its own file: the log says where it resumed.
        expect(follower!.log.some((line) => /raft starting .*appliedIndex=(\d+)/.test(line) && !/appliedIndex=0\b/.test(line))).toBe(true);
      }
    });
  }
});
