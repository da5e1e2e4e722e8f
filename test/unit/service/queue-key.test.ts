/** Waiters key queues by id, however the client spelled the URL. */
import { describe, expect, it } from 'vitest';
import { queueKeyOf } from '../../../server/src/service/queue-key.js';

const HOME = { accountId: '000000000000', region: 'us-east-1' };
const EU = { accountId: '000000000000', region: 'eu-central-1' };

describe('queueKeyOf', () => {
  it('is the queue of the last path segment, trailing slashes or not, or of the bare name', () => {
    expect(queueKeyOf('http://localhost:9324/000000000000/orders', HOME)).toBe('us-east-1:000000000000:orders');
    expect(queueKeyOf('http://localhost:9324/000000000000/orders/', HOME)).toBe('us-east-1:000000000000:orders');
    expect(queueKeyOf('http://localhost:9324/000000000000/orders//', HOME)).toBe('us-east-1:000000000000:orders');
    expect(queueKeyOf('orders', HOME)).toBe('us-east-1:000000000000:orders');
  });

  it('keys a queue as the engine names it, so a URL with a query string meets the plain one', () => {
    expect(queueKeyOf('http://localhost:9324/000000000000/orders?x=1', HOME)).toBe('us-east-1:000000000000:orders');
    expect(queueKeyOf('http://localhost:9324/000000000000/orders#top', HOME)).toBe('us-east-1:000000000000:orders');
  });

  it('keeps one name in two regions or accounts apart, and meets a region URL and the plain one', () => {
    expect(queueKeyOf('http://localhost:9324/000000000000/orders', EU)).toBe('eu-central-1:000000000000:orders');
    expect(queueKeyOf('http://localhost:9324/queue/eu-central-1/000000000000/orders', HOME)).toBe('eu-central-1:000000000000:orders');
    expect(queueKeyOf('http://localhost:9324/111111111111/orders', HOME)).toBe('us-east-1:111111111111:orders');
  });

  it('answers each caller for itself when one URL is asked in turn by callers of two regions', () => {
    const url = 'http://localhost:9324/000000000000/orders';
    // The last answer is kept for the same URL and caller: asking again, or another caller, must
    // not get a stale one.
    expect(queueKeyOf(url, HOME)).toBe('us-east-1:000000000000:orders');
    expect(queueKeyOf(url, HOME)).toBe('us-east-1:000000000000:orders');
    expect(queueKeyOf(url, EU)).toBe('eu-central-1:000000000000:orders');
    expect(queueKeyOf(url, HOME)).toBe('us-east-1:000000000000:orders');
  });
});
