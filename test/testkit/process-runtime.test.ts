/**
 * The testkit on the process runtime (nodes as child processes on 127.0.0.1): always runs, no
 * Docker needed.
 */
import { describe, expect, it } from 'vitest';
import { ReplimqCluster } from '../../client/src/cluster.js';
import { waitFor } from '../../client/src/clock.js';
import { ReplimqProcess } from '../../client/src/process-node.js';
import { processAlive, runAndEndWithoutStop } from './support/cleanup-checks.js';
import { defineClusterScenarios } from './support/cluster-scenarios.js';
import { defineSingleNodeScenarios } from './support/single-node-scenarios.js';

describe('process runtime: single node', () => {
  // The container's builder, as the container suite writes it.
  defineSingleNodeScenarios(({ storage, queues }) => {
    const node = new ReplimqProcess().withStorage(storage);
    return (queues ? node.withQueues(queues) : node).start();
  });
});

describe('process runtime: 3-node cluster', () => {
  defineClusterScenarios('process');
});

// Fault rules live in each node's memory. A partition made while a node was down used to fail
// outright (its admin API refused), leaving the rules already set in place with heal() unaware of
// them; and a node restarted during a partition came back without its part of the cut.
describe('process runtime: partitions with nodes down', () => {
  it('a partition made while a follower is down holds for it when it is back, and heal() reaches a frozen node', async () => {
    await using cluster = await new ReplimqCluster(3).withRuntime('process').start();
    const leader = cluster.numberOf(await cluster.leader());
    const [down, other] = [1, 2, 3].filter((number) => number !== leader) as [number, number];
    const cutOffFromLeader = { dropTo: [`n${leader}`], dropFrom: [`n${leader}`] };
    await cluster.kill(down);
    await cluster.partition([leader], [down, other]);
    await cluster.restart(down);
    expect(await cluster.node(down).admin().faults()).toMatchObject(cutOffFromLeader);
    await cluster.leader({ among: [down, other] });
    await cluster.pause(other);
    await cluster.heal();
    await cluster.unpause(other);
    expect(await cluster.node(other).admin().faults()).toMatchObject({ dropTo: [], dropFrom: [] });
    await cluster.waitForConvergence({ timeoutMs: 20_000 });
  }, 60_000);
});

describe('process runtime: cleanup', () => {
  it('stop() ends every node process', async () => {
    const node = await new ReplimqProcess().start();
    const pid = node.pid!;
    expect(processAlive(pid)).toBe(true);
    await node.stop();
    expect(processAlive(pid)).toBe(false);
  });

  it.each(['exit', 'SIGTERM'] as const)('kills the node a test forgot to stop when its process ends by %s', async (ending) => {
    const pid = Number(runAndEndWithoutStop('const node = await new testkit.ReplimqProcess().start(); console.log(node.pid);', ending));
    expect(pid).toBeGreaterThan(0);
    // SIGKILL was sent as the test process ended; the kernel ends (and init reaps) the node just after.
    const gone = await waitFor('the forgotten node to be gone', async () => (processAlive(pid) ? undefined : true), { timeoutMs: 10_000 }).catch(() => false);
    expect(gone).toBe(true);
  });
});
