import { describe, expect, it } from 'vitest';
import { Harness, expectRejectedUnchanged } from './harness.js';

describe('send, receive, delete', () => {
  it('delivers a sent message once, hides it while in flight and deletes it by handle', () => {
    const h = new Harness();
    h.createQueue('q');
    const sent = h.send('q', 'hello');
    expect(sent.MD5OfMessageBody).toBe('5d41402abc4b2a76b9719d911017c592');
    const [message] = h.receive('q');
    expect(message?.MessageId).toBe(sent.MessageId);
    expect(message?.Body).toBe('hello');
    expect(h.receive('q')).toEqual([]);
    expect(h.counts('q')).toEqual([0, 1, 0]);
    h.apply('DeleteMessage', { QueueUrl: h.url('q'), ReceiptHandle: message?.ReceiptHandle as string });
    expect(h.counts('q')).toEqual([0, 0, 0]);
    h.advance(60_000);
    expect(h.receive('q')).toEqual([]);
  });

  it('returns a message again after its visibility timeout, with a new receipt handle', () => {
    const h = new Harness();
    h.createQueue('q', { VisibilityTimeout: '10' });
    h.send('q', 'a');
    const first = h.receive('q', { AttributeNames: ['ApproximateReceiveCount'] })[0];
    h.advance(9_999);
    expect(h.receive('q')).toEqual([]);
    h.advance(1);
    const second = h.receive('q', { AttributeNames: ['ApproximateReceiveCount'] })[0];
    expect(second?.MessageId).toBe(first?.MessageId);
    expect(second?.ReceiptHandle).not.toBe(first?.ReceiptHandle);
    expect(second?.Attributes?.ApproximateReceiveCount).toBe('2');
  });

  it('receives in send order and at most MaxNumberOfMessages', () => {
    const h = new Harness();
    h.createQueue('q');
    for (let i = 0; i < 15; i++) h.send('q', `m${i}`);
    const bodies = h.receive('q', { MaxNumberOfMessages: 10 }).map((m) => m.Body);
    expect(bodies).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
    expect(h.receive('q', { MaxNumberOfMessages: 10 }).map((m) => m.Body)).toEqual(['m10', 'm11', 'm12', 'm13', 'm14']);
  });

  it('rejects a send to a missing queue without changing anything', () => {
    const h = new Harness();
    h.createQueue('q');
    expectRejectedUnchanged(h, () => h.send('nope', 'x'), 'QueueDoesNotExist');
  });

  it('draws one random value per receive, however many messages it returns, and each handle stays its own', () => {
    const h = new Harness();
    h.createQueue('q', { VisibilityTimeout: '10' });
    for (let i = 0; i < 3; i++) h.send('q', `m${i}`);
    expect(h.engine.randomValuesNeeded('ReceiveMessage', { QueueUrl: h.url('q'), MaxNumberOfMessages: 10 })).toBe(1);
    const first = h.receive('q', { MaxNumberOfMessages: 10 });
    expect(new Set(first.map((m) => m.ReceiptHandle)).size).toBe(3);
    h.advance(10_000);
    const again = h.receive('q', { MaxNumberOfMessages: 1 });
    // Each handle of the shared nonce still names its own message: deleting one of the first
    // receive's handles removes exactly that message (on a standard queue an older handle of a
    // message received again still deletes it, as SQS documents).
    expect(again[0]?.ReceiptHandle).not.toBe(first.find((m) => m.MessageId === again[0]?.MessageId)?.ReceiptHandle);
    const other = first.find((m) => m.MessageId !== again[0]?.MessageId);
    h.apply('DeleteMessage', { QueueUrl: h.url('q'), ReceiptHandle: other?.ReceiptHandle as string });
    expect(h.counts('q')).toEqual([1, 1, 0]);
    h.apply('DeleteMessage', { QueueUrl: h.url('q'), ReceiptHandle: again[0]?.ReceiptHandle as string });
    expect(h.counts('q')).toEqual([1, 0, 0]);
    h.apply('DeleteMessageBatch', {
      QueueUrl: h.url('q'),
      Entries: first.map((m, i) => ({ Id: `e${i}`, ReceiptHandle: m.ReceiptHandle as string })),
    });
    expect(h.counts('q')).toEqual([0, 0, 0]);
  });
});
