import { describe, expect, it } from 'vitest';
import { coalesceAppends, type LeaderRaftMessage } from '../../../server/src/cluster/grpc/append-coalescing.js';
import type { AppendRequest, LogEntry } from '../../../server/src/cluster/raft/index.js';

function entry(index: number, term = 2, body = 'x'): LogEntry<unknown> {
  return { index, term, payload: { body } };
}

function append(prevIndex: number, prevTerm: number, entries: LogEntry<unknown>[], commit = 0, term = 2): AppendRequest<unknown> {
  return { type: 'append', term, prevIndex, prevTerm, entries, commit };
}

const heartbeat: LeaderRaftMessage = { type: 'heartbeat', term: 2, commit: 3 };

describe('coalesceAppends', () => {
  it('joins appends that continue each other into one, with the later commit index', () => {
    const out = coalesceAppends([append(4, 2, [entry(5)], 3), append(5, 2, [entry(6), entry(7)], 5), append(7, 2, [entry(8)], 4)], 1 << 20);
    expect(out).toEqual([{ message: append(4, 2, [entry(5), entry(6), entry(7), entry(8)], 5), parts: 3 }]);
  });

  it('leaves a single append as it came', () => {
    const only = append(4, 2, [entry(5)], 3);
    expect(coalesceAppends([only], 1 << 20)).toEqual([{ message: only, parts: 1 }]);
  });

  it('does not join across a gap, a term change or a heartbeat, and keeps the order', () => {
    const first = append(4, 2, [entry(5)]);
    const gap = append(6, 2, [entry(7)]);
    const otherTerm = append(7, 2, [entry(8, 3)], 0, 3);
    const afterHeartbeat = append(8, 3, [entry(9, 3)], 0, 3);
    const out = coalesceAppends([first, gap, otherTerm, heartbeat, afterHeartbeat], 1 << 20);
    expect(out.map((part) => part.message)).toEqual([first, gap, otherTerm, heartbeat, afterHeartbeat]);
  });

  it('starts a new message when the joined payloads would pass the byte limit', () => {
    const big = 'y'.repeat(100);
    const messages = [append(0, 0, [entry(1, 2, big)]), append(1, 2, [entry(2, 2, big)]), append(2, 2, [entry(3, 2, big)])];
    const out = coalesceAppends(messages, 250);
    expect(out.map((part) => part.message.type === 'append' && part.message.entries.map((e) => e.index))).toEqual([[1, 2], [3]]);
    expect(out.map((part) => part.parts)).toEqual([2, 1]);
  });

  it('does not change the messages it was given', () => {
    const first = append(4, 2, [entry(5)]);
    coalesceAppends([first, append(5, 2, [entry(6)])], 1 << 20);
    expect(first.entries).toHaveLength(1);
  });
});
