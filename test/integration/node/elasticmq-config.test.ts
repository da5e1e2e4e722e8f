/**
 * An ElasticMQ user's `elasticmq.conf`, given to the replimq command as it is: the queues it
 * declares exist with their attributes, dead-letter link and tags, in both protocols.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSdkClient, type Flavour } from '../../support/sdk-clients.js';
import { runCli, startNodeProcess, type NodeProcess } from '../../support/start-node.js';

const ELASTICMQ_CONF = `
include classpath("application.conf")

node-address {
  protocol = http
  host = localhost
  port = 9324
  context-path = ""
}

rest-sqs {
  enabled = true
  bind-port = 0
  bind-hostname = "127.0.0.1"
  sqs-limits = strict
}

generate-node-address = true

queues {
  orders {
    defaultVisibilityTimeout = 10 seconds
    delay = 5 seconds
    receiveMessageWait = 1 second
    deadLettersQueue {
      name = "orders-dead-letters"
      maxReceiveCount = 3 // from 1 to 1000
    }
    fifo = false
    contentBasedDeduplication = false
    tags {
      team = "billing"
    }
  }
  orders-dead-letters { }
  "jobs.fifo" {
    fifo = true
    contentBasedDeduplication = true
  }
}
`;

describe('an ElasticMQ config file given to replimq as it is', () => {
  let dir: string;
  let node: NodeProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'replimq-elasticmq-'));
    writeFileSync(join(dir, 'elasticmq.conf'), ELASTICMQ_CONF);
    node = await startNodeProcess(['--config', join(dir, 'elasticmq.conf')]);
  });

  afterAll(async () => {
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const flavour of ['json', 'query'] as Flavour[]) {
    it(`creates its queues with their attributes, dead-letter link and tags (${flavour})`, async () => {
      const sqs = createSdkClient(flavour, () => node.sqsEndpoint);
      const { QueueUrls } = await sqs.listQueues({});
      expect((QueueUrls ?? []).map((url) => url.split('/').pop()).sort()).toEqual(['jobs.fifo', 'orders', 'orders-dead-letters']);
      const { QueueUrl } = await sqs.getQueueUrl({ QueueName: 'orders' });
      const { Attributes } = await sqs.getQueueAttributes({ QueueUrl, AttributeNames: ['All'] });
      expect(Attributes).toMatchObject({ VisibilityTimeout: '10', DelaySeconds: '5', ReceiveMessageWaitTimeSeconds: '1' });
      expect(JSON.parse(Attributes!['RedrivePolicy']!)).toEqual({
        deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:orders-dead-letters',
        maxReceiveCount: 3,
      });
      expect((await sqs.listQueueTags({ QueueUrl })).Tags).toEqual({ team: 'billing' });
      const fifo = await sqs.getQueueUrl({ QueueName: 'jobs.fifo' });
      const fifoAttributes = await sqs.getQueueAttributes({ QueueUrl: fifo.QueueUrl, AttributeNames: ['FifoQueue', 'ContentBasedDeduplication'] });
      expect(fifoAttributes.Attributes).toEqual({ FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    });
  }

  it('refuses a setting it cannot honour with one line naming it, exit code 2', async () => {
    const path = join(dir, 'copy.conf');
    writeFileSync(path, 'queues { orders { copyTo = "audit" } }\n');
    const result = await runCli(['--config', path]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining('ElasticMQ setting "queues.orders.copyTo" is not supported')]);
  });
});
