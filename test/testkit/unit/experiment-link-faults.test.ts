/**
 * The nemesis's link faults in the plan: possible only on a cluster started withLinkFaults(),
 * drawn from the seed like every other fault, each naming a directed link and how it degrades.
 */
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../../client/src/errors.js';
import { resolveExperiment } from '../../../client/src/experiment/options.js';
import { planExperiment } from '../../../client/src/experiment/plan.js';
import { parseExperimentArgs } from '../../../client/src/cli/experiment-args.js';

const linked = { nodes: 3, storage: 'memory', linkFaults: true } as const;

describe('experiment link faults', () => {
  it('are planned from the seed with a link and its degradation, the same for the same seed', () => {
    const options = { seed: 8, durationMs: 120_000, nemesis: { faults: ['link-latency', 'link-loss'] as const, lossRate: { min: 0.1, max: 0.2 } } };
    const faults = planExperiment(resolveExperiment(options, linked)).faults;
    expect(planExperiment(resolveExperiment(structuredClone(options), linked)).faults).toEqual(faults);
    expect(new Set(faults.map((fault) => fault.kind))).toEqual(new Set(['link-latency', 'link-loss']));
    for (const fault of faults) {
      expect(fault.linkOffset).toBeGreaterThanOrEqual(1);
      expect(fault.linkOffset).toBeLessThanOrEqual(2);
      if (fault.kind === 'link-latency') expect(fault.delayMs).toBeGreaterThanOrEqual(100);
      else {
        expect(fault.lossRate).toBeGreaterThanOrEqual(0.1);
        expect(fault.lossRate).toBeLessThanOrEqual(0.2);
      }
    }
  });

  it('are among the defaults only where the cluster has link proxies, and refused elsewhere', () => {
    expect(resolveExperiment({ seed: 1 }, linked).nemesis.faults).toEqual(expect.arrayContaining(['link-latency', 'link-loss']));
    expect(resolveExperiment({ seed: 1 }, { nodes: 3, storage: 'memory' }).nemesis.faults).not.toContain('link-loss');
    expect(() => resolveExperiment({ nemesis: ['link-loss'] }, { nodes: 3, storage: 'memory' })).toThrow(/withLinkFaults\(\)/);
    expect(() => resolveExperiment({ nemesis: { faults: ['link-loss'], lossRate: 1.5 } }, linked)).toThrow(InvalidOptionError);
  });

  it('the command line starts the cluster with link proxies on --link-faults', () => {
    expect(parseExperimentArgs(['--link-faults', '--faults', 'link-latency'])).toMatchObject({ linkFaults: true, experiment: { nemesis: { faults: ['link-latency'] } } });
    expect(parseExperimentArgs([])).toMatchObject({ linkFaults: false });
  });
});
