/**
 * FIFO queues per the developer guide: MessageGroupId required, strict order within a group, a
 * group blocked while its first message is in flight, deduplication by MessageDeduplicationId or
 * body (ContentBasedDeduplication) within the 5-minute window answering the original MessageId,
 * SequenceNumber increasing within a group, per-message DelaySeconds refused.
 */
import { expect, it } from 'vitest';
import { describeEachFlavour } from '../../support/conformance-target.js';
import {
  createQueue,
  expectNothingVisible,
  expectSqsError,
  receiveAtLeast,
  receiveOne,
} from '../../support/conformance-helpers.js';
import type { SqsTestClient } from '../../support/sdk-clients.js';

const INVALID_PARAMETER = { code: 'InvalidParameterValue', status: 400 };

function fifoQueue(sqs: SqsTestClient, label: string, attributes: Record<string, string> = {}): Promise<string> {
  return createQueue(sqs, label, { FifoQueue: 'true', ...attributes });
}

/**
 * Receives and deletes until `count` bodies arrived, in delivery order. Deleting is what unblocks
 * a FIFO group, so a short poll that answers fewer messages than available cannot stall the test.
 */
async function drain(sqs: SqsTestClient, url: string, count: number): Promise<string[]> {
  const bodies: string[] = [];
  for (let attempt = 0; attempt < 50 && bodies.length < count; attempt++) {
    const { Messages } = await sqs.receiveMessage({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 });
    for (const message of Messages ?? []) {
      bodies.push(message.Body!);
      await sqs.deleteMessage({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle });
    }
  }
  return bodies;
}

