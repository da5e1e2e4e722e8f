import { describe, expect, it } from 'vitest';
import { Harness } from './harness.js';

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('standard queue under churn', () => {
  it.each([4, 5, 6])('keeps counters, holds and long-poll answers consistent (seed %i)', (seed) => {
    const next = random(seed);
    const h = new Harness();
    h.createQueue('q', { VisibilityTimeout: '2', DelaySeconds: '1' });
    let sent = 0;
    let deleted = 0;
    const holds = new Map<string, { handle: string; until: number }>();
    for (let step = 0; step < 1500; step++) {
      h.advance(Math.floor(next() * 400));
      for (const [id, hold] of holds) if (hold.until <= h.now) holds.delete(id);
      const [visible, inFlight, delayed] = h.counts('q');
      expect(visible + inFlight + delayed).toBe(sent - deleted);
      expect(inFlight).toBe(holds.size);
      const receivable = h.engine.hasReceivable(h.url('q'), h.caller, h.now);
      const roll = next();
      if (roll < 0.4) {
        h.send('q', `m${step}`, next() < 0.3 ? { DelaySeconds: 0 } : {});
        sent++;
      } else if (roll < 0.7) {
        const received = h.receive('q', { MaxNumberOfMessages: 1 + Math.floor(next() * 5) });
        expect(received.length > 0).toBe(receivable);
        for (const message of received) {
          expect(holds.has(message.MessageId)).toBe(false);
          holds.set(message.MessageId, { handle: message.ReceiptHandle, until: h.now + 2_000 });
        }
      } else if (holds.size > 0) {
        const [id, hold] = [...holds.entries()][Math.floor(next() * holds.size)] as [string, { handle: string }];
        holds.delete(id);
        if (next() < 0.8) {
          h.apply('DeleteMessage', { QueueUrl: h.url('q'), ReceiptHandle: hold.handle });
          deleted++;
        } else {
          h.apply('ChangeMessageVisibility', { QueueUrl: h.url('q'), ReceiptHandle: hold.handle, VisibilityTimeout: 0 });
        }
      }
    }
    expect(deleted).toBeGreaterThan(100);
  });
});
