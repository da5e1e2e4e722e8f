import { describe, expect, it } from 'vitest';
import { Progress } from '../../../server/src/cluster/raft/progress.js';

describe('Progress', () => {
  it('probe: one message at a time', () => {
    const pr = new Progress('n2', 5, 0);
    expect(pr.isPaused(4)).toBe(false);
    pr.sent(7);
    expect([pr.isPaused(4), pr.next]).toEqual([true, 5]); // a probe does not move `next`
  });

  it('replicate: a window of in-flight messages, freed by cumulative acknowledgements', () => {
    const pr = new Progress('n2', 1, 0);
    pr.becomeReplicate(0);
    for (const last of [2, 4, 6]) pr.sent(last);
    expect([pr.next, pr.isPaused(3), pr.isPaused(4)]).toEqual([7, true, false]);
    expect(pr.acknowledge(4, 10)).toBe(true);
    expect([pr.match, pr.inflight, pr.lastProgressAt]).toEqual([4, [6], 10]);
    expect(pr.acknowledge(3, 20)).toBe(false); // late duplicate
    expect(pr.match).toBe(4);
  });

  it('snapshot: nothing else is sent until the follower answers', () => {
    const pr = new Progress('n2', 1, 0);
    pr.becomeSnapshot(40, 5);
    expect([pr.isPaused(100), pr.pendingSnapshot, pr.snapshotSentAt]).toEqual([true, 40, 5]);
  });

  it('keeps match < next through every change', () => {
    const pr = new Progress('n2', 1, 0);
    pr.acknowledge(9, 0);
    pr.becomeProbe(0, 3);
    expect([pr.match, pr.next]).toEqual([9, 10]);
    pr.forget(0);
    expect([pr.match, pr.next, pr.state]).toEqual([0, 1, 'probe']);
  });
});
