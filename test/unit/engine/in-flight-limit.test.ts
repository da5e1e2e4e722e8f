/**
 * The in-flight limits of the ReceiveMessage reference: 120,000 messages per standard queue
 * (beyond, OverLimit) and 20,000 per FIFO queue (beyond, no messages and no error).
 */
import { describe, expect, it } from 'vitest';
import { Harness } from './harness.js';

function fill(h: Harness, name: string, count: number, fifo: boolean): void {
  const url = h.url(name);
  for (let i = 0; i < count; i += 10) {
    const entries = Array.from({ length: Math.min(10, count - i) }, (_, j) => ({
      Id: `m${j}`, MessageBody: `m${i + j}`, ...(fifo ? { MessageGroupId: `g${i + j}`, MessageDeduplicationId: `d${i + j}` } : {}),
    }));
    h.apply('SendMessageBatch', { QueueUrl: url, Entries: entries });
  }
}

function receiveAll(h: Harness, name: string): number {
  let received = 0;
  for (;;) {
    const batch = h.receive(name, { MaxNumberOfMessages: 10, VisibilityTimeout: 600 });
    if (batch.length === 0) return received;
    received += batch.length;
  }
}

describe('in-flight limits', () => {
  it('answers OverLimit on a standard queue with 120,000 messages in flight', () => {
    const h = new Harness();
    h.createQueue('q');
    fill(h, 'q', 120_005, false);
    expect(() => receiveAll(h, 'q')).toThrow(expect.objectContaining({ code: 'OverLimit' }));
    expect(h.counts('q')).toEqual([5, 120_000, 0]);
    expect(() => h.receive('q')).toThrow(expect.objectContaining({ code: 'OverLimit' }));
    h.advance(600_000);
    expect(h.receive('q', { MaxNumberOfMessages: 10 })).toHaveLength(10);
  });

  it('answers OverLimit with nothing visible: such a receive is not one that changes nothing', () => {
    const h = new Harness();
    h.createQueue('q');
    fill(h, 'q', 120_000, false);
    expect(() => receiveAll(h, 'q')).toThrow(expect.objectContaining({ code: 'OverLimit' }));
    expect(h.counts('q')).toEqual([0, 120_000, 0]);
    expect(h.engine.receiveChangesNothing({ QueueUrl: h.url('q') }, h.caller, h.now)).toBe(false);
  });

  it('answers no messages on a FIFO queue with 20,000 messages in flight', () => {
    const h = new Harness();
    h.createQueue('q.fifo', { FifoQueue: 'true' });
    fill(h, 'q.fifo', 20_005, true);
    expect(receiveAll(h, 'q.fifo')).toBe(20_000);
    expect(h.counts('q.fifo')).toEqual([5, 20_000, 0]);
  });
});
