/**
 * The raft core's membership rules, each on its own: cores wired by a synchronous message pump
 * (no loss, no delay unless a node is cut off), durable at once, driven tick by tick.
 */
import { describe, expect, it } from 'vitest';
import {
  type ConfigurationAt,
  type Effects,
  type MembershipChange,
  type NodeId,
  RaftCore,
  raftConfig,
  type RaftMessage,
  type RestoredState,
  voterIds,
} from '../../../server/src/cluster/raft/index.js';

interface Sent {
  from: NodeId;
  to: NodeId;
  message: RaftMessage<string>;
}

class Net {
  readonly cores = new Map<NodeId, RaftCore<string>>();
  readonly cut = new Set<NodeId>();
  readonly sent: Sent[] = [];
  private queue: Sent[] = [];
  now = 0;

  /** `n1` times out first (random 0), the others as late as they can. */
  add(id: NodeId, members: readonly NodeId[], restored?: RestoredState, learnerCatchUpEntries = 1000): RaftCore<string> {
    const config = raftConfig<string>(id, members, () => (id === 'n1' ? 0 : 0.99), {
      electionTimeoutMinMs: 100,
      electionTimeoutMaxMs: 200,
      heartbeatIntervalMs: 20,
      freshStartVoteDelayMs: 0,
      learnerCatchUpEntries,
    });
    const core = new RaftCore(config, restored);
    this.cores.set(id, core);
    this.handle(id, core.step({ type: 'tick', now: this.now }));
    return core;
  }

  core(id: NodeId): RaftCore<string> {
    return this.cores.get(id)!;
  }

  /** Carry out effects at once: durable right away, messages queued. */
  handle(id: NodeId, effects: Effects<string>): void {
    const core = this.core(id);
    for (const { to, message } of effects.messages) this.queue.push({ from: id, to, message });
    const durable = effects.entries.at(-1) ?? effects.installSnapshot;
    if (durable !== undefined) this.handle(id, core.step({ type: 'persisted', index: durable.index, term: durable.term }));
  }

  pump(): void {
    while (this.queue.length > 0) {
      const sent = this.queue.shift()!;
      const core = this.cores.get(sent.to);
      if (core === undefined || this.cut.has(sent.from) || this.cut.has(sent.to)) continue;
      this.sent.push(sent);
      this.handle(sent.to, core.step({ type: 'receive', from: sent.from, message: sent.message }));
    }
  }

  /** Time passes in 10 ms ticks, everything delivered after each. */
  run(ms: number): void {
    for (let t = 0; t < ms; t += 10) {
      this.now += 10;
      for (const [id, core] of this.cores) this.handle(id, core.step({ type: 'tick', now: this.now }));
      this.pump();
    }
  }

  change(leader: NodeId, change: MembershipChange): ReturnType<RaftCore<string>['changeMembership']> {
    const result = this.core(leader).changeMembership(change);
    if (result.accepted) this.handle(leader, result.effects);
    this.pump();
    return result;
  }

  propose(leader: NodeId, payload: string): number {
    const proposal = this.core(leader).propose(payload);
    if (!proposal.accepted) throw new Error(`${leader} is not leader`);
    this.handle(leader, proposal.effects);
    this.pump();
    return proposal.index;
  }

  leader(): NodeId | undefined {
    const leaders = [...this.cores].filter(([, core]) => core.currentRole === 'leader').map(([id]) => id);
    return leaders.length === 1 ? leaders[0] : undefined;
  }

  /** Messages of `type` sent by `from` since `since` (an index into `sent`). */
  sentBy(from: NodeId, type: RaftMessage['type'], since = 0): Sent[] {
    return this.sent.slice(since).filter((s) => s.from === from && s.message.type === type);
  }
}

/** n1, n2, n3 (bootstrap), with n1 leading and its first entry committed. */
function threeNodes(): Net {
  const net = new Net();
  for (const id of ['n1', 'n2', 'n3']) net.add(id, ['n1', 'n2', 'n3']);
  net.run(300);
  expect(net.leader()).toBe('n1');
  return net;
}

/** `threeNodes` plus a joining n4 added as a learner (no auto-promotion unless asked). */
function withLearner(promote = false): Net {
  const net = threeNodes();
  net.add('n4', []);
  expect(net.change('n1', { kind: 'addLearner', id: 'n4', address: 'n4:9326', promote })).toMatchObject({ accepted: true });
  net.run(50);
  return net;
}

function roles(configuration: ConfigurationAt): string {
  return configuration.configuration.members.map((m) => `${m.id}:${m.role}`).join(',');
}

