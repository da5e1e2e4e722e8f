/**
 * A FIFO group gives a receive its visible prefix: the messages from the front of the group up to
 * the first one still in flight (or delayed). Recorded against real SQS (LocalStack's
 * AWS-validated tests `test_fifo_message_group_visibility_after_terminate_visibility_timeout`,
 * `…_after_change_message_visibility`, `test_fifo_group_visibility_extends_with_change_message_visibility`
 * and `test_fifo_receive_message_with_zero_visibility_timeout`).
 */
import { describe, expect, it } from 'vitest';
import { Harness } from './harness.js';

const Q = 'q.fifo';

function setUp(visibilityTimeout: number): Harness {
  const h = new Harness();
  h.createQueue(Q, { FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: String(visibilityTimeout) });
  return h;
}

function sendAll(h: Harness, messages: [body: string, group: string][]): void {
  for (const [body, group] of messages) h.send(Q, body, { MessageGroupId: group });
}

const bodies = (messages: { Body?: string }[]) => messages.map((m) => m.Body);

function changeVisibility(h: Harness, handle: string | undefined, seconds: number): void {
  h.apply('ChangeMessageVisibility', { QueueUrl: h.url(Q), ReceiptHandle: handle as string, VisibilityTimeout: seconds });
}

describe('FIFO group visible prefix', () => {
  it('returns a message made visible again while a later one of its group is still in flight', () => {
    const h = setUp(30);
    sendAll(h, [['g1-m1', 'g1'], ['g1-m2', 'g1'], ['g2-m1', 'g2']]);
    const first = h.receive(Q, { MaxNumberOfMessages: 2 });
    expect(bodies(first)).toEqual(['g1-m1', 'g1-m2']);
    changeVisibility(h, first[0]?.ReceiptHandle, 0);
    // g2-m1 waited since it was sent; g1-m1 only came back now: SQS serves g2 first.
    expect(bodies(h.receive(Q, { MaxNumberOfMessages: 3 }))).toEqual(['g2-m1', 'g1-m1']);
  });

  it('does the same when the first message’s shortened timeout ends before the second’s', () => {
    const h = setUp(30);
    sendAll(h, [['g1-m1', 'g1'], ['g1-m2', 'g1'], ['g2-m1', 'g2']]);
    const first = h.receive(Q, { MaxNumberOfMessages: 2 });
    changeVisibility(h, first[0]?.ReceiptHandle, 1);
    h.advance(2_000);
    expect(bodies(h.receive(Q, { MaxNumberOfMessages: 3 }))).toEqual(['g2-m1', 'g1-m1']);
  });

  it.each([
    [0, []],
    [1, ['foo']],
    [2, ['foo', 'bar']],
  ])('stops at the message whose timeout was extended (position %i)', (position, expected) => {
    const h = setUp(1);
    sendAll(h, [['foo', '1'], ['bar', '1'], ['baz', '1']]);
    const all = h.receive(Q, { MaxNumberOfMessages: 5 });
    expect(bodies(all)).toEqual(['foo', 'bar', 'baz']);
    changeVisibility(h, all[position]?.ReceiptHandle, 4);
    h.advance(2_500);
    expect(bodies(h.receive(Q, { MaxNumberOfMessages: 5 }))).toEqual(expected);
  });

  it('gives nothing of a group whose first message is in flight, even when later ones are visible', () => {
    const h = setUp(30);
    sendAll(h, [['a1', 'a'], ['a2', 'a'], ['a3', 'a']]);
    const all = h.receive(Q, { MaxNumberOfMessages: 3 });
    changeVisibility(h, all[1]?.ReceiptHandle, 0);
    changeVisibility(h, all[2]?.ReceiptHandle, 0);
    expect(h.receive(Q, { MaxNumberOfMessages: 10 })).toEqual([]);
    h.apply('DeleteMessage', { QueueUrl: h.url(Q), ReceiptHandle: all[0]?.ReceiptHandle as string });
    expect(bodies(h.receive(Q, { MaxNumberOfMessages: 10 }))).toEqual(['a2', 'a3']);
  });

  it('serves groups by when their first message became visible, then by sequence', () => {
    const h = setUp(30);
    sendAll(h, [['g1-m1', 'g1'], ['g2-m1', 'g2'], ['g2-m2', 'g2'], ['g3-m1', 'g3'], ['g1-m2', 'g1']]);
    expect(bodies(h.receive(Q, { MaxNumberOfMessages: 3, VisibilityTimeout: 0 }))).toEqual(['g1-m1', 'g1-m2', 'g2-m1']);
    expect(bodies(h.receive(Q, { MaxNumberOfMessages: 10, VisibilityTimeout: 0 }))).toEqual(['g3-m1', 'g1-m1', 'g1-m2', 'g2-m1', 'g2-m2']);
  });

  it('keeps that order in an engine rebuilt from its records', () => {
    const h = setUp(30);
    sendAll(h, [['g1-m1', 'g1'], ['g1-m2', 'g1'], ['g2-m1', 'g2'], ['g3-m1', 'g3']]);
    const first = h.receive(Q, { MaxNumberOfMessages: 2 });
    changeVisibility(h, first[0]?.ReceiptHandle, 0);
    const copy = new Harness();
    copy.engine.importRecords(h.engine.exportRecords());
    copy.now = h.now;
    const order = (x: Harness) => bodies(x.receive(Q, { MaxNumberOfMessages: 10 }));
    expect(order(copy)).toEqual(['g2-m1', 'g3-m1', 'g1-m1']);
    expect(order(h)).toEqual(['g2-m1', 'g3-m1', 'g1-m1']);
  });
});
