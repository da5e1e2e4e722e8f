/**
 * Link faults on the container runtime: the per-link proxies run in a sidecar container of the
 * replimq image on the cluster's network, and a partition is made of link cuts there (nodes reach
 * each other through the sidecar, so moving networks would cut a side off from itself). One
 * cluster for the file; its stop() removes the sidecar with the nodes. Skipped with the reason
 * when no Docker engine is reachable, except in CI.
 */
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReplimqCluster } from '../../client/src/cluster.js';
import type { StartedReplimqContainer } from '../../client/src/container.js';
import type { StartedReplimqCluster } from '../../client/src/started-cluster.js';
import { dockerObjectExists, networksOf } from './support/cleanup-checks.js';
import { containerSkipReason } from './support/environment.js';
import { ensureEngineInCi, ensureImage } from './support/image.js';
import { cutAndDegradeLeaderLinks } from './support/link-fault-steps.js';

describe.skipIf(containerSkipReason !== undefined)(`container runtime: link faults${containerSkipReason ? ` (skipped: ${containerSkipReason})` : ''}`, () => {
  beforeAll(async () => {
    await ensureEngineInCi();
    ensureImage();
  }, 300_000);

  it('links through the sidecar: a cut link stalls one follower, degraded links replicate, a partition of link cuts elects on the majority side', async () => {
    const cluster = await new ReplimqCluster(3).withRuntime('container').withLinkFaults({ seed: 9 }).start();
    const [network] = networksOf((cluster.node(1) as StartedReplimqContainer).getId());
    // The three nodes and the sidecar.
    const containers = execFileSync('docker', ['ps', '-q', '--no-trunc', '--filter', `network=${network}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(containers).toHaveLength(4);
    try {
      await scenario(cluster);
    } finally {
      await cluster.stop();
    }
    expect(containers.filter((id) => dockerObjectExists('container', id))).toEqual([]);
  }, 180_000);

  async function scenario(cluster: StartedReplimqCluster): Promise<void> {
    const { leader, followers } = await cutAndDegradeLeaderLinks(cluster);

    await cluster.partition([leader]);
    expect(cluster.link(leader, followers[0]).faults).toEqual({});
    expect((await cluster.linkStates()).filter((link) => link.faults.cut).length).toBe(4);
    const successor = cluster.numberOf(await cluster.leader({ among: followers, timeoutMs: 20_000 }));
    expect(followers).toContain(successor);
    await cluster.heal();
    expect((await cluster.linkStates()).some((link) => link.faults.cut)).toBe(false);
    await cluster.waitForConvergence({ timeoutMs: 30_000 });
  }
});
