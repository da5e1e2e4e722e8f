import { describe, expect, it } from 'vitest';
import { RetentionOrder } from '../../../server/src/engine/retention-order.js';
import type { StoredMessage } from '../../../server/src/engine/stored-message.js';

/** Only the ordering fields matter to the retention order. */
function message(retainedFrom: number, seq: number): StoredMessage {
  return { retainedFrom, seq } as StoredMessage;
}

function drain(order: RetentionOrder): string[] {
  const popped: string[] = [];
  for (let top = order.takeOldest(); top !== undefined; top = order.takeOldest()) {
    popped.push(`${top.retainedFrom}/${top.seq}`);
  }
  return popped;
}

describe('retention order', () => {
  it('hands messages out oldest first, whatever order they arrived in', () => {
    const order = new RetentionOrder();
    // Sends in order, then a dead letter keeping an older timestamp, then more sends, then
    // one older than everything.
    const arrivals = [message(10, 1), message(20, 2), message(20, 3), message(5, 4), message(30, 5), message(15, 6), message(1, 7), message(30, 8)];
    for (const arrival of arrivals) order.push(arrival);
    expect(order.size).toBe(arrivals.length);
    expect(drain(order)).toEqual(['1/7', '5/4', '10/1', '15/6', '20/2', '20/3', '30/5', '30/8']);
    expect(order.size).toBe(0);
  });

  it('keeps its order across interleaved pops, pushes and a rebuild', () => {
    const order = new RetentionOrder();
    for (const arrival of [message(10, 1), message(20, 2), message(30, 3)]) order.push(arrival);
    order.takeOldest();
    order.push(message(15, 4));
    order.push(message(40, 5));
    order.rebuild((entry) => entry.seq !== 5);
    order.push(message(35, 6));
    const seen: number[] = [];
    order.forEach((entry) => seen.push(entry.seq));
    expect(seen.sort((a, b) => a - b)).toEqual([2, 3, 4, 6]);
    expect(drain(order)).toEqual(['15/4', '20/2', '30/3', '35/6']);
    order.push(message(1, 7));
    order.clear();
    expect(order.oldestRetainedFrom()).toBeUndefined();
  });
});
