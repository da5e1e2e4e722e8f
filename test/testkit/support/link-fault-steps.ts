/**
 * What both runtimes' link fault tests check on a cluster started `withLinkFaults()`: the
 * leader's replication to one follower stops when its link to that follower is cut (the other
 * follower, and the way back, untouched), resumes on heal, and survives latency, jitter and loss.
 */
import { expect } from 'vitest';
import { commitOf } from '../../../client/src/commit-log.js';
import type { StartedReplimqCluster } from '../../../client/src/started-cluster.js';
import { createQueue, send } from './sqs-steps.js';

export async function cutAndDegradeLeaderLinks(cluster: StartedReplimqCluster): Promise<{ leader: number; followers: [number, number] }> {
  const leader = cluster.numberOf(await cluster.leader());
  const followers = [1, 2, 3].filter((number) => number !== leader) as [number, number];
  const [cut, other] = followers;
  // Every peer address goes through a proxy: the leader's links carry its connections.
  await expect.poll(async () => (await cluster.linkStates()).find((link) => link.from === `n${leader}` && link.to === `n${cut}`)?.connections, { timeout: 10_000 }).toBeGreaterThan(0);

  await cluster.link(leader, cut).cut();
  const sqs = cluster.node(leader).sqsClient();
  const queueUrl = await createQueue(sqs, 'links');
  const during = await send(sqs, queueUrl, 'during the cut');
  const { logIndex } = commitOf(during)!;
  await cluster.expectReplicated(during, { on: 'majority', timeoutMs: 10_000 });
  const lag = await cluster.replicationLag();
  // The other follower has it; the cut one cannot, since nothing the leader sends it arrives.
  expect(lag[other - 1]!.appliedIndex).toBeGreaterThanOrEqual(logIndex);
  expect(lag[cut - 1]!.appliedIndex ?? 0).toBeLessThan(logIndex);
  expect(cluster.link(leader, cut).faults).toEqual({ cut: true });
  expect(cluster.link(cut, leader).faults).toEqual({});
  // A follower that only stops hearing the leader elects no one: the other follower still does.
  expect(cluster.numberOf(await cluster.leader())).toBe(leader);

  await cluster.link(leader, cut).heal();
  await cluster.expectReplicated(during, { on: 'all', timeoutMs: 20_000 });

  // Degraded rather than cut: replication slows, and still reaches everyone.
  await cluster.link(leader, cut).latency(40, { jitterMs: 20 });
  await cluster.link(leader, other).loss(0.2, { retransmitMs: 50 });
  await cluster.link(other, leader).bandwidth(200_000);
  expect(cluster.link(leader, other).faults).toEqual({ lossRate: 0.2, retransmitMs: 50 });
  const degraded = await send(sqs, queueUrl, 'over degraded links');
  await cluster.expectReplicated(degraded, { on: 'all', timeoutMs: 20_000 });
  await cluster.healLinks();
  expect((await cluster.linkStates()).every((link) => Object.keys(link.faults).length === 0)).toBe(true);
  await cluster.waitForConvergence({ timeoutMs: 20_000 });
  return { leader, followers };
}
