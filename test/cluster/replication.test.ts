/**
 * A real 3-node cluster: every kind of state change, sent through whichever node, ends up
 * identical on every node (same applied index, same state digest read from each node itself).
 */
import {
  AddPermissionCommand,
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  RemovePermissionCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  StartMessageMoveTaskCommand,
  TagQueueCommand,
  UntagQueueCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalCluster } from './local-cluster.js';
import { replicationOf, trackReplication } from './replication-headers.js';
import { waitFor } from './wait-for.js';

describe('a 3-node cluster replicates every action', () => {
  let cluster: LocalCluster;
  let clients: SQSClient[];
  /** The client of node i (mod 3): requests rotate through leader and followers alike. */
  const via = (at: number): SQSClient => clients[at % clients.length]!;

  beforeAll(async () => {
    cluster = await LocalCluster.start({ size: 3 });
    clients = cluster.nodes.map((node) => trackReplication(node.sqs()));
  });

  afterAll(async () => {
    for (const client of clients ?? []) client.destroy();
    await cluster?.stop();
  });

  it('leaves every node with the same queues and messages', { timeout: 60_000 }, async () => {
    const dlq = (await via(0).send(new CreateQueueCommand({ QueueName: 'orders-dlq' }))).QueueUrl!;
    const dlqArn = (await via(1).send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['QueueArn'] })))
      .Attributes!.QueueArn!;
    const orders = (
      await via(2).send(
        new CreateQueueCommand({
          QueueName: 'orders',
          Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) },
          tags: { team: 'a' },
        }),
      )
    ).QueueUrl!;
    const events = (
      await via(0).send(
        new CreateQueueCommand({ QueueName: 'events.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } }),
      )
    ).QueueUrl!;
    const scratch = (await via(1).send(new CreateQueueCommand({ QueueName: 'scratch' }))).QueueUrl!;

    await via(1).send(new SetQueueAttributesCommand({ QueueUrl: orders, Attributes: { VisibilityTimeout: '40' } }));
    await via(2).send(new TagQueueCommand({ QueueUrl: orders, Tags: { env: 'test' } }));
    await via(0).send(new UntagQueueCommand({ QueueUrl: orders, TagKeys: ['team'] }));
    await via(1).send(
      new AddPermissionCommand({ QueueUrl: orders, Label: 'p1', AWSAccountIds: ['000000000000'], Actions: ['SendMessage'] }),
    );
    await via(2).send(new RemovePermissionCommand({ QueueUrl: orders, Label: 'p1' }));

    const sent = await via(0).send(new SendMessageCommand({ QueueUrl: orders, MessageBody: 'm1' }));
    expect(replicationOf(sent).logIndex).toBeGreaterThan(0);
    await via(1).send(
      new SendMessageBatchCommand({
        QueueUrl: orders,
        Entries: ['m2', 'm3', 'm4'].map((body) => ({ Id: body, MessageBody: body })),
      }),
    );
    await via(2).send(new SendMessageCommand({ QueueUrl: events, MessageBody: 'e1', MessageGroupId: 'g1' }));
    await via(0).send(new SendMessageCommand({ QueueUrl: events, MessageBody: 'e2', MessageGroupId: 'g2' }));

    const received = await via(1).send(new ReceiveMessageCommand({ QueueUrl: orders, MaxNumberOfMessages: 10 }));
    const handles = new Map((received.Messages ?? []).map((message) => [message.Body!, message.ReceiptHandle!]));
    expect([...handles.keys()].sort()).toEqual(['m1', 'm2', 'm3', 'm4']);

    await via(2).send(new ChangeMessageVisibilityCommand({ QueueUrl: orders, ReceiptHandle: handles.get('m1')!, VisibilityTimeout: 60 }));
    await via(0).send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: orders,
        Entries: [{ Id: 'a', ReceiptHandle: handles.get('m2')!, VisibilityTimeout: 90 }],
      }),
    );
    await via(1).send(new DeleteMessageCommand({ QueueUrl: orders, ReceiptHandle: handles.get('m1')! }));
    await via(2).send(new DeleteMessageBatchCommand({ QueueUrl: orders, Entries: [{ Id: 'a', ReceiptHandle: handles.get('m2')! }] }));

    // m3 back to visible; received a second time it exceeds maxReceiveCount 1 and moves to the DLQ.
    await via(0).send(new ChangeMessageVisibilityCommand({ QueueUrl: orders, ReceiptHandle: handles.get('m3')!, VisibilityTimeout: 0 }));
    await via(1).send(new ReceiveMessageCommand({ QueueUrl: orders, MaxNumberOfMessages: 10 }));
    const dlqDepth = await waitFor('m3 in the dead-letter queue', async () => {
      const attributes = await via(2).send(
        new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['ApproximateNumberOfMessages'] }),
      );
      return attributes.Attributes?.ApproximateNumberOfMessages === '1' || undefined;
    });
    expect(dlqDepth).toBe(true);

    await via(0).send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
    const tasks = await via(1).send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }));
    expect(tasks.Results?.length).toBe(1);

    await via(2).send(new PurgeQueueCommand({ QueueUrl: events }));
    await via(0).send(new DeleteQueueCommand({ QueueUrl: scratch }));

    const digests = await cluster.waitForConvergence();
    expect(digests.map((digest) => digest.nodeId).sort()).toEqual(['n1', 'n2', 'n3']);
    expect(digests[0]!.records).toBeGreaterThan(3);

    // Every node is ready: leader known, caught up.
    for (const node of cluster.nodes) {
      await waitFor(`${node.id} to report healthy`, async () => (await fetch(`${node.adminUrl}/health`)).status === 200);
    }

    // Reads through any node answer from the leader's state.
    for (const at of [0, 1, 2]) {
      const listed = await via(at).send(new ListQueuesCommand({}));
      expect(listed.QueueUrls?.map((url) => url.split('/').pop()).sort()).toEqual(['events.fifo', 'orders', 'orders-dlq']);
    }
  });
});
