/**
 * The assertions on a shared-db group (client/src/shared-db-checks.ts): the database holds the one
 * copy, so "on a node" means "in the database and served through the active node that node names",
 * and convergence means the active node holds what the database holds.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterStatus } from '../../../client/src/admin-client.js';
import type { NodeReport, NodeState } from '../../../client/src/cluster-view.js';
import { divergence } from '../../../client/src/convergence.js';
import { agreedActive, sharedDbHolders, sharedDbLag } from '../../../client/src/shared-db-checks.js';

function report(nodeId: string, status: Partial<ClusterStatus>, state: NodeState = 'running'): NodeReport {
  const number = Number(nodeId.slice(1));
  if (state !== 'running') return { number, nodeId, state, error: `node is ${state}` };
  // A standby reports its own (stale) index: only the active node's counts.
  return {
    number,
    nodeId,
    state,
    queues: [],
    status: { nodeId, role: 'follower', mode: 'shared-db', term: 4, leaderId: 'n1', appliedIndex: 0, commitIndex: 0, peers: [], ...status },
  };
}

const active = report('n1', { role: 'leader', appliedIndex: 12, commitIndex: 12 });
const group = [active, report('n2', {}), report('n3', {})];

describe('shared-db: where a commit is', () => {
  it('is on every node naming the active node once the database holds it', () => {
    expect(sharedDbHolders(group, 12, 12)).toEqual(['n1', 'n2', 'n3']);
    expect(sharedDbHolders(group, 9, 12)).toEqual(['n1', 'n2', 'n3']);
  });

  it('is on no node while the database lacks it, whatever the active node holds in memory', () => {
    expect(sharedDbHolders(group, 12, 11)).toEqual([]);
    expect(sharedDbHolders(group, 12, { error: 'connection refused' })).toEqual([]);
  });

  it('counts only the nodes that name the active node; without a database view the active node stands in', () => {
    const split = [active, report('n2', {}), report('n3', { leaderId: 'n3', role: 'leader' })];
    expect(agreedActive(split)).toBeUndefined();
    expect(sharedDbHolders(split, 12, 12)).toEqual([]);
    const oneDown = [active, report('n2', {}), report('n3', {}, 'killed')];
    expect(sharedDbHolders(oneDown, 12, undefined)).toEqual(['n1', 'n2']);
    expect(sharedDbHolders(oneDown, 13, undefined)).toEqual([]);
  });
});

describe('shared-db: convergence', () => {
  it('holds when every node names a running active node that applied what the database holds', () => {
    expect(divergence(group, 12)).toBeUndefined();
    expect(divergence(group, undefined)).toBeUndefined();
  });

  it('names an active node that is down, not active, behind or ahead of the database, or a database that does not answer', () => {
    expect(divergence([report('n1', {}, 'killed'), report('n2', {}), report('n3', {})], 12)).toBe('n1, the active node the others name, is not running');
    expect(divergence([report('n1', {}), report('n2', {}), report('n3', {})], 12)).toBe('n1 is named active but reports itself follower');
    expect(divergence(group, 13)).toBe('the active n1 applied 12, the database holds 13');
    expect(divergence(group, { error: 'ECONNREFUSED' })).toBe('the database does not answer (ECONNREFUSED)');
    expect(divergence([active, report('n2', { leaderId: 'n3' }), report('n3', {})], 12)).toBe('n2 follows n3, n1 follows n1');
  });
});

describe('shared-db: replication lag', () => {
  it('is the active node\'s, behind the database, for every node naming it (not the standbys\' own empty state)', () => {
    const lags = sharedDbLag([active, report('n2', {}), report('n3', {}, 'paused')], 15);
    expect(lags.map(({ nodeId, appliedIndex, lag }) => ({ nodeId, appliedIndex, lag }))).toEqual([
      { nodeId: 'n1', appliedIndex: 12, lag: 3 },
      { nodeId: 'n2', appliedIndex: 12, lag: 3 },
      { nodeId: 'n3', appliedIndex: undefined, lag: undefined },
    ]);
    expect(sharedDbLag(group, undefined).map((line) => line.lag)).toEqual([0, 0, 0]);
  });
});
