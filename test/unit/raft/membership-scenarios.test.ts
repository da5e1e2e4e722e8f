/**
 * Membership changes scripted on the simulated network (no random faults): replacing a dead
 * member, a leader crashing in the middle of a change, growing a cluster of one. The per-step
 * safety checks of sim/invariants.ts run here too.
 */
import { describe, expect, it } from 'vitest';
import { voterIds } from '../../../server/src/cluster/raft/index.js';
import { QUIET, SimCluster } from './sim/sim-cluster.js';

/** Three bootstrap nodes n1–n3 and `spares` more (n4, …) started with no configuration. */
function cluster(spares: number, nodes = 3): SimCluster {
  return new SimCluster({
    ...QUIET,
    nodes,
    storage: 'durable',
    seed: 11,
    membership: { spares, changeRate: 0, stopRemoved: false },
  });
}

function votersOf(c: SimCluster, id: string): string[] {
  return voterIds(c.node(id).core!.configuration.configuration);
}

describe('membership scenarios', () => {
  it('replaces a dead member: the new one catches up as a learner, becomes a voter, the dead one leaves', () => {
    const c = cluster(1);
    const leader = c.awaitLeader();
    for (let i = 0; i < 5; i++) c.propose(leader);
    c.run(30);
    const dead = c.nodes.find((n) => n.id !== leader.id && n.id !== 'n4')!;
    c.crash(dead.id, 1_000_000);
    expect(leader.changeMembership({ kind: 'addLearner', id: 'n4', address: 'n4:9326' }, c.now)).toMatchObject({ accepted: true });
    c.runUntil(() => votersOf(c, leader.id).includes('n4'), 500, 'n4 promoted');
    c.runUntil(() => leader.core!.status().configuration.committed, 200, 'promotion committed');
    const removal = leader.changeMembership({ kind: 'remove', id: dead.id }, c.now);
    if (!removal?.accepted) throw new Error('removal refused');
    c.runUntil(() => leader.core!.status().commitIndex >= removal.index, 200, 'removal committed');
    // The dead node is gone for good: writes commit with the leader and n4 / the other survivor.
    const index = c.propose(leader)!;
    c.runUntil(() => leader.core!.status().commitIndex >= index, 200, 'a write commits');
    expect(votersOf(c, leader.id)).not.toContain(dead.id);
    expect(c.node('n4').machine.prefix(index)).toEqual(leader.machine.prefix(index));
  });

  it('a leader that crashes right after appending a change: the cluster settles on one configuration', () => {
    const c = cluster(1);
    const leader = c.awaitLeader();
    c.propose(leader);
    c.run(20);
    const added = leader.changeMembership({ kind: 'addLearner', id: 'n4', address: 'n4:9326', promote: false }, c.now);
    if (!added?.accepted) throw new Error('refused');
    c.crash(leader.id, 30);
    const next = c.awaitLeader(c.nodes.filter((n) => n.id !== leader.id).map((n) => n.id));
    c.propose(next);
    const final = c.converge(2000);
    const configurations = new Set(
      c.membersOf(final).map((n) => JSON.stringify(n.core!.configuration.configuration)),
    );
    expect(configurations.size).toBe(1);
  });

  it('the leader removes itself: it steps down once that commits and the others elect a new leader', () => {
    const c = cluster(0);
    const leader = c.awaitLeader();
    c.propose(leader);
    c.run(20);
    const removal = leader.changeMembership({ kind: 'remove', id: leader.id }, c.now);
    if (!removal?.accepted) throw new Error('refused');
    c.runUntil(() => leader.core!.currentRole !== 'leader', 200, 'old leader steps down');
    const next = c.awaitLeader(c.nodes.filter((n) => n.id !== leader.id).map((n) => n.id));
    expect(voterIds(next.core!.configuration.configuration)).not.toContain(leader.id);
    c.run(500);
    // The removed node never campaigned again: the new leader's term is still the same.
    expect(c.leaders()).toEqual([next]);
  });

  it('grows a cluster of one to three, one server at a time', () => {
    const c = cluster(2, 1);
    const leader = c.awaitLeader();
    c.propose(leader);
    for (const id of ['n2', 'n3']) {
      // The previous change may still be committing: ask again until it is accepted.
      let added = leader.changeMembership({ kind: 'addLearner', id, address: `${id}:9326` }, c.now);
      c.runUntil(() => {
        if (added?.accepted) return true;
        added = leader.changeMembership({ kind: 'addLearner', id, address: `${id}:9326` }, c.now);
        return added?.accepted === true;
      }, 300, `${id} added`);
      c.runUntil(() => votersOf(c, 'n1').includes(id) && leader.core!.status().configuration.committed, 500, `${id} voter`);
    }
    expect(votersOf(c, 'n1')).toEqual(['n1', 'n2', 'n3']);
    const index = c.propose(leader)!;
    c.runUntil(() => leader.core!.replicasHolding(index) === 3, 200, 'three voters hold it');
  });
});
