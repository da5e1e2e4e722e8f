/**
 * Link faults on the process runtime: every node reaches every other through the testkit's
 * per-link TCP proxies (in this process), and a fault on one directed link shows in replication;
 * the experiment's nemesis degrades links the same way. One cluster for the file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplimqCluster } from '../../client/src/cluster.js';
import { InvalidOptionError } from '../../client/src/errors.js';
import type { StartedReplimqCluster } from '../../client/src/started-cluster.js';
import { cutAndDegradeLeaderLinks } from './support/link-fault-steps.js';

describe('process runtime: link faults', () => {
  let cluster: StartedReplimqCluster;
  beforeAll(async () => {
    cluster = await new ReplimqCluster(3).withRuntime('process').withLinkFaults({ seed: 5 }).start();
  }, 60_000);
  afterAll(() => cluster?.stop());

  it('a cut leader → follower link stalls that follower alone, heals, and degraded links still replicate', async () => {
    expect(cluster.hasLinkFaults).toBe(true);
    await cutAndDegradeLeaderLinks(cluster);
    expect(() => cluster.link(1, 1)).toThrow(InvalidOptionError);
    await expect(cluster.link(1, 2).loss(1.5)).rejects.toThrow('lossRate must be a number from 0 to 1; got 1.5');
  }, 90_000);

  it('the nemesis degrades directed links (latency, loss), records them, and majority keeps its promise', async () => {
    const result = await cluster.experiment({
      seed: 12,
      durationMs: 6_000,
      workload: { rate: 15, producers: 2, consumers: 2 },
      nemesis: { faults: ['link-latency', 'link-loss'], holdMs: 1_500, healMs: 500 },
      ackModes: ['majority'],
    });
    const faults = result.history.faults;
    expect(faults.length).toBeGreaterThanOrEqual(2);
    for (const fault of faults) {
      expect(fault.error, fault.description).toBeUndefined();
      expect(fault.description).toMatch(/^link n\d.* → n\d: (latency|\d)/);
      expect(fault.nodes).toHaveLength(2);
    }
    expect(result.summary.byAckMode.majority).toMatchObject({ lost: 0, kept: true });
    expect(result.summary.converged).toBe(true);
    expect((await cluster.linkStates()).every((link) => Object.keys(link.faults).length === 0)).toBe(true);
  }, 90_000);

  it('withLinkFaults() checks its seed at once', () => {
    expect(() => new ReplimqCluster(3).withLinkFaults({ seed: -1 })).toThrow(InvalidOptionError);
  });
});
