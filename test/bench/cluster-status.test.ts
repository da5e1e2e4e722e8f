import { describe, expect, it } from 'vitest';
import { firstHeldAt } from '../../bench/src/systems/cluster-status.js';

describe('replication lag in time', () => {
  const leader = [
    { at: 0, index: 10 },
    { at: 100, index: 20 },
    { at: 200, index: 40 },
  ];

  it('interpolates when the leader first held the oldest entry a follower lacks', () => {
    // Entry 15 appeared half-way between index 10 at t=0 and index 20 at t=100.
    expect(firstHeldAt(leader, 14)).toBe(50);
    // Entry 31 appeared between t=100 (20) and t=200 (40).
    expect(firstHeldAt(leader, 30)).toBe(155);
  });

  it('is undefined for a follower that has everything the leader had', () => {
    expect(firstHeldAt(leader, 40)).toBeUndefined();
  });

  it('falls back to the first sample for entries older than the history', () => {
    expect(firstHeldAt(leader, 3)).toBe(0);
  });
});
