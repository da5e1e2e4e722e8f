import { describe, expect, it } from 'vitest';
import { Harness, START, expectRejectedUnchanged } from './harness.js';

function setUp(visibility = '30'): Harness {
  const h = new Harness();
  h.createQueue('q', { VisibilityTimeout: visibility });
  return h;
}

describe('visibility timeout', () => {
  it('uses the per-receive timeout over the queue default', () => {
    const h = setUp('30');
    h.send('q', 'a');
    h.receive('q', { VisibilityTimeout: 5 });
    h.advance(5_000);
    expect(h.receive('q', { VisibilityTimeout: 0 })).toHaveLength(1);
    expect(h.receive('q')).toHaveLength(1); // timeout 0: visible again at once
  });

  it('ChangeMessageVisibility extends and 0 makes the message visible now', () => {
    const h = setUp('10');
    h.send('q', 'a');
    const [message] = h.receive('q');
    h.apply('ChangeMessageVisibility', { QueueUrl: h.url('q'), ReceiptHandle: message?.ReceiptHandle as string, VisibilityTimeout: 100 });
    h.advance(50_000);
    expect(h.receive('q')).toEqual([]);
    expect(h.counts('q')).toEqual([0, 1, 0]);
    h.apply('ChangeMessageVisibility', { QueueUrl: h.url('q'), ReceiptHandle: message?.ReceiptHandle as string, VisibilityTimeout: 0 });
    expect(h.counts('q')).toEqual([1, 0, 0]);
    expect(h.receive('q')).toHaveLength(1);
  });

  it('limits the total visibility to 12 hours from the receive', () => {
    const h = setUp();
    h.send('q', 'a');
    const [message] = h.receive('q');
    const handle = message?.ReceiptHandle as string;
    h.advance(3_600_000);
    h.apply('ChangeMessageVisibility', { QueueUrl: h.url('q'), ReceiptHandle: handle, VisibilityTimeout: 39_600 });
    const error = expectRejectedUnchanged(
      h, () => h.apply('ChangeMessageVisibility', { QueueUrl: h.url('q'), ReceiptHandle: handle, VisibilityTimeout: 39_601 }), 'InvalidParameterValue');
    expect(error.message).toContain('Total VisibilityTimeout for the message is beyond the limit [43200 seconds]');
    expectRejectedUnchanged(h, () => h.apply('ChangeMessageVisibility', { QueueUrl: h.url('q'), ReceiptHandle: handle, VisibilityTimeout: 43_201 }), 'InvalidParameterValue');
  });

  it('accepts the latest handle after the timeout ended but leaves the message visible, as SQS does', () => {
    const h = setUp('10');
    h.send('q', 'a');
    const [message] = h.receive('q');
    h.advance(11_000);
    h.apply('ChangeMessageVisibility', { QueueUrl: h.url('q'), ReceiptHandle: message?.ReceiptHandle as string, VisibilityTimeout: 60 });
    expect(h.counts('q')).toEqual([1, 0, 0]);
    expect(h.receive('q')).toHaveLength(1);
  });

  it('changes the current visibility with an earlier handle on a standard queue, as recorded SQS does', () => {
    // LocalStack's AWS-validated test_terminate_visibility_timeout_after_receive.
    const h = setUp('10');
    h.send('q', 'a');
    const [first] = h.receive('q', { VisibilityTimeout: 0 });
    expect(h.receive('q', { VisibilityTimeout: 3 })).toHaveLength(1);
    h.apply('ChangeMessageVisibility', { QueueUrl: h.url('q'), ReceiptHandle: first?.ReceiptHandle as string, VisibilityTimeout: 0 });
    expect(h.receive('q')).toHaveLength(1);
  });

  it('refuses an earlier handle on a FIFO queue, a deleted message\'s handle and garbage', () => {
    const h = new Harness();
    h.createQueue('q.fifo', { FifoQueue: 'true', VisibilityTimeout: '10' });
    h.send('q.fifo', 'a', { MessageGroupId: 'g', MessageDeduplicationId: 'a' });
    const [first] = h.receive('q.fifo');
    h.advance(10_000);
    const [second] = h.receive('q.fifo');
    const stale = expectRejectedUnchanged(h, () => h.apply('ChangeMessageVisibility', {
      QueueUrl: h.url('q.fifo'), ReceiptHandle: first?.ReceiptHandle as string, VisibilityTimeout: 5,
    }), 'InvalidParameterValue');
    expect(stale.message).toContain('Message does not exist or is not available for visibility timeout change.');
    h.apply('DeleteMessage', { QueueUrl: h.url('q.fifo'), ReceiptHandle: second?.ReceiptHandle as string });
    const deleted = expectRejectedUnchanged(h, () => h.apply('ChangeMessageVisibility', {
      QueueUrl: h.url('q.fifo'), ReceiptHandle: second?.ReceiptHandle as string, VisibilityTimeout: 5,
    }), 'InvalidParameterValue');
    expect(deleted.message).toBe(`Value ${second?.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`);
    expectRejectedUnchanged(h, () => h.apply('ChangeMessageVisibility', { QueueUrl: h.url('q.fifo'), ReceiptHandle: 'garbage', VisibilityTimeout: 5 }), 'ReceiptHandleIsInvalid');
  });

  it('deletes with the latest handle even after the timeout ended', () => {
    const h = setUp('10');
    h.send('q', 'a');
    h.receive('q');
    h.advance(10_000);
    const [second] = h.receive('q');
    h.advance(10_000);
    h.apply('DeleteMessage', { QueueUrl: h.url('q'), ReceiptHandle: second?.ReceiptHandle as string });
    expect(h.counts('q')).toEqual([0, 0, 0]);
    h.apply('DeleteMessage', { QueueUrl: h.url('q'), ReceiptHandle: second?.ReceiptHandle as string });
  });

  it('deletes with an earlier handle on a standard queue, even while another receiver holds the message', () => {
    // DeleteMessage reference: "Even if the message is locked by another reader due to the
    // visibility timeout setting, it is still deleted from the queue."
    const h = setUp('10');
    h.send('q', 'a');
    const [first] = h.receive('q');
    h.advance(10_000);
    const [second] = h.receive('q');
    h.apply('DeleteMessage', { QueueUrl: h.url('q'), ReceiptHandle: first?.ReceiptHandle as string });
    expect(h.counts('q')).toEqual([0, 0, 0]);
    h.apply('DeleteMessage', { QueueUrl: h.url('q'), ReceiptHandle: second?.ReceiptHandle as string });
    h.advance(10_000);
    expect(h.receive('q')).toEqual([]);
  });

  it.each([[''], ['garbage'], ['cjE6'], ['!!!'], [Buffer.from('r1:only-id').toString('base64url')]])(
    'rejects the receipt handle %j', (handle) => {
      const h = setUp();
      expectRejectedUnchanged(h, () => h.apply('DeleteMessage', { QueueUrl: h.url('q'), ReceiptHandle: handle }), 'ReceiptHandleIsInvalid');
    });

  it('validates ReceiveMessage parameters', () => {
    const h = setUp();
    h.send('q', 'a');
    const error = expectRejectedUnchanged(h, () => h.receive('q', { MaxNumberOfMessages: 11 }), 'InvalidParameterValue');
    expect(error.message).toBe('Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.');
    expectRejectedUnchanged(h, () => h.receive('q', { MaxNumberOfMessages: 0 }), 'InvalidParameterValue');
    const visibility = expectRejectedUnchanged(h, () => h.receive('q', { VisibilityTimeout: 43_201 }), 'InvalidParameterValue');
    expect(visibility.message).toBe('Value 43201 for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided.');
    // The wording SQS uses for WaitTimeSeconds (as LocalStack's AWS-validated suite has it).
    const wait = expectRejectedUnchanged(h, () => h.receive('q', { WaitTimeSeconds: 21 }), 'InvalidParameterValue');
    expect(wait.message).toBe('Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.');
  });

  it('reports system attributes on receive', () => {
    const h = setUp();
    h.send('q', 'a');
    h.advance(1_000);
    const [message] = h.receive('q', { MessageSystemAttributeNames: ['All'] });
    expect(message?.Attributes).toEqual({
      SenderId: 'AIDTEST',
      SentTimestamp: String(START),
      ApproximateReceiveCount: '1',
      ApproximateFirstReceiveTimestamp: String(START + 1_000),
    });
    h.advance(30_000);
    const [again] = h.receive('q', { AttributeNames: ['ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp'] });
    expect(again?.Attributes).toEqual({ ApproximateReceiveCount: '2', ApproximateFirstReceiveTimestamp: String(START + 1_000) });
  });

  it('answers long-polling questions without changing state', () => {
    const h = setUp('10');
    expect(h.engine.hasReceivable(h.url('q'), h.now)).toBe(false);
    expect(h.engine.hasReceivable(h.url('nope'), h.now)).toBe(false);
    h.send('q', 'a');
    expect(h.engine.hasReceivable(h.url('q'), h.now)).toBe(true);
    h.receive('q');
    expect(h.engine.hasReceivable(h.url('q'), h.now)).toBe(false);
    expect(h.engine.nextReceivableAt(h.url('q'), h.now)).toBe(h.now + 10_000);
    expect(h.engine.hasReceivable(h.url('q'), h.now + 10_000)).toBe(true);
    expect(h.engine.nextReceivableAt(h.url('nope'), h.now)).toBeUndefined();
  });
});

