/**
 * `receiveChangesNothing`: the node answers a no-wait ReceiveMessage empty without a command only
 * when the command would have answered no messages, changed nothing and raised no error.
 */
import { describe, expect, it } from 'vitest';
import type { ActionInput } from '../../../server/src/engine/actions.js';
import { Harness } from './harness.js';

function noOp(h: Harness, name: string, extra: Partial<ActionInput<'ReceiveMessage'>> = {}): boolean {
  return h.engine.receiveChangesNothing({ QueueUrl: h.url(name), ...extra }, h.caller, h.now);
}

describe('receiveChangesNothing', () => {
  it('is true for a plain receive on an existing queue with nothing receivable', () => {
    const h = new Harness();
    h.createQueue('q');
    expect(noOp(h, 'q')).toBe(true);
    expect(noOp(h, 'q', { MaxNumberOfMessages: 10, VisibilityTimeout: 30, WaitTimeSeconds: 0, AttributeNames: ['All'] })).toBe(true);
    expect(h.receive('q')).toEqual([]);
  });

  it('is false while a message is visible, and again once it is in flight', () => {
    const h = new Harness();
    h.createQueue('q', { VisibilityTimeout: '10' });
    h.send('q', 'a');
    expect(noOp(h, 'q')).toBe(false);
    expect(h.receive('q')).toHaveLength(1);
    expect(noOp(h, 'q')).toBe(true);
    h.advance(10_000);
    // The visibility timeout ended: the receive would promote and take it.
    expect(noOp(h, 'q')).toBe(false);
  });

  it('is false when a delay has ended, though nothing was promoted yet', () => {
    const h = new Harness();
    h.createQueue('q');
    h.send('q', 'later', { DelaySeconds: 5 });
    expect(noOp(h, 'q')).toBe(true);
    h.advance(5_000);
    expect(noOp(h, 'q')).toBe(false);
  });

  it('is false for a FIFO queue with a ready group, true once its head is in flight', () => {
    const h = new Harness();
    h.createQueue('q.fifo', { FifoQueue: 'true' });
    h.send('q.fifo', 'a', { MessageGroupId: 'g', MessageDeduplicationId: 'd1' });
    h.send('q.fifo', 'b', { MessageGroupId: 'g', MessageDeduplicationId: 'd2' });
    expect(noOp(h, 'q.fifo')).toBe(false);
    expect(h.receive('q.fifo')).toHaveLength(1);
    // 'b' waits behind 'a' in flight in the same group.
    expect(noOp(h, 'q.fifo')).toBe(true);
    expect(h.receive('q.fifo')).toEqual([]);
  });

  it('is false for what the command must answer or remember: errors and attempt ids', () => {
    const h = new Harness();
    h.createQueue('q');
    h.createQueue('q.fifo', { FifoQueue: 'true' });
    expect(noOp(h, 'nope')).toBe(false);
    expect(noOp(h, 'q', { MaxNumberOfMessages: 11 })).toBe(false);
    expect(noOp(h, 'q', { MaxNumberOfMessages: 0 })).toBe(false);
    expect(noOp(h, 'q', { VisibilityTimeout: 43_201 })).toBe(false);
    expect(noOp(h, 'q', { VisibilityTimeout: 1.5 })).toBe(false);
    expect(noOp(h, 'q', { WaitTimeSeconds: 21 })).toBe(false);
    expect(noOp(h, 'q.fifo', { ReceiveRequestAttemptId: 'attempt-1' })).toBe(false);
  });

  it("is false for another account's queue the caller may not receive from", () => {
    const h = new Harness();
    h.createQueue('q');
    const url = h.url('q');
    h.caller = { accountId: '111111111111', region: 'us-east-1' };
    expect(h.engine.receiveChangesNothing({ QueueUrl: url }, h.caller, h.now)).toBe(false);
    expect(() => h.apply('ReceiveMessage', { QueueUrl: url })).toThrow(expect.objectContaining({ code: 'AccessDenied' }));
  });
});
