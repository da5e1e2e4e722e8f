import { describe, expect, it } from 'vitest';
import { Harness, expectSqsError } from './harness.js';
import { PEEK_RECEIPT_HANDLE } from '../../../server/src/engine/handlers/peek-handlers.js';

function setUp(attributes: Record<string, string> = {}): Harness {
  const h = new Harness(true);
  h.createQueue('q', { VisibilityTimeout: '30', ...attributes });
  return h;
}

const bodies = (messages: { Body: string }[] | undefined): string[] => (messages ?? []).map((message) => message.Body);

describe('PeekMessages', () => {
  it('shows visible messages with every attribute and changes nothing', () => {
    const h = setUp();
    h.send('q', 'one', { MessageAttributes: { colour: { DataType: 'String', StringValue: 'red' } } });
    h.send('q', 'two');
    h.engine.takeChanges();
    const before = h.records();
    const { Messages } = h.read('PeekMessages', { QueueUrl: h.url('q') });
    expect(bodies(Messages)).toEqual(['one', 'two']);
    expect(Messages?.[0]).toMatchObject({
      ReceiptHandle: PEEK_RECEIPT_HANDLE,
      MessageAttributes: { colour: { DataType: 'String', StringValue: 'red' } },
      Attributes: { SenderId: 'AIDTEST', ApproximateReceiveCount: '0', ApproximateFirstReceiveTimestamp: '0' },
    });
    expect(Messages?.[0]?.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
    // A peek is a read: no record, no counter, no visibility moved.
    expect(h.engine.takeChanges().size).toBe(0);
    expect(h.records()).toEqual(before);
    expect(h.counts('q')).toEqual([2, 0, 0]);
    expect(bodies(h.receive('q', { MaxNumberOfMessages: 10, AttributeNames: ['ApproximateReceiveCount'] }))).toEqual(['one', 'two']);
  });

  it('shows in-flight messages only with ShowInvisible, and delayed ones only with ShowDelayed', () => {
    const h = setUp();
    h.send('q', 'received');
    h.receive('q');
    h.send('q', 'visible');
    h.send('q', 'delayed', { DelaySeconds: 60 });
    const peek = (ShowInvisible?: boolean, ShowDelayed?: boolean) =>
      h.read('PeekMessages', { QueueUrl: h.url('q'), ...(ShowInvisible === undefined ? {} : { ShowInvisible }), ...(ShowDelayed === undefined ? {} : { ShowDelayed }) }).Messages;

    expect(bodies(peek())).toEqual(['visible']);
    expect(peek()?.[0]?.Attributes).not.toHaveProperty('IsVisible');
    expect(bodies(peek(true))).toEqual(['received', 'visible']);
    expect(bodies(peek(false, true))).toEqual(['visible', 'delayed']);
    const all = peek(true, true) ?? [];
    expect(all.map((m) => [m.Body, m.Attributes?.IsVisible, m.Attributes?.IsDelayed, m.Attributes?.ApproximateReceiveCount])).toEqual([
      ['received', 'false', 'false', '1'],
      ['visible', 'true', 'false', '0'],
      ['delayed', 'false', 'true', '0'],
    ]);

    // Once the timeout and the delay end, both are visible (a read never promotes; it looks at the clock).
    h.advance(60_000);
    expect(bodies(peek())).toEqual(['received', 'visible', 'delayed']);
  });

  it('shows FIFO system attributes and leaves the group unblocked', () => {
    const h = new Harness();
    h.createQueue('q.fifo', { FifoQueue: 'true' });
    h.send('q.fifo', 'a', { MessageGroupId: 'g', MessageDeduplicationId: 'd1' });
    const [peeked] = h.read('PeekMessages', { QueueUrl: h.url('q.fifo') }).Messages ?? [];
    expect(peeked?.Attributes).toMatchObject({ MessageGroupId: 'g', MessageDeduplicationId: 'd1', SequenceNumber: expect.stringMatching(/^\d+$/) });
    expect(bodies(h.receive('q.fifo'))).toEqual(['a']);
  });

  it('answers an empty queue with no list, and an unknown queue with QueueDoesNotExist', () => {
    const h = setUp();
    expect(h.read('PeekMessages', { QueueUrl: h.url('q') })).toEqual({});
    expectSqsError(() => h.read('PeekMessages', { QueueUrl: h.url('missing') }), 'QueueDoesNotExist');
  });

  it('stops at MaxNumberOfMessages, the first sent, and refuses a bound that is not a positive integer', () => {
    const h = setUp();
    for (const body of ['a', 'b', 'c']) h.send('q', body);
    expect(bodies(h.read('PeekMessages', { QueueUrl: h.url('q'), MaxNumberOfMessages: 2 }).Messages)).toEqual(['a', 'b']);
    for (const bad of [0, -1, 1.5]) expectSqsError(() => h.read('PeekMessages', { QueueUrl: h.url('q'), MaxNumberOfMessages: bad }), 'InvalidParameterValue');
  });

  it('leaves out messages past their retention period', () => {
    const h = setUp({ MessageRetentionPeriod: '60' });
    h.send('q', 'old');
    h.advance(60_000);
    expect(h.read('PeekMessages', { QueueUrl: h.url('q') })).toEqual({});
  });
});

describe('DeleteMessageById', () => {
  it('deletes a message never received, one in flight and one delayed; a second delete is a no-op', () => {
    const h = setUp();
    const inFlight = h.send('q', 'in flight').MessageId;
    expect(bodies(h.receive('q'))).toEqual(['in flight']);
    const waiting = h.send('q', 'waiting').MessageId;
    const delayed = h.send('q', 'delayed', { DelaySeconds: 30 }).MessageId;
    h.send('q', 'kept');

    for (const id of [waiting, inFlight, delayed]) h.apply('DeleteMessageById', { QueueUrl: h.url('q'), MessageId: id });
    h.apply('DeleteMessageById', { QueueUrl: h.url('q'), MessageId: waiting });
    expect(bodies(h.read('PeekMessages', { QueueUrl: h.url('q'), ShowInvisible: true, ShowDelayed: true }).Messages)).toEqual(['kept']);
    expect(h.counts('q')).toEqual([1, 0, 0]);
  });

  it('refuses an unknown queue', () => {
    const h = setUp();
    expectSqsError(() => h.apply('DeleteMessageById', { QueueUrl: h.url('missing'), MessageId: 'x' }), 'QueueDoesNotExist');
  });
});
