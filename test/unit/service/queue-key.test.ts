/** Waiters key queues by name, however the client spelled the URL. */
import { describe, expect, it } from 'vitest';
import { queueKeyOf } from '../../../server/src/service/queue-key.js';

describe('queueKeyOf', () => {
  it('is the last path segment of a queue URL, trailing slashes or not, or the bare name', () => {
    expect(queueKeyOf('http://localhost:9324/000000000000/orders')).toBe('orders');
    expect(queueKeyOf('http://localhost:9324/000000000000/orders/')).toBe('orders');
    expect(queueKeyOf('http://localhost:9324/000000000000/orders//')).toBe('orders');
    expect(queueKeyOf('orders')).toBe('orders');
  });

  it('keys a queue as the engine names it, so a URL with a query string meets the plain one', () => {
    expect(queueKeyOf('http://localhost:9324/000000000000/orders?x=1')).toBe('orders');
    expect(queueKeyOf('http://localhost:9324/000000000000/orders#top')).toBe('orders');
  });
});
