/**
 * A config file creates queues at start-up with attributes, tags, FIFO settings and dead-letter
 * links given by name (in any order), and sets node settings — the ElasticMQ habit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueAttributesCommand, GetQueueUrlCommand, ListQueueTagsCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { startNodeProcess, type NodeProcess } from '../../support/start-node.js';
import { sqsClient } from './node-fixture.js';

const CONFIG = `
# The dead-letter queue is listed after the queue that points at it.
logLevel: info
accountId: "111122223333"
region: eu-central-1
queues:
  orders:
    attributes:
      VisibilityTimeout: 45
      DelaySeconds: 1
      ReceiveMessageWaitTimeSeconds: 2
    tags: { team: billing, "replimq:ack-mode": all }
    deadLetterQueue: { name: orders-dlq, maxReceiveCount: 4 }
  jobs.fifo:
    contentBasedDeduplication: true
    attributes: { FifoThroughputLimit: perMessageGroupId, DeduplicationScope: messageGroup }
  orders-dlq: {}
`;

describe('config file', () => {
  let node: NodeProcess | undefined;
  let sqs: SQSClient | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    sqs?.destroy();
    await node?.stop();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const writeConfig = (name: string, text: string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'replimq-config-'));
    dirs.push(dir);
    writeFileSync(join(dir, name), text);
    return dir;
  };

  const attributesOf = async (client: SQSClient, name: string): Promise<Record<string, string>> => {
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: name }));
    return (await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes ?? {};
  };

  it('creates its queues with attributes, tags, FIFO settings and dead-letter links at start-up', async () => {
    const dir = writeConfig('replimq.yaml', CONFIG);
    node = await startNodeProcess(['--config', join(dir, 'replimq.yaml')]);
    // The queues are the node's own region's: a client sees them when it signs for that region.
    sqs = sqsClient(node.sqsEndpoint, 'eu-central-1');

    const orders = await attributesOf(sqs, 'orders');
    expect(orders).toMatchObject({ VisibilityTimeout: '45', DelaySeconds: '1', ReceiveMessageWaitTimeSeconds: '2' });
    expect(JSON.parse(orders['RedrivePolicy']!)).toEqual({
      deadLetterTargetArn: 'arn:aws:sqs:eu-central-1:111122223333:orders-dlq',
      maxReceiveCount: 4,
    });
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'orders' }));
    expect(QueueUrl).toBe(`${node.sqsEndpoint}/111122223333/orders`);
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags).toEqual({ team: 'billing', 'replimq:ack-mode': 'all' });

    expect(await attributesOf(sqs, 'jobs.fifo')).toMatchObject({
      FifoQueue: 'true',
      ContentBasedDeduplication: 'true',
      FifoThroughputLimit: 'perMessageGroupId',
      DeduplicationScope: 'messageGroup',
    });
    expect(await attributesOf(sqs, 'orders-dlq')).toMatchObject({ QueueArn: 'arn:aws:sqs:eu-central-1:111122223333:orders-dlq' });

    const health = await fetch(`${node.adminEndpoint}/health`);
    expect(health.status).toBe(200);
  });

  it('reads JSON too, and applies the configured attributes again to queues that survived a restart', async () => {
    const dir = writeConfig('replimq.json', JSON.stringify({ storage: 'sqlite', queues: { work: { attributes: { VisibilityTimeout: 10 } } } }));
    const configPath = join(dir, 'replimq.json');
    node = await startNodeProcess(['--config', configPath, '--data-dir', dir]);
    await node.stop();

    writeFileSync(configPath, JSON.stringify({ storage: 'sqlite', queues: { work: { attributes: { VisibilityTimeout: 20 } } } }));
    node = await startNodeProcess(['--config', configPath, '--data-dir', dir]);
    sqs = sqsClient(node.sqsEndpoint);
    expect(await attributesOf(sqs, 'work')).toMatchObject({ VisibilityTimeout: '20' });
  });

  it('refuses to start when a dead-letter queue it names does not exist', async () => {
    const dir = writeConfig('replimq.yaml', 'queues:\n  a: { deadLetterQueue: missing }\n');
    await expect(startNodeProcess(['--config', join(dir, 'replimq.yaml')])).rejects.toThrow(
      /exited with code 2[\s\S]*dead-letter queue "missing" does not exist/,
    );
  });
});
