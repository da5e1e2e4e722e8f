/** Leader-made ids: UUID-shaped and distinct, and increasing in string order within a process
 *  (what keeps each stored message next to the previous one in a B-tree keyed by message id). */
import { describe, expect, it } from 'vitest';
import { leaderIdSource, leaderIds } from '../../../server/src/cluster/leader-ids.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('leaderIdSource', () => {
  it('makes distinct UUID-shaped ids in increasing string order', () => {
    const next = leaderIdSource();
    const ids = Array.from({ length: 5000 }, () => next());
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('draws a fresh prefix per source, so another process or leader repeats no id', () => {
    expect(leaderIdSource()().slice(0, 24)).not.toBe(leaderIdSource()().slice(0, 24));
  });

  it('gives a replicator ordered message ids and random secrets, or one injected source for both', () => {
    const { randomId, secretId } = leaderIds();
    const [first, second] = [randomId(), randomId()];
    expect(first.slice(0, 24)).toBe(second.slice(0, 24));
    // Secrets share no prefix with one another (random UUIDs, not a counter).
    expect(secretId()).toMatch(UUID);
    expect(secretId().slice(0, 24)).not.toBe(secretId().slice(0, 24));
    const injected = (): string => 'fixed';
    expect(leaderIds(injected)).toEqual({ randomId: injected, secretId: injected });
  });
});
