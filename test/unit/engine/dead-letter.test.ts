import { describe, expect, it } from 'vitest';
import { Harness, START, expectRejectedUnchanged } from './harness.js';

function withDlq(maxReceiveCount = 2, fifo = false): Harness {
  const h = new Harness();
  const suffix = fifo ? '.fifo' : '';
  const fifoAttributes: Record<string, string> = fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'true' } : {};
  h.createQueue(`dlq${suffix}`, fifoAttributes);
  h.createQueue(`src${suffix}`, {
    ...fifoAttributes,
    VisibilityTimeout: '10',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: h.arn(`dlq${suffix}`), maxReceiveCount }),
  });
  return h;
}

describe('dead-letter queues', () => {
  it('moves a message once its receive count would exceed maxReceiveCount', () => {
    const h = withDlq(2);
    const sent = h.send('src', 'poison', { MessageAttributes: { a: { DataType: 'String', StringValue: 'b' } } });
    expect(h.receive('src')).toHaveLength(1);
    h.advance(10_000);
    expect(h.receive('src')).toHaveLength(1);
    h.advance(10_000);
    expect(h.receive('src')).toEqual([]);
    expect(h.counts('src')).toEqual([0, 0, 0]);
    const [dead] = h.receive('dlq', { MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] });
    expect(dead?.MessageId).toBe(sent.MessageId);
    expect(dead?.Body).toBe('poison');
    expect(dead?.MessageAttributes).toEqual({ a: { DataType: 'String', StringValue: 'b' } });
    expect(dead?.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
    expect(dead?.Attributes).toMatchObject({
      DeadLetterQueueSourceArn: h.arn('src'),
      SentTimestamp: String(START),
      ApproximateReceiveCount: '3',
    });
  });

  it('does not delete a dead letter with a handle from its source queue', () => {
    const h = withDlq(1);
    h.send('src', 'poison');
    const [first] = h.receive('src', { VisibilityTimeout: 0 });
    h.receive('src');
    h.apply('DeleteMessage', { QueueUrl: h.url('dlq'), ReceiptHandle: first?.ReceiptHandle as string });
    expect(h.counts('dlq')).toEqual([1, 0, 0]);
  });

  it('delivers the next message in the same receive when one is dead-lettered', () => {
    const h = withDlq(1);
    h.send('src', 'first');
    h.receive('src', { VisibilityTimeout: 0 });
    h.send('src', 'second');
    expect(h.receive('src', { MaxNumberOfMessages: 10 }).map((m) => m.Body)).toEqual(['second']);
    expect(h.counts('dlq')[0]).toBe(1);
  });

  it('keeps the original enqueue time for standard queue retention', () => {
    const h = withDlq(1);
    h.apply('SetQueueAttributes', { QueueUrl: h.url('dlq'), Attributes: { MessageRetentionPeriod: '120' } });
    h.send('src', 'x');
    h.receive('src');
    h.advance(100_000);
    h.receive('src');
    expect(h.counts('dlq')[0]).toBe(1);
    h.advance(20_000);
    expect(h.apply('Housekeeping', { kind: 'housekeeping' }).expired).toBe(1);
  });

  it('dead-letters FIFO messages into a FIFO dead-letter queue, restarting retention', () => {
    const h = withDlq(1, true);
    h.send('src.fifo', 'x', { MessageGroupId: 'g' });
    h.receive('src.fifo');
    h.advance(10_000);
    expect(h.receive('src.fifo')).toEqual([]);
    const [dead] = h.receive('dlq.fifo', { AttributeNames: ['All'] });
    expect(dead?.Attributes).toMatchObject({ MessageGroupId: 'g', DeadLetterQueueSourceArn: h.arn('src.fifo') });
  });

  it('replaces the MessageDeduplicationId of a FIFO dead letter with its MessageId', () => {
    // Developer Guide, DLQ redrive: "When a message is moved from a FIFO queue to a FIFO DLQ, the
    // original message's deduplication ID will be replaced with the original message's ID."
    const h = withDlq(1, true);
    const sent = h.send('src.fifo', 'x', { MessageGroupId: 'g', MessageDeduplicationId: 'shared' });
    h.receive('src.fifo');
    h.advance(10_000);
    h.receive('src.fifo');
    const [dead] = h.receive('dlq.fifo', { AttributeNames: ['All'] });
    expect(dead?.MessageId).toBe(sent.MessageId);
    expect(dead?.Attributes?.MessageDeduplicationId).toBe(sent.MessageId);
  });

  it('validates redrive policies', () => {
    const h = new Harness();
    h.createQueue('dlq');
    h.createQueue('dlq.fifo', { FifoQueue: 'true' });
    h.createQueue('src');
    const set = (policy: string) => () => h.apply('SetQueueAttributes', { QueueUrl: h.url('src'), Attributes: { RedrivePolicy: policy } });
    const badArn = expectRejectedUnchanged(h, set('{"deadLetterTargetArn": "dummy", "maxReceiveCount": 42}'), 'InvalidParameterValue');
    expect(badArn.message).toBe('Value {"deadLetterTargetArn": "dummy", "maxReceiveCount": 42} for parameter RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn.');
    expectRejectedUnchanged(h, set(JSON.stringify({ deadLetterTargetArn: h.arn('missing'), maxReceiveCount: 1 })), 'InvalidParameterValue');
    expectRejectedUnchanged(h, set(JSON.stringify({ deadLetterTargetArn: h.arn('dlq'), maxReceiveCount: 0 })), 'InvalidParameterValue');
    expectRejectedUnchanged(h, set(JSON.stringify({ deadLetterTargetArn: h.arn('dlq'), maxReceiveCount: 1001 })), 'InvalidParameterValue');
    expectRejectedUnchanged(h, set(JSON.stringify({ deadLetterTargetArn: h.arn('dlq') })), 'InvalidParameterValue');
    expectRejectedUnchanged(h, set('not json'), 'InvalidParameterValue');
    const mixed = expectRejectedUnchanged(h, set(JSON.stringify({ deadLetterTargetArn: h.arn('dlq.fifo'), maxReceiveCount: 1 })), 'InvalidParameterValue');
    expect(mixed.message).toContain('Dead-letter queue must be same type of queue as the source.');
    h.apply('SetQueueAttributes', { QueueUrl: h.url('src'), Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: h.arn('dlq'), maxReceiveCount: '5' }) } });
    expect(JSON.parse(h.attributes('src', ['RedrivePolicy']).RedrivePolicy as string)).toEqual({ deadLetterTargetArn: h.arn('dlq'), maxReceiveCount: 5 });
    h.apply('SetQueueAttributes', { QueueUrl: h.url('src'), Attributes: { RedrivePolicy: '' } });
    expect(h.attributes('src', ['RedrivePolicy'])).toEqual({});
  });

  it('enforces the dead-letter queue\'s RedriveAllowPolicy', () => {
    const h = new Harness();
    h.createQueue('allowed');
    h.createQueue('denied');
    h.createQueue('dlq', { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [h.arn('allowed')] }) });
    const policy = JSON.stringify({ deadLetterTargetArn: h.arn('dlq'), maxReceiveCount: 3 });
    h.apply('SetQueueAttributes', { QueueUrl: h.url('allowed'), Attributes: { RedrivePolicy: policy } });
    expectRejectedUnchanged(h, () => h.apply('SetQueueAttributes', { QueueUrl: h.url('denied'), Attributes: { RedrivePolicy: policy } }), 'InvalidParameterValue');
    h.apply('SetQueueAttributes', { QueueUrl: h.url('dlq'), Attributes: { RedriveAllowPolicy: '{"redrivePermission":"denyAll"}' } });
    expect(h.attributes('dlq', ['RedriveAllowPolicy'])).toEqual({ RedriveAllowPolicy: '{"redrivePermission":"denyAll"}' });
    expectRejectedUnchanged(h, () => h.createQueue('new', { RedrivePolicy: policy }), 'InvalidParameterValue');
    const set = (value: string) => () => h.apply('SetQueueAttributes', { QueueUrl: h.url('dlq'), Attributes: { RedriveAllowPolicy: value } });
    expectRejectedUnchanged(h, set('{"redrivePermission":"some"}'), 'InvalidParameterValue');
    expectRejectedUnchanged(h, set('{"redrivePermission":"byQueue","sourceQueueArns":[]}'), 'InvalidParameterValue');
    expectRejectedUnchanged(h, set('{"redrivePermission":"allowAll","sourceQueueArns":["arn:aws:sqs:us-east-1:0:x"]}'), 'InvalidParameterValue');
  });

  it('lists dead-letter source queues with pagination', () => {
    const h = new Harness();
    h.createQueue('dlq');
    for (const name of ['s3', 's1', 's2']) {
      h.createQueue(name, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: h.arn('dlq'), maxReceiveCount: 1 }) });
    }
    h.createQueue('unrelated');
    expect(h.read('ListDeadLetterSourceQueues', { QueueUrl: h.url('dlq') })).toEqual({ queueUrls: [h.url('s1'), h.url('s2'), h.url('s3')] });
    const page = h.read('ListDeadLetterSourceQueues', { QueueUrl: h.url('dlq'), MaxResults: 2 });
    expect(page.queueUrls).toEqual([h.url('s1'), h.url('s2')]);
    const rest = h.read('ListDeadLetterSourceQueues', { QueueUrl: h.url('dlq'), MaxResults: 2, NextToken: page.NextToken as string });
    expect(rest).toEqual({ queueUrls: [h.url('s3')] });
    expect(h.read('ListDeadLetterSourceQueues', { QueueUrl: h.url('unrelated') })).toEqual({ queueUrls: [] });
  });
});
