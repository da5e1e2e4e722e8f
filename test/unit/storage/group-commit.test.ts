import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../../server/src/storage/group-commit.js';
import type { StateChanges } from '../../../server/src/engine/queue-engine.js';

function recordingWriter(): { writes: { changes: StateChanges; meta: Record<string, string> }[]; write: (c: StateChanges, m: Record<string, string>) => void } {
  const writes: { changes: StateChanges; meta: Record<string, string> }[] = [];
  return { writes, write: (changes, meta) => writes.push({ changes, meta }) };
}

describe('GroupCommit', () => {
  it('writes all batches of one event-loop turn in one write', async () => {
    const writer = recordingWriter();
    const group = new GroupCommit(writer.write);
    const done = [
      group.submit({ changes: new Map([['a', '1']]), meta: { appliedIndex: '1' } }),
      group.submit({ changes: new Map([['b', '2']]), meta: { appliedIndex: '2' } }),
      group.submit({ changes: new Map([['a', null]]), meta: { appliedIndex: '3' } }),
    ];
    expect(writer.writes).toHaveLength(0);
    await Promise.all(done);
    expect(writer.writes).toHaveLength(1);
    expect([...writer.writes[0]!.changes]).toEqual([['a', null], ['b', '2']]);
    expect(writer.writes[0]!.meta).toEqual({ appliedIndex: '3' });
  });

  it('starts a new write for batches submitted after the previous one was written', async () => {
    const writer = recordingWriter();
    const group = new GroupCommit(writer.write);
    await group.submit({ changes: new Map([['a', '1']]) });
    await group.submit({ changes: new Map([['b', '1']]) });
    expect(writer.writes).toHaveLength(2);
  });

  it('flushes early once maxBatches are waiting', () => {
    const writer = recordingWriter();
    const group = new GroupCommit(writer.write, { maxBatches: 2 });
    void group.submit({ changes: new Map([['a', '1']]) });
    expect(writer.writes).toHaveLength(0);
    void group.submit({ changes: new Map([['b', '1']]) });
    expect(writer.writes).toHaveLength(1);
    expect(group.pending).toBe(0);
  });

  it('rejects every batch of a failed write', async () => {
    const group = new GroupCommit(() => {
      throw new Error('disk full');
    });
    const results = await Promise.allSettled([group.submit({ meta: { x: '1' } }), group.submit({ meta: { x: '2' } })]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });
});