describe('delays', () => {
  it('delays messages by the queue DelaySeconds', () => {
    const h = new Harness();
    h.createQueue('q', { DelaySeconds: '5' });
    h.send('q', 'a');
    expect(h.counts('q')).toEqual([0, 0, 1]);
    expect(h.receive('q')).toEqual([]);
    expect(h.engine.nextReceivableAt(h.url('q'), h.now)).toBe(h.now + 5_000);
    h.advance(5_000);
    expect(h.counts('q')).toEqual([1, 0, 0]);
    expect(h.receive('q')).toHaveLength(1);
  });

  it('keeps the delay a standard queue message was sent with when the queue delay changes', () => {
    // Developer Guide, delay queues: for standard queues the per-queue delay "is not retroactive".
    const h = new Harness();
    h.createQueue('q', { DelaySeconds: '60' });
    h.send('q', 'a');
    h.apply('SetQueueAttributes', { QueueUrl: h.url('q'), Attributes: { DelaySeconds: '0' } });
    expect(h.receive('q')).toEqual([]);
    h.advance(60_000);
    expect(h.receive('q')).toHaveLength(1);
  });

  it('lets a message DelaySeconds override the queue delay', () => {
    const h = new Harness();
    h.createQueue('q', { DelaySeconds: '60' });
    h.send('q', 'now', { DelaySeconds: 0 });
    h.send('q', 'later', { DelaySeconds: 10 });
    expect(h.receive('q', { MaxNumberOfMessages: 10 }).map((m) => m.Body)).toEqual(['now']);
    h.advance(10_000);
    expect(h.receive('q', { MaxNumberOfMessages: 10 }).map((m) => m.Body)).toEqual(['later']);
  });

  it('rejects DelaySeconds out of range', () => {
    const h = new Harness();
    h.createQueue('q');
    expectRejectedUnchanged(h, () => h.send('q', 'a', { DelaySeconds: 901 }), 'InvalidParameterValue');
    expectRejectedUnchanged(h, () => h.send('q', 'a', { DelaySeconds: -1 }), 'InvalidParameterValue');
  });
});

