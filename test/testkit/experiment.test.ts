/**
 * A whole failure experiment on a 3-node process cluster: ~20 s of seeded workload and faults,
 * heal-and-drain, the checked history. `majority` and `all` must keep their promise — nothing
 * acknowledged lost, no FIFO order or deduplication violation, no phantom — and every node must
 * end with the same state. (`none` and `one` may lose what they acknowledged; that is reported.)
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReplimqCluster } from '../../client/src/cluster.js';
import type { ExperimentOptions } from '../../client/src/experiment/options.js';
import { resolveExperiment } from '../../client/src/experiment/options.js';
import { planExperiment } from '../../client/src/experiment/plan.js';

const options: ExperimentOptions = {
  seed: 20261203,
  durationMs: 20_000,
  workload: { rate: 25, receiveRate: 25 },
  nemesis: { holdMs: { min: 1_500, max: 3_000 }, healMs: { min: 1_500, max: 2_500 } },
};

describe('failure experiment on the process runtime', () => {
  it('majority and all keep their promise through kills, pauses, partitions, one-way drops and delays', async () => {
    await using cluster = await new ReplimqCluster(3).withRuntime('process').start();
    const progress: string[] = [];
    const result = await cluster.experiment({ ...options, onProgress: (line) => progress.push(line.phase) });
    const { summary, history } = result;
    const verdicts = JSON.stringify(summary.byAckMode, (key, value) => (key === 'promise' ? undefined : value));

    // The schedule is the seed's, whatever the run met.
    expect(result.seed).toBe(options.seed);
    expect(result.schedule).toEqual(planExperiment(resolveExperiment(options, { nodes: 3, storage: 'memory' })).faults);
    expect(result.schedule.length).toBeGreaterThanOrEqual(3);

    // Every fault was started and healed, in order, and recorded with the nodes it hit.
    expect(history.faults.map((fault) => fault.index)).toEqual(result.schedule.slice(0, history.faults.length).map((fault) => fault.index));
    for (const fault of history.faults) {
      expect(fault.error, fault.description).toBeUndefined();
      expect(fault.endMs).toBeGreaterThan(fault.startMs);
      expect(fault.nodes.length).toBeGreaterThan(0);
    }

    // The history has the answer headers of acknowledged writes.
    const majoritySends = history.operations.filter((operation) => operation.queue.startsWith('majority-') && operation.kind.startsWith('send') && operation.outcome === 'ok');
    expect(majoritySends.length).toBeGreaterThan(20);
    for (const send of majoritySends) {
      expect(send.logIndex).toBeGreaterThan(0);
      expect(send.replicas).toBeGreaterThanOrEqual(2);
    }

    for (const mode of ['majority', 'all'] as const) {
      const verdict = summary.byAckMode[mode]!;
      expect(verdict.acked, verdicts).toBeGreaterThan(20);
      expect(verdict.lost, verdicts).toBe(0);
      expect(verdict.unexpected, verdicts).toBe(0);
      expect(verdict.redeliveredAfterDelete, verdicts).toBe(0);
      expect(verdict.orderViolations, verdicts).toBe(0);
      expect(verdict.dedupViolations, verdicts).toBe(0);
      expect(verdict.kept, verdicts).toBe(true);
    }
    for (const verdict of Object.values(summary.byAckMode)) {
      expect(verdict.phantoms, verdicts).toBe(0);
      expect(verdict.corrupted, verdicts).toBe(0);
    }
    expect(summary.drained, summary.undrainedQueues.join(', ')).toBe(true);
    expect(summary.converged, JSON.stringify(summary.digests)).toBe(true);
    expect(progress).toContain('workload');
    expect(progress.at(-1)).toBe('done');

    const dir = await mkdtemp(join(tmpdir(), 'replimq-experiment-'));
    try {
      const files = await result.writeReport(dir);
      expect(await readFile(files.html, 'utf8')).toContain(`seed ${options.seed}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