describeEachFlavour('FIFO queues', (sqs) => {
  it('requires a MessageGroupId (MissingParameter)', async () => {
    const url = await fifoQueue(sqs, 'nogroup', { ContentBasedDeduplication: 'true' });
    await expectSqsError(sqs.sendMessage({ QueueUrl: url, MessageBody: 'x' }), { code: 'MissingParameter', status: 400 });
    await expectNothingVisible(sqs, url);
  });

  it('requires a MessageDeduplicationId unless ContentBasedDeduplication is on', async () => {
    const url = await fifoQueue(sqs, 'nodedup');
    await expectSqsError(sqs.sendMessage({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g' }), INVALID_PARAMETER);
  });

  it('refuses a per-message DelaySeconds', async () => {
    const url = await fifoQueue(sqs, 'msgdelay', { ContentBasedDeduplication: 'true' });
    await expectSqsError(
      sqs.sendMessage({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g', DelaySeconds: 5 }),
      INVALID_PARAMETER,
    );
  });

  it('refuses a MessageGroupId longer than 128 characters', async () => {
    const url = await fifoQueue(sqs, 'longgroup', { ContentBasedDeduplication: 'true' });
    await expectSqsError(
      sqs.sendMessage({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g'.repeat(129) }),
      INVALID_PARAMETER,
    );
  });

  it('refuses a MessageDeduplicationId on a standard queue', async () => {
    const url = await createQueue(sqs, 'stddedup');
    await expectSqsError(
      sqs.sendMessage({ QueueUrl: url, MessageBody: 'x', MessageDeduplicationId: 'd' }),
      INVALID_PARAMETER,
    );
  });

  it('delivers a group in send order, ten at a time, with increasing SequenceNumbers', async () => {
    const url = await fifoQueue(sqs, 'order');
    const sequenceNumbers: bigint[] = [];
    for (let i = 0; i < 12; i++) {
      const sent = await sqs.sendMessage({
        QueueUrl: url,
        MessageBody: `m${i}`,
        MessageGroupId: 'group',
        MessageDeduplicationId: `d${i}`,
      });
      expect(sent.SequenceNumber).toMatch(/^\d+$/);
      sequenceNumbers.push(BigInt(sent.SequenceNumber!));
    }
    for (let i = 1; i < sequenceNumbers.length; i++) expect(sequenceNumbers[i]! > sequenceNumbers[i - 1]!).toBe(true);

    expect(await drain(sqs, url, 12)).toEqual(Array.from({ length: 12 }, (_, i) => `m${i}`));
  });

  it('blocks a group while one of its messages is in flight, other groups flow', async () => {
    const url = await fifoQueue(sqs, 'blocked', { ContentBasedDeduplication: 'true', VisibilityTimeout: '600' });
    for (const [group, body] of [['a', 'a1'], ['a', 'a2'], ['b', 'b1']] as const) {
      await sqs.sendMessage({ QueueUrl: url, MessageBody: body, MessageGroupId: group });
    }
    const first = await sqs.receiveMessage({ QueueUrl: url, MaxNumberOfMessages: 1 });
    expect(first.Messages?.map((message) => message.Body)).toEqual(['a1']);

    const next = await receiveAtLeast(sqs, url, 1);
    expect(next.map((message) => message.Body)).toEqual(['b1']);
    await expectNothingVisible(sqs, url); // a2 waits behind the in-flight a1

    await sqs.deleteMessage({ QueueUrl: url, ReceiptHandle: first.Messages![0]!.ReceiptHandle });
    expect((await receiveOne(sqs, url)).Body).toBe('a2');
  });

  it('redelivers an in-flight message before the rest of its group once visible again', async () => {
    const url = await fifoQueue(sqs, 'redeliver', { ContentBasedDeduplication: 'true', VisibilityTimeout: '600' });
    await sqs.sendMessage({ QueueUrl: url, MessageBody: 'first', MessageGroupId: 'g' });
    await sqs.sendMessage({ QueueUrl: url, MessageBody: 'second', MessageGroupId: 'g' });
    // One message only, so `second` stays behind it in the group.
    const { Messages } = await sqs.receiveMessage({ QueueUrl: url, MaxNumberOfMessages: 1 });
    expect(Messages?.map((message) => message.Body)).toEqual(['first']);
    await sqs.changeMessageVisibility({ QueueUrl: url, ReceiptHandle: Messages![0]!.ReceiptHandle, VisibilityTimeout: 0 });
    expect((await receiveOne(sqs, url)).Body).toBe('first');
  });

  it('redelivers a message whose visibility timeout lapsed before the rest of its group', async () => {
    const url = await fifoQueue(sqs, 'lapsed', { ContentBasedDeduplication: 'true', VisibilityTimeout: '1' });
    await sqs.sendMessage({ QueueUrl: url, MessageBody: 'first', MessageGroupId: 'g' });
    await sqs.sendMessage({ QueueUrl: url, MessageBody: 'second', MessageGroupId: 'g' });
    const first = await sqs.receiveMessage({ QueueUrl: url, MaxNumberOfMessages: 1 });
    expect(first.Messages?.map((message) => message.Body)).toEqual(['first']);
    expect((await receiveOne(sqs, url)).Body).toBe('first');
  });

  it('deduplicates by MessageDeduplicationId, answering the original MessageId', async () => {
    const url = await fifoQueue(sqs, 'dedupid');
    const original = await sqs.sendMessage({
      QueueUrl: url,
      MessageBody: 'one',
      MessageGroupId: 'g',
      MessageDeduplicationId: 'same',
    });
    const duplicate = await sqs.sendMessage({
      QueueUrl: url,
      MessageBody: 'a different body',
      MessageGroupId: 'g',
      MessageDeduplicationId: 'same',
    });
    expect(duplicate.MessageId).toBe(original.MessageId);
    expect(await drain(sqs, url, 1)).toEqual(['one']);
    await expectNothingVisible(sqs, url);
  });

  it('deduplicates by body with ContentBasedDeduplication', async () => {
    const url = await fifoQueue(sqs, 'dedupcontent', { ContentBasedDeduplication: 'true' });
    const original = await sqs.sendMessage({ QueueUrl: url, MessageBody: 'same body', MessageGroupId: 'g' });
    const duplicate = await sqs.sendMessage({ QueueUrl: url, MessageBody: 'same body', MessageGroupId: 'g' });
    const other = await sqs.sendMessage({ QueueUrl: url, MessageBody: 'other body', MessageGroupId: 'g' });
    expect(duplicate.MessageId).toBe(original.MessageId);
    expect(other.MessageId).not.toBe(original.MessageId);
    expect(await drain(sqs, url, 2)).toEqual(['same body', 'other body']);
    await expectNothingVisible(sqs, url);
  });

  it('a deleted message still deduplicates within the window', async () => {
    const url = await fifoQueue(sqs, 'dedupdeleted', { ContentBasedDeduplication: 'true' });
    const original = await sqs.sendMessage({ QueueUrl: url, MessageBody: 'once', MessageGroupId: 'g' });
    const message = await receiveOne(sqs, url);
    await sqs.deleteMessage({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle });
    const again = await sqs.sendMessage({ QueueUrl: url, MessageBody: 'once', MessageGroupId: 'g' });
    expect(again.MessageId).toBe(original.MessageId);
    await expectNothingVisible(sqs, url);
  });

  it('with DeduplicationScope messageGroup the same id in two groups is two messages', async () => {
    const url = await fifoQueue(sqs, 'groupscope', {
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
    });
    const inA = await sqs.sendMessage({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'a', MessageDeduplicationId: 'd' });
    const inB = await sqs.sendMessage({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'b', MessageDeduplicationId: 'd' });
    expect(inB.MessageId).not.toBe(inA.MessageId);
    expect(await receiveAtLeast(sqs, url, 2)).toHaveLength(2);
  });

  it('answers MessageGroupId, MessageDeduplicationId and SequenceNumber as system attributes', async () => {
    const url = await fifoQueue(sqs, 'sysattrs');
    const sent = await sqs.sendMessage({
      QueueUrl: url,
      MessageBody: 'x',
      MessageGroupId: 'the-group',
      MessageDeduplicationId: 'the-dedup-id',
    });
    const message = await receiveOne(sqs, url, { MessageSystemAttributeNames: ['All'] });
    expect(message.Attributes).toMatchObject({
      MessageGroupId: 'the-group',
      MessageDeduplicationId: 'the-dedup-id',
      SequenceNumber: sent.SequenceNumber,
    });
  });

  it('applies the queue DelaySeconds to every message', async () => {
    const url = await fifoQueue(sqs, 'queuedelay', { ContentBasedDeduplication: 'true', DelaySeconds: '1' });
    await sqs.sendMessage({ QueueUrl: url, MessageBody: 'later', MessageGroupId: 'g' });
    await expectNothingVisible(sqs, url);
    expect((await receiveOne(sqs, url)).Body).toBe('later');
  });

  it('sends a FIFO batch in entry order with sequence numbers', async () => {
    const url = await fifoQueue(sqs, 'batch', { ContentBasedDeduplication: 'true' });
    const { Successful, Failed } = await sqs.sendMessageBatch({
      QueueUrl: url,
      Entries: ['b0', 'b1', 'b2'].map((body, i) => ({ Id: `e${i}`, MessageBody: body, MessageGroupId: 'g' })),
    });
    expect(Failed ?? []).toEqual([]);
    expect(Successful!.every((result) => /^\d+$/.test(result.SequenceNumber ?? ''))).toBe(true);
    expect(await drain(sqs, url, 3)).toEqual(['b0', 'b1', 'b2']);
  });

  it('a receive retried with the same ReceiveRequestAttemptId answers the same messages and handles', async () => {
    const url = await fifoQueue(sqs, 'attempt', { ContentBasedDeduplication: 'true', VisibilityTimeout: '600' });
    for (const body of ['m1', 'm2']) await sqs.sendMessage({ QueueUrl: url, MessageBody: body, MessageGroupId: 'g' });
    const request = { QueueUrl: url, MaxNumberOfMessages: 1, ReceiveRequestAttemptId: 'attempt-1' };
    const first = await sqs.receiveMessage(request);
    const retried = await sqs.receiveMessage(request);
    expect(first.Messages?.map((message) => message.Body)).toEqual(['m1']);
    expect(retried.Messages?.map((message) => [message.MessageId, message.ReceiptHandle])).toEqual(
      first.Messages?.map((message) => [message.MessageId, message.ReceiptHandle]),
    );
  });
}, { concurrent: true });
