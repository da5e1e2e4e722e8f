/**
 * A follower that was down while the leader's log moved past what it retains catches up by a
 * snapshot: the leader's whole state, streamed in several chunks over `InstallSnapshot`.
 */
import { CreateQueueCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalCluster } from './local-cluster.js';

describe('snapshot catch-up', () => {
  let cluster: LocalCluster | undefined;
  let sqs: SQSClient | undefined;

  afterAll(async () => {
    sqs?.destroy();
    await cluster?.stop();
  });

  it('a follower behind the retained log installs the leader’s state in chunks', { timeout: 90_000 }, async () => {
    cluster = await LocalCluster.start({ size: 3, env: { REPLIMQ_RAFT_RETAINED_ENTRIES: '20' } });
    const leader = await cluster.leader();
    const [follower] = await cluster.followers();
    sqs = leader.sqs();
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'bulk' }))).QueueUrl!;
    await follower!.kill();

    // 1500 messages (more than one 1000-record chunk) in 150 entries (far more than 20 retained).
    for (let batch = 0; batch < 150; batch++) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Array.from({ length: 10 }, (_, at) => ({ Id: `e${at}`, MessageBody: `message ${batch}-${at}` })),
        }),
      );
    }
    await cluster.restart(follower!);
    const digests = await cluster.waitForConvergence(30_000);

    expect(digests.find((digest) => digest.nodeId === follower!.id)?.records).toBeGreaterThan(1500);
    expect(follower!.log.some((line) => line.includes('installed snapshot'))).toBe(true);
    expect(leader.log.some((line) => line.includes('sending snapshot') && line.includes(`peer=${follower!.id}`))).toBe(true);
  });
});
