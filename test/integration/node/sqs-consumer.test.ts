/**
 * A popular consumer library, unchanged, against a node: bbc/sqs-consumer long-polls, handles,
 * deletes; failed messages come back after their visibility timeout and are handled again.
 */
import { describe, expect, it } from 'vitest';
import { Consumer } from 'sqs-consumer';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, type Message } from '@aws-sdk/client-sqs';

import { useNode } from './node-fixture.js';

describe('sqs-consumer end to end', () => {
  const target = useNode();

  const sendBodies = async (queueUrl: string, bodies: string[]): Promise<void> => {
    for (let start = 0; start < bodies.length; start += 10) {
      const entries = bodies.slice(start, start + 10).map((body, index) => ({ Id: `m${start + index}`, MessageBody: body }));
      const result = await target.sqs().send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      expect(result.Failed ?? []).toEqual([]);
    }
  };

  /** Runs a consumer until `done` resolves, then stops it and waits until it stopped. */
  const consumeUntil = async (consumer: Consumer, done: Promise<void>): Promise<void> => {
    const errors: Error[] = [];
    consumer.on('error', (error) => errors.push(error));
    consumer.start();
    try {
      await done;
    } finally {
      const stopped = new Promise<void>((resolve) => consumer.once('stopped', () => resolve()));
      consumer.stop({ abort: true });
      await stopped;
    }
    expect(errors).toEqual([]);
  };

  it('handles and deletes every message, in batches, with long polling', async () => {
    const { QueueUrl } = await target.sqs().send(new CreateQueueCommand({ QueueName: 'consumer-batches' }));
    const bodies = Array.from({ length: 45 }, (_, i) => `job-${i}`);
    const seen = new Set<string>();
    let allSeen!: () => void;
    const finished = new Promise<void>((resolve) => (allSeen = resolve));
    const consumer = Consumer.create({
      queueUrl: QueueUrl!,
      sqs: target.sqs(),
      batchSize: 10,
      waitTimeSeconds: 1,
      handleMessageBatch: async (messages: Message[]) => messages,
    });
    // Emitted once a handled message has been deleted.
    consumer.on('message_processed', (message: Message) => {
      seen.add(message.Body!);
      if (seen.size === bodies.length) allSeen();
    });
    const consuming = consumeUntil(consumer, finished);
    await sendBodies(QueueUrl!, bodies);
    await consuming;

    expect([...seen].sort()).toEqual([...bodies].sort());
    const { Attributes } = await target.sqs().send(new GetQueueAttributesCommand({
      QueueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }));
    expect(Attributes).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  it('gets a message back after its handler failed, and handles it on the next delivery', async () => {
    const { QueueUrl } = await target.sqs().send(new CreateQueueCommand({ QueueName: 'consumer-retry', Attributes: { VisibilityTimeout: '1' } }));
    const deliveries: string[] = [];
    let handled!: () => void;
    const finished = new Promise<void>((resolve) => (handled = resolve));
    const consumer = Consumer.create({
      queueUrl: QueueUrl!,
      sqs: target.sqs(),
      waitTimeSeconds: 1,
      messageSystemAttributeNames: ['ApproximateReceiveCount'],
      handleMessage: async (message: Message) => {
        deliveries.push(message.Attributes?.ApproximateReceiveCount ?? '?');
        if (deliveries.length === 1) throw new Error('first attempt fails');
        handled();
        return message;
      },
    });
    consumer.on('processing_error', () => undefined);
    const consuming = consumeUntil(consumer, finished);
    await sendBodies(QueueUrl!, ['retry-me']);
    await consuming;
    expect(deliveries).toEqual(['1', '2']);
  });
});
