import { describe, expect, it } from 'vitest';
import { firstHeldAt, followerLagMs } from '../../bench/src/systems/cluster-status.js';

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

describe('a follower\'s lag at its own answer', () => {
  const leader = [
    { at: 0, index: 10 },
    { at: 100, index: 20 },
  ];

  it('counts from when the leader first held the entry to when the follower answered', () => {
    // Entry 15 appeared at t=50; the follower at 14 answered at t=90.
    expect(followerLagMs(leader, 14, 90)).toBe(40);
  });

  it('is 0 for a follower that holds all the leader had', () => {
    expect(followerLagMs(leader, 20, 130)).toBe(0);
  });

  it('is never negative for a follower that answered before the leader read its index', () => {
    // Entry 20 appeared at t=90 by interpolation; the follower at 19 answered at t=80.
    expect(followerLagMs(leader, 19, 80)).toBe(0);
  });
});
