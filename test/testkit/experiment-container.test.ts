/**
 * A failure experiment on the container runtime: real Docker kills, freezes and network cuts
 * (the leader moved to a network of its own), SQLite nodes. Skipped with the reason when no
 * Docker engine is reachable, except in CI, where it must run.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ReplimqCluster } from '../../client/src/cluster.js';
import { containerSkipReason } from './support/environment.js';
import { ensureEngineInCi, ensureImage } from './support/image.js';

describe.skipIf(containerSkipReason !== undefined)(`failure experiment on the container runtime${containerSkipReason ? ` (skipped: ${containerSkipReason})` : ''}`, () => {
  beforeAll(async () => {
    await ensureEngineInCi();
    ensureImage();
  }, 300_000);

  it('majority and all keep their promise through Docker kills, pauses and a cut-off leader', async () => {
    await using cluster = await new ReplimqCluster(3).withRuntime('container').withStorage('sqlite').start();
    const result = await cluster.experiment({
      seed: 31,
      durationMs: 12_000,
      workload: { rate: 20 },
      nemesis: { faults: ['kill', 'pause', 'partition-leader'], holdMs: { min: 1_500, max: 2_500 }, healMs: 1_500 },
      ackModes: ['majority', 'all'],
    });
    const verdicts = JSON.stringify(result.summary.byAckMode, (key, value) => (key === 'promise' ? undefined : value));
    expect(result.history.faults.length, verdicts).toBeGreaterThanOrEqual(2);
    for (const fault of result.history.faults) expect(fault.error, fault.description).toBeUndefined();
    for (const mode of ['majority', 'all'] as const) {
      expect(result.summary.byAckMode[mode]!.acked, verdicts).toBeGreaterThan(10);
      expect(result.summary.byAckMode[mode]!.lost, verdicts).toBe(0);
      expect(result.summary.byAckMode[mode]!.kept, verdicts).toBe(true);
    }
    expect(result.summary.converged, JSON.stringify(result.summary.digests)).toBe(true);
  }, 180_000);
});
