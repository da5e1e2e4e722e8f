/**
 * Randomized simulation of the raft core: thousands of seeded schedules with message loss,
 * delay, reordering, duplication, partitions (splits in two or three, one-way cuts), crashes and
 * restarts, slow disks and client proposals — and, in the membership runs, changes of the
 * configuration in the middle of all that: spares added as learners (promoted by the leader once
 * caught up, or explicitly), members removed (crashed ones: a replacement; the leader itself
 * too). Safety properties are checked after every step (sim/invariants.ts, sim/sim-node.ts) and
 * convergence after healing. Each run prints how many schedules ran and how many configuration
 * changes the final histories hold.
 *
 * A failure names its seed: replay it with
 * `RAFT_SEED=<seed> npx vitest run test/unit/raft/raft-simulation.test.ts`; run more seeds with
 * `RAFT_SEEDS=1000`, longer schedules with `RAFT_STEPS=5000`.
 */
import { describe, expect, it } from 'vitest';
import { CHAOS, type SimCluster, simulate, type SimOptions } from './sim/sim-cluster.js';

// Larger runs (RAFT_SEEDS) take longer than the default test timeout.
const TIMEOUT = { timeout: 30 * 60_000 };
const ONLY_SEED = process.env.RAFT_SEED === undefined ? undefined : Number(process.env.RAFT_SEED);

function seeds(base: number, count: number): number[] {
  if (ONLY_SEED !== undefined) return [ONLY_SEED];
  const n = Number(process.env.RAFT_SEEDS ?? count);
  return Array.from({ length: n }, (_, i) => base + i);
}

interface Totals {
  schedules: number;
  applied: number;
  configurationChanges: number;
}

function runAll(name: string, options: Omit<SimOptions, 'seed'>, base: number, count: number, steps: number): Totals {
  const chaosSteps = Number(process.env.RAFT_STEPS ?? steps);
  const totals: Totals = { schedules: 0, applied: 0, configurationChanges: 0 };
  for (const seed of seeds(base, count)) {
    const cluster = simulate({ ...options, seed }, chaosSteps);
    totals.schedules++;
    totals.applied += cluster.nodes[0]!.machine.lastIndex;
    totals.configurationChanges += committedChanges(cluster);
  }
  console.log(
    `raft simulation, ${name}: ${totals.schedules} schedules × ${chaosSteps} steps, 0 violations, ` +
      `${totals.configurationChanges} configuration changes in the final histories`,
  );
  // The runs must have done real work, not just survived idle.
  expect(totals.applied / totals.schedules).toBeGreaterThan(chaosSteps / 20);
  return totals;
}

/** Configuration entries in the converged leader's history (each a one-server change). */
function committedChanges(cluster: SimCluster): number {
  const leader = cluster.leaders()[0]!;
  return leader.machine.prefix(leader.machine.lastIndex).filter((text) => text?.startsWith('config ')).length;
}

const MEMBERSHIP = { spares: 3, changeRate: 0.05 };

describe('raft core under random faults', () => {
  it('3 durable nodes keep every safety property and converge', TIMEOUT, () => {
    runAll('3 durable nodes', { ...CHAOS, nodes: 3, storage: 'durable' }, 1000, 150, 1000);
  });

  it('5 durable nodes keep every safety property and converge', TIMEOUT, () => {
    runAll('5 durable nodes', { ...CHAOS, nodes: 5, storage: 'durable' }, 2000, 75, 1000);
  });

  it('5 nodes, some with memory storage (restart from nothing), converge to the leader state', TIMEOUT, () => {
    runAll('5 nodes, mixed storage', { ...CHAOS, nodes: 5, storage: 'mixed' }, 3000, 75, 1000);
  });
});

describe('raft core under random faults and membership changes', () => {
  // Removed nodes keep running here (they may never learn they were removed) and must not
  // disturb the cluster.
  it('3 durable nodes growing, shrinking and replacing members', TIMEOUT, () => {
    const options = { ...CHAOS, nodes: 3, storage: 'durable', membership: { ...MEMBERSHIP, stopRemoved: false } } as const;
    const totals = runAll('membership, 3 durable nodes', options, 10_000, 700, 500);
    expect(totals.configurationChanges / totals.schedules).toBeGreaterThan(1);
  });

  it('5 durable nodes growing, shrinking and replacing members', TIMEOUT, () => {
    const options = { ...CHAOS, nodes: 5, storage: 'durable', membership: { ...MEMBERSHIP, stopRemoved: false } } as const;
    const totals = runAll('membership, 5 durable nodes', options, 20_000, 350, 500);
    expect(totals.configurationChanges / totals.schedules).toBeGreaterThan(1);
  });

  // Memory nodes restart from nothing, configuration included (back to the bootstrap list), so
  // removed nodes are stopped once their removal commits, as an operator would.
  it('3 and 5 nodes with memory storage among them, members changing', TIMEOUT, () => {
    const membership = { ...MEMBERSHIP, stopRemoved: true };
    const three = runAll('membership, 3 nodes, mixed storage', { ...CHAOS, nodes: 3, storage: 'mixed', membership }, 30_000, 350, 500);
    const five = runAll('membership, 5 nodes, mixed storage', { ...CHAOS, nodes: 5, storage: 'mixed', membership }, 40_000, 350, 500);
    expect((three.configurationChanges + five.configurationChanges) / (three.schedules + five.schedules)).toBeGreaterThan(1);
  });
});
