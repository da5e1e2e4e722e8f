/**
 * Accounts and regions in a real 3-node cluster: the account and region travel in the replicated
 * command (and in requests forwarded by followers), so every node holds the same queues per
 * account and region — and a new leader, after the old one is killed, answers each from its own.
 */
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { clusterPerTest } from './cluster-per-test.js';
import type { ClusterNode } from './local-cluster.js';
import { waitFor } from './wait-for.js';

interface QueueRow {
  name: string;
  accountId: string;
  region: string;
  url: string;
  visible: number;
}

const CALLERS = [
  { label: 'us-east-1', identity: {}, url: (endpoint: string) => `${endpoint}/000000000000/orders` },
  { label: 'eu-central-1', identity: { region: 'eu-central-1' }, url: (endpoint: string) => `${endpoint}/queue/eu-central-1/000000000000/orders` },
  { label: 'account 111111111111', identity: { accessKeyId: '111111111111' }, url: (endpoint: string) => `${endpoint}/111111111111/orders` },
];

describe('accounts and regions in a cluster', () => {
  const { startCluster } = clusterPerTest();

  it('leaves every node with the same queues per account and region', { timeout: 60_000 }, async () => {
    const cluster = await startCluster({ size: 3 });
    const leader = await cluster.leader();
    const followers = await cluster.followers();
    const clients: SQSClient[] = [];
    const clientOf = (node: ClusterNode, identity: { region?: string; accessKeyId?: string }): SQSClient => {
      const made = node.sqs(identity);
      clients.push(made);
      return made;
    };
    try {
      // Each caller creates `orders` and sends through a follower: forwarded, then replicated.
      for (const [i, caller] of CALLERS.entries()) {
        const via = followers[i % followers.length]!;
        const sqs = clientOf(via, caller.identity);
        const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'orders' }));
        expect(QueueUrl).toBe(caller.url(via.sqsUrl));
        for (let n = 0; n <= i; n++) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `${caller.label} #${n}` }));
      }

      await cluster.waitForConvergence();
      for (const node of cluster.running()) {
        const { queues } = await node.admin<{ queues: QueueRow[] }>('/queues');
        const rows = queues.filter((queue) => queue.name === 'orders').map(({ accountId, region, visible }) => ({ accountId, region, visible }));
        expect(rows, node.id).toEqual([
          { accountId: '000000000000', region: 'eu-central-1', visible: 2 },
          { accountId: '000000000000', region: 'us-east-1', visible: 1 },
          { accountId: '111111111111', region: 'us-east-1', visible: 3 },
        ]);
      }

      await leader.kill();
      const next = await cluster.waitForLeader();
      for (const [i, caller] of CALLERS.entries()) {
        const sqs = clientOf(next, caller.identity);
        const bodies = await waitFor(`${caller.label}'s messages on the new leader`, async () => {
          const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: caller.url(next.sqsUrl), MaxNumberOfMessages: 10 }));
          return Messages !== undefined && Messages.length === i + 1 ? Messages.map((message) => message.Body).sort() : undefined;
        });
        expect(bodies).toEqual(Array.from({ length: i + 1 }, (_, n) => `${caller.label} #${n}`));
      }
    } finally {
      for (const made of clients) made.destroy();
    }
  });
});
