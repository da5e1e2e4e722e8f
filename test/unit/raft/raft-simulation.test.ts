/**
 * Randomized simulation of the raft core: many seeds, thousands of steps each, with message
 * loss, delay, reordering, duplication, partitions, crashes and restarts. Safety properties are
 * checked after every step (sim/invariants.ts) and convergence after healing. A failure names its
 * seed: replay it with `RAFT_SEED=<seed> npx vitest run test/unit/raft/raft-simulation.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { CHAOS, simulate, type SimOptions } from './sim/sim-cluster.js';

const SEEDS = Number(process.env.RAFT_SEEDS ?? 100);
const STEPS = Number(process.env.RAFT_STEPS ?? 2000);
const ONLY_SEED = process.env.RAFT_SEED === undefined ? undefined : Number(process.env.RAFT_SEED);

function seeds(base: number): number[] {
  if (ONLY_SEED !== undefined) return [ONLY_SEED];
  return Array.from({ length: SEEDS }, (_, i) => base + i);
}

function runAll(options: Omit<SimOptions, 'seed'>, base: number): void {
  let committed = 0;
  for (const seed of seeds(base)) {
    const cluster = simulate({ ...options, seed }, STEPS);
    committed += cluster.nodes[0]!.machine.lastIndex;
  }
  // The runs must have done real work, not just survived idle.
  expect(committed).toBeGreaterThan(seeds(base).length * 20);
}

describe('raft core under random faults', () => {
  it('3 durable nodes keep every safety property and converge', () => {
    runAll({ ...CHAOS, nodes: 3, storage: 'durable' }, 1000);
  });

  it('5 durable nodes keep every safety property and converge', () => {
    runAll({ ...CHAOS, nodes: 5, storage: 'durable' }, 2000);
  });

  it('5 nodes with memory storage (restart from nothing) converge to the leader state', () => {
    runAll({ ...CHAOS, nodes: 5, storage: 'mixed' }, 3000);
  });
});
