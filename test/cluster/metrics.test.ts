/**
 * `/metrics` on a real 3-node cluster: peer connectivity means what it says. Followers never
 * talk to each other, so a follower reports only its leader, and a healthy cluster shows no 0 an
 * alert could fire on; a cut follower shows 0 on the leader.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalCluster, type ClusterNode } from './local-cluster.js';
import { samplesOf } from '../support/prometheus-text.js';
import { waitFor } from './wait-for.js';

describe('cluster metrics', () => {
  let cluster: LocalCluster;

  beforeAll(async () => {
    cluster = await LocalCluster.start({ size: 3 });
    await cluster.waitForHealthy();
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  const connectivity = async (node: ClusterNode): Promise<Record<string, number>> => {
    const text = await (await fetch(`${node.adminUrl}/metrics`)).text();
    const byPeer: Record<string, number> = {};
    for (const sample of samplesOf(text, 'replimq_raft_peer_connected', { node: node.id })) byPeer[sample.labels.peer!] = sample.value;
    return byPeer;
  };

  it('reports every follower on the leader and only the leader on a follower, all connected', async () => {
    const leader = await cluster.leader();
    const followers = await cluster.followers();
    await waitFor('every node reports its peers connected', async () => {
      expect(await connectivity(leader)).toEqual(Object.fromEntries(followers.map((follower) => [follower.id, 1])));
      for (const follower of followers) expect(await connectivity(follower)).toEqual({ [leader.id]: 1 });
      return true;
    });
  });

  it('shows 0 on the leader for a follower it can no longer reach', async () => {
    const leader = await cluster.leader();
    const [cut, kept] = await cluster.followers();
    await cluster.partition([cut!], [leader, kept!]);
    try {
      await waitFor(`the leader reports ${cut!.id} disconnected`, async () => {
        expect(await connectivity(leader)).toEqual({ [cut!.id]: 0, [kept!.id]: 1 });
        return true;
      }, { timeoutMs: 15_000 });
    } finally {
      await cluster.heal();
    }
  });
});