describe('membership in the raft core', () => {
  it('a joining node starts with no configuration, never campaigns, and adopts the leader’s', () => {
    const net = threeNodes();
    const joiner = net.add('n4', []);
    expect(joiner.status()).toMatchObject({ member: undefined, configuration: { index: 0, configuration: { members: [] } } });
    const before = net.sent.length;
    net.run(1000);
    expect(net.sentBy('n4', 'preVote', before)).toEqual([]);
    const added = net.change('n1', { kind: 'addLearner', id: 'n4', address: 'n4:9326', promote: false });
    if (!added.accepted) throw new Error(added.error.code);
    net.run(50);
    expect(joiner.status().member).toBe('learner');
    expect(roles(joiner.configuration)).toBe('n1:voter,n2:voter,n3:voter,n4:learner');
    expect(joiner.status().lastIndex).toBe(net.core('n1').status().lastIndex);
  });

  it('the configuration entry hands out the new configuration in the effects, committed or not', () => {
    const net = threeNodes();
    const result = net.core('n1').changeMembership({ kind: 'addLearner', id: 'n4', address: 'n4:9326' });
    if (!result.accepted) throw new Error(result.error.code);
    expect(result.effects.entries).toEqual([
      { index: result.index, term: result.term, payload: null, configuration: result.configuration },
    ]);
    expect(result.effects.configuration).toEqual({ index: result.index, term: result.term, configuration: result.configuration });
    // In effect on the leader before anyone else has it.
    expect(net.core('n1').status().configuration).toMatchObject({ index: result.index, committed: false });
  });

  it('a learner gets the log but counts neither for commit nor for replicasHolding', () => {
    const net = withLearner();
    net.cut.add('n2');
    net.cut.add('n3');
    const index = net.propose('n1', 'x');
    net.run(30);
    expect(net.core('n4').status().lastIndex).toBe(index);
    expect(net.core('n1').replicasHolding(index)).toBe(1);
    expect(net.core('n1').status().commitIndex).toBeLessThan(index);
    net.cut.delete('n2');
    net.run(100);
    expect(net.core('n1').status().commitIndex).toBeGreaterThanOrEqual(index);
    expect(net.core('n1').status().peers.find((p) => p.id === 'n4')?.role).toBe('learner');
  });

  it('a leader that hears only from a learner steps down (check-quorum counts voters)', () => {
    const net = withLearner();
    net.cut.add('n2');
    net.cut.add('n3');
    net.run(450);
    expect(net.core('n1').currentRole).not.toBe('leader');
  });

  it('a learner never campaigns, however long the leader is silent', () => {
    const net = withLearner();
    net.cut.add('n1');
    const before = net.sent.length;
    net.run(2000);
    expect(net.sentBy('n4', 'preVote', before)).toEqual([]);
    expect(net.sentBy('n4', 'vote', before)).toEqual([]);
    expect(net.core('n4').knownLeader).not.toBe('n1'); // it stopped calling n1 the leader
  });

  it('one change at a time: the next waits until the previous configuration entry is committed', () => {
    const net = threeNodes();
    net.cut.add('n2');
    net.cut.add('n3');
    const first = net.change('n1', { kind: 'addLearner', id: 'n4', address: 'n4:9326' });
    if (!first.accepted) throw new Error(first.error.code);
    expect(net.change('n1', { kind: 'addLearner', id: 'n5', address: 'n5:9326' })).toEqual({
      accepted: false,
      error: { code: 'changeInProgress', index: first.index },
    });
    net.cut.delete('n2');
    net.run(100);
    expect(net.change('n1', { kind: 'addLearner', id: 'n5', address: 'n5:9326' })).toMatchObject({ accepted: true });
  });

  it('a new leader changes nothing before an entry of its own term is committed', () => {
    const c = new RaftCore(raftConfig<string>('n1', ['n1', 'n2', 'n3'], () => 0, { freshStartVoteDelayMs: 0 }));
    c.step({ type: 'tick', now: 0 });
    c.step({ type: 'tick', now: 2000 });
    c.step({ type: 'receive', from: 'n2', message: { type: 'preVoteResponse', term: 1, granted: true } });
    const won = c.step({ type: 'receive', from: 'n2', message: { type: 'voteResponse', term: 1, granted: true } });
    expect(won.entries).toEqual([{ index: 1, term: 1, payload: null }]);
    c.step({ type: 'persisted', index: 1, term: 1 });
    // The bootstrap configuration (index 0) is committed, but this term's first entry is not.
    expect(c.changeMembership({ kind: 'remove', id: 'n3' })).toEqual({
      accepted: false,
      error: { code: 'changeInProgress', index: 1 },
    });
    c.step({ type: 'receive', from: 'n2', message: { type: 'appendResponse', term: 1, success: true, match: 1, incarnation: 0 } });
    expect(c.status().commitIndex).toBe(1);
    expect(c.changeMembership({ kind: 'remove', id: 'n3' })).toMatchObject({ accepted: true, index: 2 });
  });

  it('refuses with notLeader, naming the leader, on a follower', () => {
    const net = threeNodes();
    expect(net.core('n2').changeMembership({ kind: 'remove', id: 'n3' })).toEqual({
      accepted: false,
      error: { code: 'notLeader', leader: 'n1' },
    });
  });

  it('promotes a learner added with promote once it has caught up, and not one added without', () => {
    const net = withLearner(true);
    net.run(100);
    expect(roles(net.core('n1').configuration)).toBe('n1:voter,n2:voter,n3:voter,n4:voter');
    expect(net.core('n4').status().member).toBe('voter');
    expect(voterIds(net.core('n2').configuration.configuration)).toEqual(['n1', 'n2', 'n3', 'n4']);

    const manual = withLearner(false);
    manual.run(500);
    expect(manual.core('n1').status().member).toBe('voter');
    expect(manual.core('n4').status().member).toBe('learner');
    expect(manual.change('n1', { kind: 'promote', id: 'n4' })).toMatchObject({ accepted: true });
    manual.run(50);
    expect(manual.core('n4').status().member).toBe('voter');
  });

  it('refuses to promote a learner that has not caught up (as etcd does)', () => {
    const net = threeNodes();
    // n4 is added but never started: it holds nothing.
    expect(net.change('n1', { kind: 'addLearner', id: 'n4', address: 'n4:9326', promote: false })).toMatchObject({
      accepted: true,
    });
    net.run(50);
    const result = net.change('n1', { kind: 'promote', id: 'n4' });
    expect(result).toMatchObject({ accepted: false, error: { code: 'learnerBehind', id: 'n4', match: 0 } });
  });

  it('a removed leader leads until the removal commits without counting itself, then steps down for good', () => {
    const net = threeNodes();
    const removal = net.core('n1').changeMembership({ kind: 'remove', id: 'n1' });
    if (!removal.accepted) throw new Error(removal.error.code);
    // Still the leader, no longer a voter: its own copy does not count.
    expect(net.core('n1').currentRole).toBe('leader');
    expect(net.core('n1').replicasHolding(removal.index)).toBe(0);
    net.handle('n1', removal.effects);
    net.pump();
    net.run(20);
    expect(net.core('n1').currentRole).toBe('follower');
    expect(net.core('n1').status()).toMatchObject({ member: undefined, configuration: { committed: true } });
    const before = net.sent.length;
    net.run(1500);
    expect(net.sentBy('n1', 'preVote', before)).toEqual([]);
    expect(['n2', 'n3']).toContain(net.leader());
  });

  it('keeps feeding a removed member until its removal commits, so it hears of it', () => {
    const net = threeNodes();
    net.cut.add('n2');
    const removal = net.change('n1', { kind: 'remove', id: 'n3' });
    if (!removal.accepted) throw new Error(removal.error.code);
    // n3 still gets the entry that removes it, and is listed as leaving, counted nowhere.
    expect(net.core('n1').status().peers.find((p) => p.id === 'n3')?.role).toBe('leaving');
    expect(net.core('n3').status().member).toBe(undefined);
    expect(net.core('n1').status().commitIndex).toBeLessThan(removal.index);
    net.cut.delete('n2');
    net.run(100);
    expect(net.core('n1').status().peers.map((p) => p.id)).toEqual(['n2']);
  });

  it('members that know a leader ignore vote requests from non-voters; without a leader they answer', () => {
    const net = threeNodes();
    // Past the leader lease (which ignores every vote request), still following n1.
    net.cut.add('n1');
    net.run(150);
    expect(net.core('n2').knownLeader).toBe('n1');
    const request: RaftMessage<string> = { type: 'vote', term: 99, lastIndex: 99, lastTerm: 99 };
    const ignored = net.core('n2').step({ type: 'receive', from: 'n9', message: request });
    expect(ignored.messages).toEqual([]);
    expect(net.core('n2').currentTerm).toBeLessThan(99);
    const lonely = new Net();
    const core = lonely.add('n2', ['n1', 'n2', 'n3']);
    const answered = core.step({ type: 'receive', from: 'n9', message: request });
    expect(answered.messages).toEqual([{ to: 'n9', message: { type: 'voteResponse', term: 99, granted: true } }]);
  });

  it('counts only the votes of its configuration’s voters', () => {
    const c = new RaftCore(raftConfig<string>('n1', ['n1', 'n2', 'n3'], () => 0, { freshStartVoteDelayMs: 0 }));
    c.step({ type: 'tick', now: 0 });
    c.step({ type: 'tick', now: 2000 });
    expect(c.currentRole).toBe('preCandidate');
    // A granted answer from a non-voter (n9) does not make a majority.
    c.step({ type: 'receive', from: 'n9', message: { type: 'preVoteResponse', term: 1, granted: true } });
    expect(c.currentRole).toBe('preCandidate');
    c.step({ type: 'receive', from: 'n2', message: { type: 'preVoteResponse', term: 1, granted: true } });
    expect(c.currentRole).toBe('candidate');
  });

  it('term owners are checked only between nodes of the same configuration', () => {
    const voter = new RaftCore(raftConfig<string>('n2', ['n1', 'n2', 'n3'], () => 0, { freshStartVoteDelayMs: 0 }));
    voter.step({ type: 'tick', now: 0 });
    // Term 3 belongs to n3 in the bootstrap configuration: n1 asking under it is misconfigured.
    const sameConfig = voter.step({ type: 'receive', from: 'n1', message: { type: 'preVote', term: 3, lastIndex: 0, lastTerm: 0 } });
    expect(sameConfig.messages).toEqual([]);
    // Under another configuration (n1's is at index 7) the owners differ: the vote decides.
    const otherConfig = voter.step({
      type: 'receive',
      from: 'n1',
      message: { type: 'preVote', term: 3, lastIndex: 0, lastTerm: 0, config: { index: 7, term: 2 } },
    });
    expect(otherConfig.messages).toEqual([{ to: 'n1', message: { type: 'preVoteResponse', term: 3, granted: true } }]);
  });

  it('a snapshot carries the configuration, and the follower installs it with the state', () => {
    const net = withLearner();
    const configuration = net.core('n1').configuration;
    const fresh = new RaftCore(raftConfig<string>('n5', [], () => 0));
    fresh.step({ type: 'tick', now: 0 });
    const installed = fresh.step({
      type: 'receive',
      from: 'n1',
      message: { type: 'snapshot', term: 1, snapshot: { index: 9, term: 1 }, configuration },
    });
    expect(installed.installSnapshot).toEqual({ from: 'n1', index: 9, term: 1, configuration });
    expect(installed.configuration).toEqual(configuration);
    expect(fresh.configuration).toEqual(configuration);
  });

  it('a restarted node uses the configuration stored with its state, not the bootstrap list', () => {
    const stored: ConfigurationAt = {
      index: 5,
      term: 1,
      configuration: { members: [{ id: 'n2', address: 'b:1', role: 'voter' }, { id: 'n3', address: 'c:1', role: 'voter' }] },
    };
    const restored: RestoredState = { term: 1, votedFor: null, snapshot: { index: 6, term: 1 }, configuration: stored };
    const removed = new RaftCore(raftConfig<string>('n1', ['n1', 'n2', 'n3'], () => 0, { freshStartVoteDelayMs: 0 }), restored);
    expect(removed.status()).toMatchObject({ member: undefined, configuration: { index: 5, committed: false } });
    const n2 = new RaftCore(raftConfig<string>('n2', ['n1', 'n2', 'n3'], () => 0, { freshStartVoteDelayMs: 0 }), restored);
    n2.step({ type: 'tick', now: 0 });
    const campaign = n2.step({ type: 'tick', now: 2000 });
    // It asks n3 only: n1 is no voter of its configuration.
    expect(campaign.messages.map((m) => m.to)).toEqual(['n3']);
  });

  it('a node removed by a change it does not know committed may campaign; once it knows, never', () => {
    // n1 removed itself at index 5 and restarted before hearing the change committed.
    const configuration: ConfigurationAt = {
      index: 5,
      term: 1,
      configuration: { members: [{ id: 'n2', address: '', role: 'voter' }, { id: 'n3', address: '', role: 'voter' }] },
    };
    const restored: RestoredState = { term: 1, votedFor: 'n1', snapshot: { index: 5, term: 1 }, configuration };
    const n1 = new RaftCore(raftConfig<string>('n1', ['n1', 'n2', 'n3'], () => 0, { freshStartVoteDelayMs: 0 }), restored);
    n1.step({ type: 'tick', now: 0 });
    const campaign = n1.step({ type: 'tick', now: 2000 });
    expect(campaign.messages.map((m) => `${m.to}:${m.message.type}`)).toEqual(['n2:preVote', 'n3:preVote']);
    const term = (campaign.messages[0]!.message as { term: number }).term;
    // Its own vote does not count: it needs both n2 and n3 (a majority of the new voters).
    n1.step({ type: 'receive', from: 'n2', message: { type: 'preVoteResponse', term, granted: true } });
    expect(n1.currentRole).toBe('preCandidate');
    n1.step({ type: 'receive', from: 'n3', message: { type: 'preVoteResponse', term, granted: true } });
    expect(n1.currentRole).toBe('candidate');
  });
});
