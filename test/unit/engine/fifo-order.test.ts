import { describe, expect, it } from 'vitest';
import { Harness } from './harness.js';

/** A small deterministic PRNG so every run sees the same interleaving. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('FIFO ordering under churn', () => {
  it.each([1, 2, 3])('delivers every message, in group order, one group holder at a time (seed %i)', (seed) => {
    const next = random(seed);
    const h = new Harness();
    h.createQueue('q.fifo', { FifoQueue: 'true', VisibilityTimeout: '3' });
    const groups = 40;
    const perGroup = 15;
    const sent = new Map<string, string[]>();
    let counter = 0;
    const pendingSends: string[] = [];
    for (let g = 0; g < groups; g++) for (let i = 0; i < perGroup; i++) pendingSends.push(`g${g}`);
    const inFlight = new Map<string, { handle: string; group: string; body: string; until: number }>();
    const deleted = new Map<string, string[]>();
    while (pendingSends.length > 0 || h.counts('q.fifo').some((n) => n > 0)) {
      h.advance(Math.floor(next() * 700));
      // Holds whose visibility ran out are over: the queue will hand those messages out again.
      for (const [body, held] of inFlight) if (held.until <= h.now) inFlight.delete(body);
      const roll = next();
      if (roll < 0.4 && pendingSends.length > 0) {
        const group = pendingSends.splice(Math.floor(next() * pendingSends.length), 1)[0] as string;
        const body = `${group}-${String(counter++).padStart(5, '0')}`;
        h.send('q.fifo', body, { MessageGroupId: group, MessageDeduplicationId: body });
        sent.set(group, [...(sent.get(group) ?? []), body]);
      } else if (roll < 0.75) {
        const received = h.receive('q.fifo', { MaxNumberOfMessages: 1 + Math.floor(next() * 10), AttributeNames: ['MessageGroupId'] });
        const groupsHere = new Set<string>();
        for (const message of received) {
          const group = message.Attributes?.MessageGroupId as string;
          groupsHere.add(group);
          // No other holder of this group's messages may exist while we hold one.
          for (const held of inFlight.values()) {
            if (held.group === group && !received.some((m) => m.Body === held.body)) {
              throw new Error(`group ${group} delivered while ${held.body} is in flight`);
            }
          }
          inFlight.set(message.Body, { handle: message.ReceiptHandle, group, body: message.Body, until: h.now + 3_000 });
        }
        // Within one receive, each group's messages come in order and contiguously.
        for (const group of groupsHere) {
          const bodies = received.filter((m) => m.Attributes?.MessageGroupId === group).map((m) => m.Body);
          expect(bodies).toEqual([...bodies].sort());
        }
      } else if (inFlight.size > 0) {
        // Delete the oldest held message of some group (consumers finish in order).
        const [body, held] = [...inFlight.entries()][Math.floor(next() * inFlight.size)] as [string, { handle: string; group: string }];
        // Consumers finish a group's messages in order.
        const heldEarlier = [...inFlight.values()].some((other) => other.group === held.group && other.body < body);
        if (heldEarlier) continue;
        inFlight.delete(body);
        h.apply('DeleteMessage', { QueueUrl: h.url('q.fifo'), ReceiptHandle: held.handle });
        deleted.set(held.group, [...(deleted.get(held.group) ?? []), body]);
      }
      if (counter > 5000) throw new Error('runaway');
    }
    for (const [group, bodies] of sent) expect(deleted.get(group)).toEqual(bodies);
  });
});
