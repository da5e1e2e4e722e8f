import { describe, expect, it } from 'vitest';
import { RaftLog } from '../../../server/src/cluster/raft/raft-log.js';

function log(startIndex = 0, startTerm = 0, terms: number[] = []): RaftLog<string> {
  const l = new RaftLog<string>({ index: startIndex, term: startTerm }, (payload) => payload.length);
  terms.forEach((term, i) => l.append({ index: startIndex + i + 1, term, payload: `e${startIndex + i + 1}` }));
  return l;
}

describe('RaftLog', () => {
  it('knows the terms of its snapshot point and its entries, nothing before', () => {
    const l = log(5, 2, [2, 3, 3]);
    expect([l.firstIndex, l.lastIndex, l.lastTerm]).toEqual([6, 8, 3]);
    expect([4, 5, 6, 7, 8, 9].map((i) => l.termAt(i))).toEqual([undefined, 2, 2, 3, 3, undefined]);
    expect(l.holds({ index: 5, term: 2 })).toBe(true);
    expect(l.holds({ index: 7, term: 2 })).toBe(false);
  });

  it('measures a payload only when the entry is first sliced to be sent, and once', () => {
    const measured: string[] = [];
    const l = new RaftLog<string>({ index: 0, term: 0 }, (payload) => {
      measured.push(payload);
      return payload.length;
    });
    l.append({ index: 1, term: 1, payload: 'a' });
    l.append({ index: 2, term: 1, payload: 'bb' });
    expect(measured).toEqual([]);
    expect(l.slice(1, 10, 100).map((entry) => entry.index)).toEqual([1, 2]);
    expect(l.slice(1, 10, 100).map((entry) => entry.index)).toEqual([1, 2]);
    expect(measured).toEqual(['a', 'bb']);
    expect(l.slice(1, 10, 2).map((entry) => entry.index)).toEqual([1]);
  });

  it('refuses an append that leaves a gap', () => {
    expect(() => log(0, 0, [1]).append({ index: 3, term: 1, payload: 'x' })).toThrow(/appending index 3 after 1/);
  });

  it('compares logs by last term, then last index (election restriction)', () => {
    const l = log(0, 0, [1, 2, 2]);
    expect(l.isOutdatedBy(3, 2)).toBe(true);
    expect(l.isOutdatedBy(1, 3)).toBe(true);
    expect(l.isOutdatedBy(2, 2)).toBe(false);
    expect(l.isOutdatedBy(9, 1)).toBe(false);
  });

  it('slices by count and by bytes, but always at least one entry', () => {
    const l = log(0, 0, [1, 1, 1, 1]); // payloads e1..e4, 2 bytes each
    expect(l.slice(2, 10, 1_000).map((e) => e.index)).toEqual([2, 3, 4]);
    expect(l.slice(1, 2, 1_000).map((e) => e.index)).toEqual([1, 2]);
    expect(l.slice(1, 10, 5).map((e) => e.index)).toEqual([1, 2]);
    expect(l.slice(1, 10, 1).map((e) => e.index)).toEqual([1]);
    expect(l.slice(5, 10, 1_000)).toEqual([]);
  });

  it('compacts up to an index, keeping that entry’s term as the new snapshot point', () => {
    const l = log(0, 0, [1, 1, 2, 2]);
    l.compactTo(3);
    expect([l.firstIndex, l.lastIndex, l.termAt(3), l.termAt(2)]).toEqual([4, 4, 2, undefined]);
    l.compactTo(2); // already gone: nothing happens
    expect(l.firstIndex).toBe(4);
  });

  it('restarts at a snapshot point when the state machine is replaced', () => {
    const l = log(0, 0, [1, 1]);
    l.resetTo({ index: 9, term: 4 });
    expect([l.firstIndex, l.lastIndex, l.lastTerm, l.termAt(1)]).toEqual([10, 9, 4, undefined]);
  });
});
