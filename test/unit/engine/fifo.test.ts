import { describe, expect, it } from 'vitest';
import type { ActionInput } from '../../../server/src/engine/actions.js';
import { Harness, expectRejectedUnchanged } from './harness.js';

const Q = 'q.fifo';

function setUp(attributes: Record<string, string> = {}): Harness {
  const h = new Harness();
  h.createQueue(Q, { FifoQueue: 'true', ...attributes });
  return h;
}

function send(h: Harness, body: string, group: string, extra: Partial<ActionInput<'SendMessage'>> = {}) {
  return h.send(Q, body, { MessageGroupId: group, MessageDeduplicationId: body, ...extra });
}

describe('FIFO queues', () => {
  it('requires MessageGroupId and a way to deduplicate', () => {
    const h = setUp();
    const missingGroup = expectRejectedUnchanged(h, () => h.send(Q, 'x', { MessageDeduplicationId: 'd' }), 'MissingParameter');
    expect(missingGroup.message).toBe('The request must contain the parameter MessageGroupId.');
    const missingDedup = expectRejectedUnchanged(h, () => h.send(Q, 'x', { MessageGroupId: 'g' }), 'InvalidParameterValue');
    expect(missingDedup.message).toBe('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
    const delayed = expectRejectedUnchanged(h, () => send(h, 'x', 'g', { DelaySeconds: 2 }), 'InvalidParameterValue');
    expect(delayed.message).toBe('Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.');
    expectRejectedUnchanged(h, () => send(h, 'x', 'g'.repeat(129)), 'InvalidParameterValue');
    expectRejectedUnchanged(h, () => send(h, 'x', 'g', { MessageDeduplicationId: 'bad id' }), 'InvalidParameterValue');
  });

  it('rejects a whole batch when an entry lacks its group id', () => {
    const h = setUp();
    expectRejectedUnchanged(h, () => h.apply('SendMessageBatch', {
      QueueUrl: h.url(Q), Entries: [{ Id: 'a', MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'a' }, { Id: 'b', MessageBody: 'y', MessageDeduplicationId: 'b' }],
    }), 'InvalidParameterValue');
  });

  it('assigns increasing 20-digit sequence numbers', () => {
    const h = setUp();
    const first = send(h, 'a', 'g').SequenceNumber as string;
    const second = send(h, 'b', 'other').SequenceNumber as string;
    expect(first).toMatch(/^\d{20}$/);
    expect(BigInt(second) > BigInt(first)).toBe(true);
    const [received] = h.receive(Q, { MessageSystemAttributeNames: ['All'] });
    expect(received?.Attributes).toMatchObject({ SequenceNumber: first, MessageGroupId: 'g', MessageDeduplicationId: 'a' });
  });

  it('keeps order within a group and blocks the group while a message is in flight', () => {
    const h = setUp({ VisibilityTimeout: '30' });
    for (const body of ['g1-1', 'g1-2', 'g1-3']) send(h, body, 'g1');
    send(h, 'g2-1', 'g2');
    expect(h.receive(Q).map((m) => m.Body)).toEqual(['g1-1']);
    expect(h.receive(Q).map((m) => m.Body)).toEqual(['g2-1']);
    expect(h.receive(Q)).toEqual([]);
    h.advance(30_000);
    const again = h.receive(Q, { MaxNumberOfMessages: 10 });
    expect(again.map((m) => m.Body)).toEqual(['g1-1', 'g1-2', 'g1-3', 'g2-1']);
  });

  it('returns as many messages of one group together as possible, then other groups', () => {
    const h = setUp();
    send(h, 'a1', 'a');
    send(h, 'b1', 'b');
    send(h, 'a2', 'a');
    send(h, 'b2', 'b');
    expect(h.receive(Q, { MaxNumberOfMessages: 3 }).map((m) => m.Body)).toEqual(['a1', 'a2', 'b1']);
  });

  it('unblocks a group when its in-flight messages are deleted', () => {
    const h = setUp();
    send(h, 'a1', 'a');
    send(h, 'a2', 'a');
    const [first] = h.receive(Q);
    expect(h.receive(Q)).toEqual([]);
    h.apply('DeleteMessage', { QueueUrl: h.url(Q), ReceiptHandle: first?.ReceiptHandle as string });
    expect(h.receive(Q).map((m) => m.Body)).toEqual(['a2']);
  });

  it('refuses to delete with a handle whose visibility timeout has ended', () => {
    const h = setUp({ VisibilityTimeout: '10' });
    send(h, 'a1', 'a');
    const [first] = h.receive(Q);
    h.advance(10_000);
    const error = expectRejectedUnchanged(h, () => h.apply('DeleteMessage', { QueueUrl: h.url(Q), ReceiptHandle: first?.ReceiptHandle as string }), 'InvalidParameterValue');
    expect(error.message).toContain('Reason: The receipt handle has expired.');
  });

  it('deduplicates within five minutes, answering the original MessageId', () => {
    const h = setUp();
    const original = send(h, 'body', 'g', { MessageDeduplicationId: 'd1' });
    h.advance(299_999);
    const duplicate = send(h, 'other body', 'g', { MessageDeduplicationId: 'd1' });
    expect(duplicate.MessageId).toBe(original.MessageId);
    expect(duplicate.SequenceNumber).toBe(original.SequenceNumber);
    expect(h.counts(Q)[0]).toBe(1);
    h.advance(1);
    const fresh = send(h, 'body', 'g', { MessageDeduplicationId: 'd1' });
    expect(fresh.MessageId).not.toBe(original.MessageId);
    expect(h.counts(Q)[0]).toBe(2);
  });

  it('deduplicates after the message was already received and deleted', () => {
    const h = setUp();
    send(h, 'body', 'g');
    const [message] = h.receive(Q);
    h.apply('DeleteMessage', { QueueUrl: h.url(Q), ReceiptHandle: message?.ReceiptHandle as string });
    send(h, 'body', 'g');
    expect(h.receive(Q)).toEqual([]);
  });

  it('deduplicates by body hash with ContentBasedDeduplication', () => {
    const h = setUp({ ContentBasedDeduplication: 'true' });
    const a = h.send(Q, 'same', { MessageGroupId: 'g' });
    const b = h.send(Q, 'same', { MessageGroupId: 'h' });
    const c = h.send(Q, 'different', { MessageGroupId: 'g' });
    expect(b.MessageId).toBe(a.MessageId);
    expect(c.MessageId).not.toBe(a.MessageId);
    const [received] = h.receive(Q, { AttributeNames: ['MessageDeduplicationId'] });
    expect(received?.Attributes?.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('scopes deduplication to the message group when asked', () => {
    const h = setUp({ DeduplicationScope: 'messageGroup' });
    const a = send(h, 'x', 'g1', { MessageDeduplicationId: 'd' });
    const b = send(h, 'x', 'g2', { MessageDeduplicationId: 'd' });
    const c = send(h, 'x', 'g1', { MessageDeduplicationId: 'd' });
    expect(b.MessageId).not.toBe(a.MessageId);
    expect(c.MessageId).toBe(a.MessageId);
  });

  it('Housekeeping forgets deduplication ids after the window', () => {
    const h = setUp();
    send(h, 'x', 'g');
    expect(h.records().has('d/us-east-1:000000000000:q.fifo/x')).toBe(true);
    h.advance(300_000);
    expect(h.engine.housekeepingDue(h.now)).toBe(true);
    h.apply('Housekeeping', { kind: 'housekeeping' });
    expect(h.records().has('d/us-east-1:000000000000:q.fifo/x')).toBe(false);
  });

  it('replays a receive with the same ReceiveRequestAttemptId', () => {
    const h = setUp({ VisibilityTimeout: '30' });
    send(h, 'a1', 'a');
    send(h, 'a2', 'a');
    const first = h.receive(Q, { MaxNumberOfMessages: 2, ReceiveRequestAttemptId: 'attempt-1' });
    h.advance(10_000);
    const retry = h.receive(Q, { MaxNumberOfMessages: 2, ReceiveRequestAttemptId: 'attempt-1' });
    expect(retry).toEqual(first);
    // the retry restarted the visibility timeout
    h.advance(25_000);
    expect(h.receive(Q)).toEqual([]);
    h.advance(5_000);
    const other = h.receive(Q, { ReceiveRequestAttemptId: 'attempt-2' });
    expect(other.map((m) => m.Body)).toEqual(['a1']);
    expect(other[0]?.ReceiptHandle).not.toBe(first[0]?.ReceiptHandle);
  });

  it('keeps a delayed queue delay in group order', () => {
    const h = setUp({ DelaySeconds: '5' });
    send(h, 'a1', 'a');
    expect(h.counts(Q)).toEqual([0, 0, 1]);
    expect(h.receive(Q)).toEqual([]);
    h.advance(5_000);
    expect(h.receive(Q).map((m) => m.Body)).toEqual(['a1']);
  });

  it('applies a changed queue delay to messages not yet received, retroactively', () => {
    // Developer Guide, delay queues: "For FIFO queues, the per-queue delay setting is retroactive
    // - changing the setting affects the delay of messages already in the queue."
    const h = setUp({ DelaySeconds: '60' });
    send(h, 'a1', 'a');
    h.advance(10_000);
    send(h, 'b1', 'b');
    h.apply('SetQueueAttributes', { QueueUrl: h.url(Q), Attributes: { DelaySeconds: '20' } });
    expect(h.counts(Q)).toEqual([0, 0, 2]);
    h.advance(10_000);
    const receiveAndDelete = () => h.receive(Q, { MaxNumberOfMessages: 10 }).map((m) => {
      h.apply('DeleteMessage', { QueueUrl: h.url(Q), ReceiptHandle: m.ReceiptHandle as string });
      return m.Body;
    });
    expect(receiveAndDelete()).toEqual(['a1']);
    expect(h.counts(Q)).toEqual([0, 0, 1]);
    h.apply('SetQueueAttributes', { QueueUrl: h.url(Q), Attributes: { DelaySeconds: '0' } });
    expect(receiveAndDelete()).toEqual(['b1']);
    send(h, 'c1', 'c');
    h.apply('SetQueueAttributes', { QueueUrl: h.url(Q), Attributes: { DelaySeconds: '30' } });
    expect(h.counts(Q)).toEqual([0, 0, 1]);
    expect(h.receive(Q)).toEqual([]);
    h.advance(30_000);
    expect(h.receive(Q).map((m) => m.Body)).toEqual(['c1']);
  });

  it('leaves messages already received alone when the queue delay changes', () => {
    const h = setUp();
    send(h, 'a1', 'a');
    const [first] = h.receive(Q);
    h.apply('ChangeMessageVisibility', { QueueUrl: h.url(Q), ReceiptHandle: first?.ReceiptHandle as string, VisibilityTimeout: 0 });
    h.apply('SetQueueAttributes', { QueueUrl: h.url(Q), Attributes: { DelaySeconds: '30' } });
    expect(h.receive(Q).map((m) => m.Body)).toEqual(['a1']);
  });

  it('gives the ChangeMessageVisibility 0 message back to its group first', () => {
    const h = setUp();
    send(h, 'a1', 'a');
    send(h, 'a2', 'a');
    const [first] = h.receive(Q);
    h.apply('ChangeMessageVisibility', { QueueUrl: h.url(Q), ReceiptHandle: first?.ReceiptHandle as string, VisibilityTimeout: 0 });
    expect(h.receive(Q, { MaxNumberOfMessages: 10 }).map((m) => m.Body)).toEqual(['a1', 'a2']);
  });
});

describe('FIFO queue creation', () => {
  it('is idempotent for the same FIFO attributes and refuses a different type', () => {
    const h = setUp({ ContentBasedDeduplication: 'true' });
    expect(h.createQueue(Q, { FifoQueue: 'true', ContentBasedDeduplication: 'true' })).toBe(h.url(Q));
    const error = expectRejectedUnchanged(h, () => h.createQueue(Q, { FifoQueue: 'true', ContentBasedDeduplication: 'false' }), 'QueueNameExists');
    expect(error.message).toBe('A queue already exists with the same name and a different value for attribute ContentBasedDeduplication');
    expectRejectedUnchanged(h, () => h.createQueue(Q), 'InvalidParameterValue'); // a .fifo name needs FifoQueue=true
  });

  it('deduplicates entries of one batch against each other', () => {
    const h = setUp();
    const result = h.apply('SendMessageBatch', {
      QueueUrl: h.url(Q),
      Entries: [
        { Id: 'a', MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'same' },
        { Id: 'b', MessageBody: 'y', MessageGroupId: 'g', MessageDeduplicationId: 'same' },
      ],
    });
    expect(result.Successful[1]?.MessageId).toBe(result.Successful[0]?.MessageId);
    expect(h.counts(Q)[0]).toBe(1);
  });
});
