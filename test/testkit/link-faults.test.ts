/**
 * Link faults on the process runtime: every node reaches every other through the testkit's
 * per-link TCP proxies (in this process), and a fault on one directed link shows in replication.
 */
import { describe, expect, it } from 'vitest';
import { ReplimqCluster } from '../../client/src/cluster.js';
import { InvalidOptionError } from '../../client/src/errors.js';
import { cutAndDegradeLeaderLinks } from './support/link-fault-steps.js';

describe('process runtime: link faults', () => {
  it('a cut leader → follower link stalls that follower alone, heals, and degraded links still replicate', async () => {
    await using cluster = await new ReplimqCluster(3).withRuntime('process').withLinkFaults({ seed: 5 }).start();
    expect(cluster.hasLinkFaults).toBe(true);
    await cutAndDegradeLeaderLinks(cluster);
    expect(() => cluster.link(1, 1)).toThrow(InvalidOptionError);
    await expect(cluster.link(1, 2).loss(1.5)).rejects.toThrow('lossRate must be a number from 0 to 1; got 1.5');
  }, 90_000);

  it('withLinkFaults() checks its seed at once', async () => {
    expect(() => new ReplimqCluster(3).withLinkFaults({ seed: -1 })).toThrow(InvalidOptionError);
  });
});
