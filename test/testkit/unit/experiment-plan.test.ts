/**
 * The experiment's schedule is a pure function of its options and seed: the same seed twice
 * gives the same faults and operations, another seed other ones, and the plan keeps the rules
 * the checker relies on (one fault at a time, each FIFO group owned by one producer).
 */
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../../client/src/errors.js';
import { resolveExperiment } from '../../../client/src/experiment/options.js';
import type { ExperimentOptions } from '../../../client/src/experiment/options.js';
import { planExperiment } from '../../../client/src/experiment/plan.js';
import { Prng } from '../../../client/src/experiment/prng.js';

const shape = { nodes: 3, storage: 'memory' } as const;
const plan = (options: ExperimentOptions, cluster: { nodes: number; storage: 'memory' | 'sqlite' } = shape) =>
  planExperiment(resolveExperiment(options, cluster));

describe('experiment plan', () => {
  it('is the same for the same seed and options', () => {
    const options: ExperimentOptions = { seed: 42, durationMs: 60_000, workload: { producers: 3, consumers: 2, batchShare: 0.3 } };
    const first = plan(options);
    const second = plan(structuredClone(options));
    expect(second).toEqual(first);
    expect(first.faults.length).toBeGreaterThan(5);
    expect(first.operations.length).toBeGreaterThan(1000);
  });

  it('differs for another seed', () => {
    const a = plan({ seed: 1, durationMs: 60_000 });
    const b = plan({ seed: 2, durationMs: 60_000 });
    expect(b.faults).not.toEqual(a.faults);
    expect(b.operations).not.toEqual(a.operations);
  });

  it('keeps the nemesis stream apart from the workload: more producers leave the faults as they were', () => {
    const few = plan({ seed: 9, durationMs: 60_000, workload: { producers: 2 } });
    const many = plan({ seed: 9, durationMs: 60_000, workload: { producers: 8 } });
    expect(many.faults).toEqual(few.faults);
  });

  it('runs one fault at a time, inside the duration, with hold and heal times from the options', () => {
    const { faults } = plan({ seed: 5, durationMs: 120_000, nemesis: { holdMs: { min: 1_000, max: 3_000 }, healMs: 1_500 } });
    expect(faults[0]!.atMs).toBe(1_500);
    for (const [index, fault] of faults.entries()) {
      expect(fault.index).toBe(index);
      expect(fault.holdMs).toBeGreaterThanOrEqual(1);
      expect(fault.holdMs).toBeLessThanOrEqual(3_000);
      expect(fault.atMs + fault.holdMs).toBeLessThanOrEqual(120_000);
      const next = faults[index + 1];
      if (next) expect(next.atMs).toBe(fault.atMs + fault.holdMs + 1_500);
    }
  });

  it('draws only the fault kinds asked for, with targets that exist', () => {
    const { faults } = plan({ seed: 3, durationMs: 200_000, nemesis: ['kill', 'partition-bridge', 'delay'] }, { nodes: 5, storage: 'memory' });
    expect(new Set(faults.map((fault) => fault.kind))).toEqual(new Set(['kill', 'partition-bridge', 'delay']));
    for (const fault of faults) {
      if (fault.kind === 'kill') expect(fault.target === 'leader' || (fault.target! >= 1 && fault.target! <= 5)).toBe(true);
      if (fault.kind === 'partition-bridge') {
        const [left, right] = fault.sides!;
        expect([...left!, ...right!, fault.bridge].sort()).toEqual([1, 2, 3, 4, 5]);
      }
      if (fault.kind === 'delay') expect(fault.delayMs).toBeGreaterThanOrEqual(100);
    }
  });

  it('allows kill-all on SQLite only, and partitions only where there is a node on each side', () => {
    expect(() => plan({ nemesis: ['kill-all'] })).toThrow(/kill-all.*SQLite/);
    expect(plan({ seed: 1, nemesis: ['kill-all'] }, { nodes: 3, storage: 'sqlite' }).faults.every((fault) => fault.kind === 'kill-all')).toBe(true);
    expect(plan({ seed: 1, durationMs: 600_000 }, { nodes: 3, storage: 'sqlite' }).faults.some((fault) => fault.kind === 'kill-all')).toBe(true);
    expect(() => plan({ nemesis: ['partition-bridge'] }, { nodes: 2, storage: 'memory' })).toThrow(InvalidOptionError);
    expect(() => plan({ nemesis: ['meteor' as never] })).toThrow(/nemesis fault must be one of/);
    expect(plan({ nemesis: false }).faults).toEqual([]);
  });

  it('gives each FIFO group one producer and numbers its messages in send order', () => {
    const { operations } = plan({ seed: 11, durationMs: 30_000, workload: { producers: 4, batchShare: 0.5 } });
    const owners = new Map<string, Set<string>>();
    const lastSeq = new Map<string, number>();
    const ids = new Set<string>();
    for (const operation of operations.filter((candidate) => candidate.kind !== 'receive' && !candidate.resend)) {
      for (const message of operation.messages!) {
        expect(ids.has(message.id)).toBe(false);
        ids.add(message.id);
        if (message.group === undefined) continue;
        const key = `${operation.queue}/${message.group}`;
        owners.set(key, (owners.get(key) ?? new Set()).add(operation.worker));
        expect(message.seq).toBe((lastSeq.get(key) ?? -1) + 1);
        lastSeq.set(key, message.seq!);
        expect(message.dedupId).toBe(message.id);
      }
    }
    expect(owners.size).toBeGreaterThan(0);
    for (const workers of owners.values()) expect(workers.size).toBe(1);
    expect(operations.some((operation) => operation.kind === 'send-batch')).toBe(true);
    expect(operations.some((operation) => operation.resend)).toBe(true);
  });

  it('rejects options out of range', () => {
    expect(() => plan({ seed: -1 })).toThrow(/seed/);
    expect(() => plan({ workload: { rate: 0 } })).toThrow(/workload.rate/);
    expect(() => plan({ ackModes: [] })).toThrow(/at least one ack mode/);
    expect(() => plan({ nemesis: { holdMs: { min: 5, max: 1 } } })).toThrow(/below min/);
  });
});

describe('seeded PRNG', () => {
  it('repeats its sequence for a seed and forks independent streams', () => {
    const draw = (prng: Prng) => Array.from({ length: 5 }, () => prng.nextUint32());
    expect(draw(new Prng(7))).toEqual(draw(new Prng(7)));
    expect(draw(new Prng(7))).not.toEqual(draw(new Prng(8)));
    expect(draw(new Prng(7).fork('a'))).not.toEqual(draw(new Prng(7).fork('b')));
    const prng = new Prng(1);
    for (let index = 0; index < 1000; index += 1) {
      const value = prng.int(2, 4);
      expect(value).toBeGreaterThanOrEqual(2);
      expect(value).toBeLessThanOrEqual(4);
    }
  });
});
