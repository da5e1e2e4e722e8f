/**
 * Link faults on the container runtime: the per-link proxies run in a sidecar container of the
 * replimq image on the cluster's network, and a partition is made of link cuts there (nodes reach
 * each other through the sidecar, so moving networks would cut a side off from itself). One
 * cluster for the file. Skipped with the reason when no Docker engine is reachable, except in CI.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ReplimqCluster } from '../../client/src/cluster.js';
import { containerSkipReason } from './support/environment.js';
import { ensureEngineInCi, ensureImage } from './support/image.js';
import { cutAndDegradeLeaderLinks } from './support/link-fault-steps.js';

describe.skipIf(containerSkipReason !== undefined)(`container runtime: link faults${containerSkipReason ? ` (skipped: ${containerSkipReason})` : ''}`, () => {
  beforeAll(async () => {
    await ensureEngineInCi();
    ensureImage();
  }, 300_000);

  it('links through the sidecar: a cut link stalls one follower, degraded links replicate, a partition of link cuts elects on the majority side', async () => {
    await using cluster = await new ReplimqCluster(3).withRuntime('container').withLinkFaults({ seed: 9 }).start();
    const { leader, followers } = await cutAndDegradeLeaderLinks(cluster);

    await cluster.partition([leader]);
    expect(cluster.link(leader, followers[0]).faults).toEqual({});
    expect((await cluster.linkStates()).filter((link) => link.faults.cut).length).toBe(4);
    const successor = cluster.numberOf(await cluster.leader({ among: followers, timeoutMs: 20_000 }));
    expect(followers).toContain(successor);
    await cluster.heal();
    expect((await cluster.linkStates()).some((link) => link.faults.cut)).toBe(false);
    await cluster.waitForConvergence({ timeoutMs: 30_000 });
  }, 180_000);
});
