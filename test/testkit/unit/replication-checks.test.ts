import { describe, expect, it } from 'vitest';
import type { ClusterStatus, QueueSummary } from '../../../client/src/admin-client.js';
import { nodeCount, requiredReplicas } from '../../../client/src/assertions.js';
import { commitFromHeaders } from '../../../client/src/commit-log.js';
import type { NodeReport } from '../../../client/src/cluster-view.js';
import { divergence } from '../../../client/src/convergence.js';
import { formationProblem } from '../../../client/src/started-cluster.js';

function report(nodeId: string, status: Partial<ClusterStatus> | undefined, queues: QueueSummary[] = []): NodeReport {
  const number = Number(nodeId.slice(1));
  if (!status) return { number, nodeId, state: 'running', error: 'connection refused' };
  return {
    number,
    nodeId,
    state: 'running',
    queues,
    status: { nodeId, role: 'follower', term: 2, leaderId: 'n1', appliedIndex: 7, commitIndex: 7, peers: [], ...status },
  };
}

const queue = (name: string, visible: number): QueueSummary => ({
  name, accountId: '000000000000', region: 'us-east-1', url: `http://x/${name}`, arn: undefined, fifo: false, visible, inFlight: 0, delayed: 0, deadLetterTargetArn: undefined,
});

describe('ack mode arithmetic', () => {
  it('counts the replicas each mode promises, the leader included', () => {
    expect([1, 2, 3, 5].map((size) => requiredReplicas('none', size))).toEqual([1, 1, 1, 1]);
    expect([1, 2, 3, 5].map((size) => requiredReplicas('one', size))).toEqual([1, 2, 2, 2]);
    expect([1, 2, 3, 5].map((size) => requiredReplicas('majority', size))).toEqual([1, 2, 2, 3]);
    expect([1, 2, 3, 5].map((size) => requiredReplicas('all', size))).toEqual([1, 2, 3, 5]);
    // `all` is every member in the leader's view, and never fewer than a majority.
    expect(requiredReplicas('all', 5, 4)).toBe(4);
    expect(requiredReplicas('all', 5, 1)).toBe(3);
  });

  it('resolves node counts and rejects impossible ones', () => {
    expect(nodeCount('majority', 4)).toBe(3);
    expect(nodeCount('all', 3)).toBe(3);
    expect(nodeCount(2, 3)).toBe(2);
    expect(() => nodeCount(4, 3)).toThrow(/1 to 3/);
  });

  it('reads the commit headers, and nothing from answers without them', () => {
    expect(commitFromHeaders({ 'x-replimq-log-index': '12', 'x-replimq-replicas': '2' })).toEqual({ logIndex: 12, replicas: 2 });
    expect(commitFromHeaders({})).toBeUndefined();
    expect(commitFromHeaders({ 'x-replimq-log-index': 'x', 'x-replimq-replicas': '2' })).toBeUndefined();
  });
});

describe('cluster formation', () => {
  it('is complete when all follow one node that says it leads', () => {
    expect(formationProblem([report('n1', { role: 'leader' }), report('n2', {}), report('n3', {})])).toBeUndefined();
  });

  it('blames the node that does not answer, knows no leader, or follows another', () => {
    expect(formationProblem([report('n1', { role: 'leader' }), report('n2', undefined), report('n3', {})])?.nodeId).toBe('n2');
    expect(formationProblem([report('n1', { role: 'leader' }), report('n2', {}), report('n3', { leaderId: null, role: 'candidate' })])?.nodeId).toBe('n3');
    expect(formationProblem([report('n1', { role: 'leader' }), report('n2', { leaderId: 'n3' }), report('n3', {})])?.nodeId).toBe('n2');
  });

  it('blames a node that leads alone before nodes that are only slow to find a leader', () => {
    // n3 was started with a peer list of its own; n1 and n2 have not elected yet (a loaded machine).
    const alone = [report('n1', { leaderId: null, role: 'candidate' }), report('n2', undefined), report('n3', { role: 'leader', leaderId: 'n3' })];
    expect(formationProblem(alone)?.nodeId).toBe('n3');
    const down: NodeReport = { number: 2, nodeId: 'n2', state: 'killed', error: 'node is killed' };
    expect(formationProblem([report('n1', undefined), down, report('n3', { leaderId: null })])?.nodeId).toBe('n2');
  });

  it('is not complete while the agreed leader does not yet say it leads', () => {
    expect(formationProblem([report('n1', { role: 'candidate' }), report('n2', {})])?.nodeId).toBe('n1');
  });
});

describe('convergence', () => {
  it('holds when leader, applied index and queue counts agree, whatever the URLs', () => {
    const a = report('n1', { role: 'leader' }, [queue('q', 3)]);
    const b = report('n2', {}, [{ ...queue('q', 3), url: 'http://other/q' }]);
    expect(divergence([a, b])).toBeUndefined();
  });

  it('names the first difference', () => {
    const leader = report('n1', { role: 'leader' }, [queue('q', 3)]);
    expect(divergence([leader, report('n2', { appliedIndex: 5 }, [queue('q', 3)])])).toBe('n2 applied 5, n1 applied 7');
    expect(divergence([leader, report('n2', {}, [queue('q', 2)])])).toMatch(/^n2 holds queues .*"visible":2/);
    expect(divergence([leader, report('n2', { leaderId: 'n3' })])).toBe('n2 follows n3, n1 follows n1');
    expect(divergence([leader, report('n2', undefined)])).toBe('n2 does not answer');
  });

  it('ignores nodes the test took down', () => {
    const down: NodeReport = { number: 2, nodeId: 'n2', state: 'killed', error: 'node is killed' };
    expect(divergence([report('n1', { role: 'leader' }), down])).toBeUndefined();
  });
});
