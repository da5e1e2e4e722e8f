import { describe, expect, it } from 'vitest';
import { PipelinedGroupCommit } from '../../../server/src/storage/postgres/pipelined-group-commit.js';
import type { StateChanges } from '../../../server/src/engine/queue-engine.js';

/** A writer whose writes finish when the test says so. */
function controlledWriter() {
  const writes: { changes: [string, string | null][]; meta: Record<string, string>; finish(error?: Error): void }[] = [];
  const write = (changes: StateChanges, meta: Record<string, string>): Promise<void> =>
    new Promise((resolve, reject) => writes.push({ changes: [...changes], meta, finish: (error) => (error ? reject(error) : resolve()) }));
  return { writes, write };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('PipelinedGroupCommit', () => {
  it('writes one turn\'s batches together, and what arrives during a write as the next group', async () => {
    const writer = controlledWriter();
    const group = new PipelinedGroupCommit(writer.write);
    const first = [group.submit({ changes: new Map([['a', '1']]) }), group.submit({ changes: new Map([['b', '1']]), meta: { i: '2' } })];
    await turn();
    expect(writer.writes).toHaveLength(1);
    expect(writer.writes[0]!.changes).toEqual([['a', '1'], ['b', '1']]);

    // A write is in flight: these wait for it and then go out as one.
    const second = [group.submit({ changes: new Map([['a', null]]), meta: { i: '3' } }), group.submit({ changes: new Map([['c', '1']]), meta: { i: '4' } })];
    await turn();
    expect(writer.writes).toHaveLength(1);
    writer.writes[0]!.finish();
    await Promise.all(first);
    await turn();
    expect(writer.writes).toHaveLength(2);
    expect(writer.writes[1]!.changes).toEqual([['a', null], ['c', '1']]);
    expect(writer.writes[1]!.meta).toEqual({ i: '4' });
    writer.writes[1]!.finish();
    await Promise.all(second);
  });

  it('after a failed write refuses the waiting batches and every later one until resumed', async () => {
    const writer = controlledWriter();
    const group = new PipelinedGroupCommit(writer.write);
    const failing = group.submit({ changes: new Map([['a', '1']]) });
    await turn();
    const waiting = group.submit({ changes: new Map([['b', '1']]) });
    writer.writes[0]!.finish(new Error('connection lost'));
    await expect(failing).rejects.toThrow('connection lost');
    await expect(waiting).rejects.toThrow('connection lost');
    await expect(group.submit({ changes: new Map([['c', '1']]) })).rejects.toThrow('connection lost');
    // Nothing computed from the lost state was written.
    expect(writer.writes).toHaveLength(1);

    group.resume();
    const later = group.submit({ changes: new Map([['d', '1']]) });
    await turn();
    expect(writer.writes).toHaveLength(2);
    expect(writer.writes[1]!.changes).toEqual([['d', '1']]);
    writer.writes[1]!.finish();
    await later;
  });

  it('drains: settles once everything submitted has been written', async () => {
    const writer = controlledWriter();
    const group = new PipelinedGroupCommit(writer.write);
    const written = group.submit({ changes: new Map([['a', '1']]) });
    let drained = false;
    const drain = group.drain().then(() => (drained = true));
    await turn();
    expect(drained).toBe(false);
    writer.writes[0]!.finish();
    await drain;
    await written;
    expect(group.pending).toBe(0);
  });
});