describe('retention', () => {
  it('never returns expired messages, and Housekeeping drops them', () => {
    const h = new Harness();
    h.createQueue('q', { MessageRetentionPeriod: '60' });
    h.send('q', 'old');
    h.advance(30_000);
    h.send('q', 'young');
    expect(h.engine.housekeepingDue(h.now)).toBe(false);
    h.advance(30_000);
    expect(h.engine.housekeepingDue(h.now)).toBe(true);
    expect(h.receive('q', { MaxNumberOfMessages: 10 }).map((m) => m.Body)).toEqual(['young']);
    h.advance(30_000);
    expect(h.apply('Housekeeping', { kind: 'housekeeping' })).toEqual({ expired: 1, moved: 0 });
    expect(h.counts('q')).toEqual([0, 0, 0]);
    expect(h.engine.housekeepingDue(h.now + 1_000_000)).toBe(false);
  });

  it('expires in-flight messages too', () => {
    const h = new Harness();
    h.createQueue('q', { MessageRetentionPeriod: '60', VisibilityTimeout: '3600' });
    h.send('q', 'a');
    h.receive('q');
    h.advance(60_000);
    expect(h.apply('Housekeeping', { kind: 'housekeeping' }).expired).toBe(1);
    expect(h.counts('q')).toEqual([0, 0, 0]);
  });

  it('works off a large backlog over several Housekeeping commands', () => {
    const h = new Harness();
    h.createQueue('q', { MessageRetentionPeriod: '60' });
    h.apply('SendMessageBatch', { QueueUrl: h.url('q'), Entries: [{ Id: 'a', MessageBody: 'x' }] });
    for (let i = 0; i < 5000; i++) h.send('q', `m${i}`);
    h.advance(60_000);
    expect(h.apply('Housekeeping', { kind: 'housekeeping' }).expired).toBe(5000);
    expect(h.engine.housekeepingDue(h.now)).toBe(true);
    expect(h.apply('Housekeeping', { kind: 'housekeeping' }).expired).toBe(1);
    expect(h.engine.housekeepingDue(h.now)).toBe(false);
  });
});
