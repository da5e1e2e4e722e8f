/**
 * Randomized simulation of the raft core: many seeds, 2,000 steps each, with message loss,
 * delay, reordering, duplication, partitions (splits in two or three, one-way cuts), crashes and
 * restarts, slow disks and client proposals. Safety properties are checked after every step
 * (sim/invariants.ts) and convergence after healing. A failure names its seed: replay it with
 * `RAFT_SEED=<seed> npx vitest run test/unit/raft/raft-simulation.test.ts`; run more seeds with
 * `RAFT_SEEDS=1000`.
 */
import { describe, expect, it } from 'vitest';
import { CHAOS, simulate, type SimOptions } from './sim/sim-cluster.js';

const STEPS = Number(process.env.RAFT_STEPS ?? 2000);
// Larger runs (RAFT_SEEDS) take longer than the default test timeout.
const TIMEOUT = { timeout: 30 * 60_000 };
const ONLY_SEED = process.env.RAFT_SEED === undefined ? undefined : Number(process.env.RAFT_SEED);

function seeds(base: number, count: number): number[] {
  if (ONLY_SEED !== undefined) return [ONLY_SEED];
  const n = Number(process.env.RAFT_SEEDS ?? count);
  return Array.from({ length: n }, (_, i) => base + i);
}

function runAll(options: Omit<SimOptions, 'seed'>, base: number, count: number): void {
  let applied = 0;
  const all = seeds(base, count);
  for (const seed of all) applied += simulate({ ...options, seed }, STEPS).nodes[0]!.machine.lastIndex;
  // The runs must have done real work, not just survived idle.
  expect(applied / all.length).toBeGreaterThan(STEPS / 20);
}

describe('raft core under random faults', () => {
  it('3 durable nodes keep every safety property and converge', TIMEOUT, () => {
    runAll({ ...CHAOS, nodes: 3, storage: 'durable' }, 1000, 200);
  });

  it('5 durable nodes keep every safety property and converge', TIMEOUT, () => {
    runAll({ ...CHAOS, nodes: 5, storage: 'durable' }, 2000, 100);
  });

  it('5 nodes, some with memory storage (restart from nothing), converge to the leader state', TIMEOUT, () => {
    runAll({ ...CHAOS, nodes: 5, storage: 'mixed' }, 3000, 100);
  });
});
