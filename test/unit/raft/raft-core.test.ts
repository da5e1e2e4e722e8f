/**
 * The raft core driven by hand, one event at a time: the exact effects of elections, votes,
 * appends, acknowledgements and snapshots.
 */
import { describe, expect, it } from 'vitest';
import {
  bootstrapConfiguration,
  RaftCore,
  raftConfig,
  type Effects,
  type RaftMessage,
  type RestoredState,
} from '../../../server/src/cluster/raft/index.js';

const MEMBERS = ['n1', 'n2', 'n3'];
/** The bootstrap configuration of MEMBERS, as snapshots carry it. */
const BOOTSTRAP = { index: 0, term: 0, configuration: bootstrapConfiguration(MEMBERS) };

function core(id = 'n1', restored?: RestoredState, members = MEMBERS, freshStartVoteDelayMs = 0): RaftCore<string> {
  const config = raftConfig<string>(id, members, () => 0, {
    electionTimeoutMinMs: 100,
    electionTimeoutMaxMs: 200,
    freshStartVoteDelayMs,
  });
  return new RaftCore(config, restored);
}

function receive(c: RaftCore<string>, from: string, message: RaftMessage<string>): Effects<string> {
  return c.step({ type: 'receive', from, message });
}

function sentTo(effects: Effects<string>, to: string): RaftMessage<string>[] {
  return effects.messages.filter((m) => m.to === to).map((m) => m.message);
}

/** What a campaign sends: vote requests (a node in its fresh-start wait also sends pre-vote
 *  probes as a follower; those change nobody's term). */
function campaignMessages(effects: Effects<string>): RaftMessage<string>[] {
  return effects.messages.map((m) => m.message).filter((message) => message.type === 'vote');
}

/** Makes n1 leader of a 3-node cluster with n2's votes; returns the effects of winning. */
function elect(c: RaftCore<string>): Effects<string> {
  c.step({ type: 'tick', now: 0 });
  const preVote = sentTo(c.step({ type: 'tick', now: 1000 }), 'n2')[0];
  if (preVote?.type !== 'preVote') throw new Error('no pre-vote sent');
  const term = preVote.term;
  expect(term % 3).toBe(1); // n1 owns terms 1, 4, 7, …
  const vote = receive(c, 'n2', { type: 'preVoteResponse', term, granted: true });
  expect(vote.hardState).toEqual({ term, votedFor: 'n1' });
  return receive(c, 'n2', { type: 'voteResponse', term, granted: true });
}

describe('RaftCore', () => {
  it('a cluster of one leads from the first tick and commits once its own write is durable', () => {
    const c = core('n1', undefined, ['n1']);
    const first = c.step({ type: 'tick', now: 0 });
    expect(first.role).toEqual({ role: 'leader', term: 1, leader: 'n1' });
    expect(first.hardState).toEqual({ term: 1, votedFor: 'n1' });
    expect(first.entries).toEqual([{ index: 1, term: 1, payload: null }]);
    expect(c.step({ type: 'persisted', index: 1, term: 1 }).commitIndex).toBe(1);

    const proposal = c.propose('hello');
    if (!proposal.accepted) throw new Error('not accepted');
    expect(proposal.effects.entries).toEqual([{ index: 2, term: 1, payload: 'hello' }]);
    expect(c.replicasHolding(2)).toBe(0);
    const persisted = c.step({ type: 'persisted', index: 2, term: 1 });
    expect(persisted).toMatchObject({ commitIndex: 2, replication: true });
    expect(c.replicasHolding(2)).toBe(1);
  });

  it('a proposal durable on apply counts as persisted in its own step', () => {
    const c = core('n1', undefined, ['n1']);
    c.step({ type: 'tick', now: 0 });
    c.step({ type: 'persisted', index: 1, term: 1 });

    const proposal = c.propose('hello', true);
    if (!proposal.accepted) throw new Error('not accepted');
    expect(proposal.effects).toMatchObject({ entries: [{ index: 2, term: 1, payload: 'hello' }], commitIndex: 2, replication: true });
    expect(c.persistedIndex).toBe(2);
    expect(c.replicasHolding(2)).toBe(1);
    // The same log as with a separate report, which now changes nothing.
    expect(c.entryAt(2)).toEqual({ index: 2, term: 1, payload: 'hello' });
    expect(c.step({ type: 'persisted', index: 2, term: 1 })).toMatchObject({ commitIndex: undefined, replication: false });
  });

  it('a proposal durable on apply still waits for a majority of voters', () => {
    const c = core();
    elect(c);
    const proposal = c.propose('x', true);
    if (!proposal.accepted) throw new Error('not accepted');
    expect(proposal.effects.commitIndex).toBeUndefined();
    expect(c.persistedIndex).toBe(proposal.index);
    expect(c.replicasHolding(proposal.index)).toBe(1);
  });

  it('refuses proposals when not leader, naming the leader it knows', () => {
    const c = core('n2');
    c.step({ type: 'tick', now: 0 });
    receive(c, 'n1', { type: 'heartbeat', term: 1, commit: 0 });
    expect(c.propose('x')).toEqual({ accepted: false, leader: 'n1' });
  });

  it('a new leader appends an entry of its term and probes every follower', () => {
    const won = elect(core());
    expect(won.role).toEqual({ role: 'leader', term: 1, leader: 'n1' });
    expect(won.entries).toEqual([{ index: 1, term: 1, payload: null }]);
    for (const peer of ['n2', 'n3']) {
      expect(sentTo(won, peer)).toEqual([
        { type: 'append', term: 1, prevIndex: 0, prevTerm: 0, entries: [{ index: 1, term: 1, payload: null }], commit: 0 },
      ]);
    }
  });

  it('persists the vote in the same effects that send it (persist before send)', () => {
    const c = core('n2');
    c.step({ type: 'tick', now: 0 });
    const effects = receive(c, 'n1', { type: 'vote', term: 1, lastIndex: 0, lastTerm: 0 });
    expect(effects.hardState).toEqual({ term: 1, votedFor: 'n1' });
    expect(sentTo(effects, 'n1')).toEqual([{ type: 'voteResponse', term: 1, granted: true }]);
    // Term 1 belongs to n1 (term-owners.ts): nobody else may campaign in it.
    expect(receive(c, 'n3', { type: 'vote', term: 1, lastIndex: 5, lastTerm: 1 }).messages).toEqual([]);
    expect(receive(c, 'n3', { type: 'vote', term: 2, lastIndex: 5, lastTerm: 1 }).messages).toEqual([]);
    expect(c.status().term).toBe(1);
  });

  it('a node started without a term neither votes nor campaigns at first (it may have voted before)', () => {
    const c = core('n2', undefined, MEMBERS, 200);
    c.step({ type: 'tick', now: 0 });
    const early = receive(c, 'n1', { type: 'vote', term: 1, lastIndex: 0, lastTerm: 0 });
    expect(sentTo(early, 'n1')).toEqual([{ type: 'voteResponse', term: 1, granted: false }]);
    // Election timer ran out: no campaign (only the probes of the wait, fresh-start-wait.ts).
    expect(campaignMessages(c.step({ type: 'tick', now: 199 }))).toEqual([]);
    expect(c.status().role).toBe('follower');
    // n3 holds entries (the wait cannot end early): refused before 200.
    const later = receive(c, 'n3', { type: 'vote', term: 3, lastIndex: 2, lastTerm: 1 });
    expect(sentTo(later, 'n3')).toEqual([{ type: 'voteResponse', term: 3, granted: false }]);
    c.step({ type: 'tick', now: 200 });
    const free = receive(c, 'n3', { type: 'vote', term: 6, lastIndex: 2, lastTerm: 1 });
    expect(sentTo(free, 'n3')).toEqual([{ type: 'voteResponse', term: 6, granted: true }]);
  });

  it('campaigns once the fresh-start wait is over, not an election timeout after it', () => {
    const c = core('n1', undefined, MEMBERS, 200);
    c.step({ type: 'tick', now: 0 }); // election deadline 100, inside the wait
    expect(campaignMessages(c.step({ type: 'tick', now: 150 }))).toEqual([]);
    expect(c.status().role).toBe('follower');
    const atEnd = c.step({ type: 'tick', now: 200 });
    expect(c.status().role).toBe('preCandidate');
    expect(sentTo(atEnd, 'n2').map((message) => message.type)).toEqual(['preVote']);
  });

  it('a wait that runs out (not ended early) still staggers the first election by term ownership', () => {
    // n3 owns term 3: two steps (half the minimum election timeout each) after term 1's owner.
    const c = core('n3', undefined, MEMBERS, 200);
    c.step({ type: 'tick', now: 0 });
    c.step({ type: 'tick', now: 150 }); // election deadline 100 ran out inside the wait
    expect(campaignMessages(c.step({ type: 'tick', now: 200 }))).toEqual([]);
    expect(c.status().role).toBe('follower');
    c.step({ type: 'tick', now: 299 });
    expect(c.status().role).toBe('follower');
    c.step({ type: 'tick', now: 300 });
    expect(c.status().role).toBe('preCandidate');
  });

  it('a tick that comes late, after the wait ended, still staggers the first election from the wait\'s end', () => {
    const c = core('n3', undefined, MEMBERS, 200);
    c.step({ type: 'tick', now: 0 }); // election deadline 100
    c.step({ type: 'tick', now: 250 }); // the event loop was busy: the wait ended 50 ms ago
    expect(c.status().role).toBe('follower');
    c.step({ type: 'tick', now: 300 }); // 200 + two steps of 50 ms
    expect(c.status().role).toBe('preCandidate');
  });

  it('after a wait that ran out, a node without a term keeps probing; the last voter\'s empty log restarts the first election from then', () => {
    const probe = { type: 'preVote', term: 0, lastIndex: 0, lastTerm: 0, config: { index: 0, term: 0 } } as const;
    const c = core('n3', undefined, MEMBERS, 200);
    c.step({ type: 'tick', now: 0 });
    receive(c, 'n2', probe); // n1 is not up yet
    c.step({ type: 'tick', now: 150 }); // a probe; first election due at 200 + two steps = 300
    c.step({ type: 'tick', now: 200 }); // the wait ran out
    expect(sentTo(c.step({ type: 'tick', now: 250 }), 'n1')).toEqual([probe]);
    expect(sentTo(c.step({ type: 'tick', now: 300 }), 'n1')[0]).toMatchObject({ type: 'preVote', term: 3 });
    expect(c.status().role).toBe('preCandidate');
    // n1, the owner of term 1, is up at last: n3 drops its pre-vote, shows its log at once, and
    // campaigns two steps after n1 would.
    const upAtLast = receive(c, 'n1', probe);
    expect(sentTo(upAtLast, 'n1')).toContainEqual(probe);
    expect(c.status()).toMatchObject({ role: 'follower', term: 0 });
    c.step({ type: 'tick', now: 399 });
    expect(c.status().role).toBe('follower');
    c.step({ type: 'tick', now: 400 });
    expect(c.status().role).toBe('preCandidate');
  });

  it('in the first election, granting the pre-vote of an owner ranked before it puts a node\'s own campaign back by its rank', () => {
    const c = core('n3', undefined, MEMBERS, 200);
    c.step({ type: 'tick', now: 0 });
    c.step({ type: 'tick', now: 150 }); // first election due at 200 + two steps = 300
    c.step({ type: 'tick', now: 290 });
    expect(sentTo(receive(c, 'n1', { type: 'preVote', term: 1, lastIndex: 0, lastTerm: 0 }), 'n1')).toEqual([
      { type: 'preVoteResponse', term: 1, granted: true },
    ]);
    c.step({ type: 'tick', now: 300 });
    expect(c.status().role).toBe('follower');
    c.step({ type: 'tick', now: 390 }); // 290 + two steps
    expect(c.status().role).toBe('preCandidate');
    // A later owner's pre-vote does not hold back an earlier one.
    const d = core('n1', undefined, MEMBERS, 200);
    d.step({ type: 'tick', now: 0 });
    d.step({ type: 'tick', now: 150 }); // due at 200
    d.step({ type: 'tick', now: 190 });
    receive(d, 'n3', { type: 'preVote', term: 3, lastIndex: 0, lastTerm: 0 }); // refused: still waiting
    d.step({ type: 'tick', now: 200 });
    expect(d.status().role).toBe('preCandidate');
  });

  it('in the first election, probes of an owner ranked before it put a node\'s campaign back, for at most one wait', () => {
    const probe = { type: 'preVote', term: 0, lastIndex: 0, lastTerm: 0, config: { index: 0, term: 0 } } as const;
    const c = core('n2', undefined, MEMBERS, 200);
    c.step({ type: 'tick', now: 0 });
    receive(c, 'n3', probe);
    receive(c, 'n1', probe); // every voter seen: the wait ends, n2 campaigns one step (50 ms) later
    c.step({ type: 'tick', now: 40 });
    receive(c, 'n1', probe); // n1 still waits (it has not heard n2 and n3): due at 90 now
    c.step({ type: 'tick', now: 50 });
    expect(c.status().role).toBe('follower');
    // A later owner's probes change nothing.
    receive(c, 'n3', probe);
    c.step({ type: 'tick', now: 90 });
    expect(c.status().role).toBe('preCandidate');
    // n1 probing for good: n2 stands down and waits again, until one wait (200 ms) after its
    // first election was first scheduled (at 0); then it campaigns whatever n1 does.
    receive(c, 'n1', probe);
    expect(c.status().role).toBe('follower');
    for (let now = 100; now < 260; now += 10) {
      if (now < 200) receive(c, 'n1', probe);
      c.step({ type: 'tick', now });
    }
    expect(c.status().role).toBe('preCandidate');
  });

  it('the fresh-start wait also covers messages that arrive before the first tick', () => {
    const c = core('n2', undefined, MEMBERS, 200);
    const early = receive(c, 'n1', { type: 'vote', term: 4, lastIndex: 0, lastTerm: 0 });
    expect(sentTo(early, 'n1')).toEqual([{ type: 'voteResponse', term: 4, granted: false }]);
  });

  it('hearing from a leader ends the fresh-start wait', () => {
    const c = core('n2', undefined, MEMBERS, 10_000);
    c.step({ type: 'tick', now: 0 });
    receive(c, 'n1', { type: 'heartbeat', term: 1, commit: 0 });
    c.step({ type: 'tick', now: 1000 }); // leader silent since: lease over, election due
    expect(c.status().role).toBe('preCandidate');
  });

  it('a node in its fresh-start wait refuses pre-votes, so a candidate it would refuse never raises its term', () => {
    const c = core('n2', undefined, MEMBERS, 200);
    c.step({ type: 'tick', now: 0 });
    const asked = receive(c, 'n1', { type: 'preVote', term: 1, lastIndex: 3, lastTerm: 1 });
    expect(sentTo(asked, 'n1')).toEqual([{ type: 'preVoteResponse', term: 0, granted: false }]);
    c.step({ type: 'tick', now: 200 });
    const after = receive(c, 'n1', { type: 'preVote', term: 1, lastIndex: 3, lastTerm: 1 });
    expect(sentTo(after, 'n1')).toEqual([{ type: 'preVoteResponse', term: 1, granted: true }]);
  });

  it('while waiting, a fresh node probes the other voters with pre-votes as a follower, every heartbeat interval', () => {
    const c = core('n2', undefined, MEMBERS, 10_000);
    const first = c.step({ type: 'tick', now: 0 });
    // Term 0 (nobody's): no answer to a probe can pass for a vote of a later campaign.
    const probe = { type: 'preVote', term: 0, lastIndex: 0, lastTerm: 0, config: { index: 0, term: 0 } };
    expect(sentTo(first, 'n1')).toEqual([probe]);
    expect(sentTo(first, 'n3')).toEqual([probe]);
    expect(c.step({ type: 'tick', now: 50 }).messages).toEqual([]);
    expect(sentTo(c.step({ type: 'tick', now: 100 }), 'n1')).toEqual([probe]);
    // Answers to probes count for nothing: the node is no pre-candidate.
    const answered = receive(c, 'n1', { type: 'preVoteResponse', term: 2, granted: true });
    expect(answered.messages).toEqual([]);
    expect(c.status()).toMatchObject({ role: 'follower', term: 0 });
  });

  it('a grant answering a probe cannot win a later pre-vote: probes ask for term 0, which is refused, and still end the wait', () => {
    // n1 (wait over, term 0, no leader) is asked by n2's probe: refused, and n1 saw n2's log.
    const n1 = core('n1', undefined, MEMBERS, 10_000);
    n1.step({ type: 'tick', now: 0 });
    const probe = { type: 'preVote', term: 0, lastIndex: 0, lastTerm: 0, config: { index: 0, term: 0 } } as const;
    expect(sentTo(receive(n1, 'n2', probe), 'n2')).toEqual([{ type: 'preVoteResponse', term: 0, granted: false }]);
    receive(n1, 'n3', probe); // every voter seen empty: the wait ends, n1 campaigns at once
    n1.step({ type: 'tick', now: 10 });
    expect(n1.status().role).toBe('preCandidate');
    // n2 probes, adopts term 1 from n1's campaign, and campaigns itself later (for term 2): the
    // answers its probes got (term 0 or the responder's term) never match the term it asks for.
    const n2 = core('n2', undefined, MEMBERS, 10_000);
    const probes = n2.step({ type: 'tick', now: 0 });
    expect(sentTo(probes, 'n1').map((m) => m.term)).toEqual([0]);
    receive(n2, 'n1', { type: 'vote', term: 1, lastIndex: 0, lastTerm: 0 });
    n2.step({ type: 'tick', now: 10_000 });
    n2.step({ type: 'tick', now: 10_300 });
    expect(n2.status()).toMatchObject({ role: 'preCandidate', term: 1 });
    receive(n2, 'n1', { type: 'preVoteResponse', term: 0, granted: false });
    expect(n2.status()).toMatchObject({ role: 'preCandidate', term: 1 });
  });

  it('a brand-new cluster ends the wait once every other voter showed an empty log; term 1 owner campaigns at once', () => {
    const c = core('n1', undefined, MEMBERS, 10_000);
    c.step({ type: 'tick', now: 0 });
    receive(c, 'n2', { type: 'preVote', term: 2, lastIndex: 0, lastTerm: 0 });
    expect(campaignMessages(c.step({ type: 'tick', now: 10 }))).toEqual([]);
    expect(c.status().role).toBe('follower');
    // The last voter's probe: nobody holds an entry, so there is nothing the wait could protect.
    const last = receive(c, 'n3', { type: 'preVote', term: 3, lastIndex: 0, lastTerm: 0 });
    expect(sentTo(last, 'n3')).toEqual([{ type: 'preVoteResponse', term: 3, granted: true }]);
    const campaign = c.step({ type: 'tick', now: 20 });
    expect(c.status().role).toBe('preCandidate');
    expect(sentTo(campaign, 'n2')).toEqual([{ type: 'preVote', term: 1, lastIndex: 0, lastTerm: 0, config: { index: 0, term: 0 } }]);
  });

  it('the wait does not end early while any voter showed entries, nor when a voter shown empty has entries since', () => {
    const c = core('n1', undefined, MEMBERS, 10_000);
    c.step({ type: 'tick', now: 0 });
    receive(c, 'n2', { type: 'preVote', term: 2, lastIndex: 0, lastTerm: 0 });
    receive(c, 'n3', { type: 'preVote', term: 3, lastIndex: 0, lastTerm: 0 });
    const d = core('n1', undefined, MEMBERS, 10_000);
    d.step({ type: 'tick', now: 0 });
    receive(d, 'n2', { type: 'preVote', term: 2, lastIndex: 0, lastTerm: 0 });
    receive(d, 'n2', { type: 'vote', term: 2, lastIndex: 4, lastTerm: 2 }); // refused: still waiting
    expect(sentTo(receive(d, 'n3', { type: 'vote', term: 3, lastIndex: 0, lastTerm: 0 }), 'n3')).toEqual([
      { type: 'voteResponse', term: 3, granted: false },
    ]);
    d.step({ type: 'tick', now: 5000 });
    expect(d.status().role).toBe('follower');
    expect(campaignMessages(d.step({ type: 'tick', now: 9000 }))).toEqual([]);
    // c, which saw both empty, campaigned long ago.
    c.step({ type: 'tick', now: 100 });
    expect(c.status().role).toBe('preCandidate');
  });

  it('after an early end, later term owners campaign later: n3 waits two steps of half an election timeout', () => {
    const c = core('n3', undefined, MEMBERS, 10_000); // timeouts 100–200: steps of 50 ms
    c.step({ type: 'tick', now: 0 });
    receive(c, 'n1', { type: 'preVote', term: 1, lastIndex: 0, lastTerm: 0 });
    const ended = receive(c, 'n2', { type: 'preVote', term: 2, lastIndex: 0, lastTerm: 0 });
    // It shows its own log once more to peers that may still be waiting.
    expect(sentTo(ended, 'n1').map((message) => message.type)).toEqual(['preVote']);
    c.step({ type: 'tick', now: 99 });
    expect(c.status().role).toBe('follower');
    c.step({ type: 'tick', now: 100 });
    expect(c.status()).toMatchObject({ role: 'preCandidate', term: 0 });
  });

  it('a first pre-vote refused by peers still waiting is retried a step later, not an election timeout later', () => {
    const c = core('n1', undefined, MEMBERS, 10_000); // timeouts 100–200: steps of 50 ms
    c.step({ type: 'tick', now: 0 });
    receive(c, 'n2', { type: 'preVote', term: 2, lastIndex: 0, lastTerm: 0 });
    receive(c, 'n3', { type: 'preVote', term: 3, lastIndex: 0, lastTerm: 0 });
    c.step({ type: 'tick', now: 10 });
    expect(c.status().role).toBe('preCandidate');
    // Refusals carry the refusing node's own term (0 here) and count for nothing: the pre-vote
    // ends with the timer, which for this first election is a step, not 100–200 ms.
    receive(c, 'n2', { type: 'preVoteResponse', term: 0, granted: false });
    receive(c, 'n3', { type: 'preVoteResponse', term: 0, granted: false });
    expect(c.step({ type: 'tick', now: 59 }).messages).toEqual([]);
    const retried = c.step({ type: 'tick', now: 60 });
    expect(c.status()).toMatchObject({ role: 'preCandidate', term: 0 });
    expect(sentTo(retried, 'n2').map((message) => message.type)).toEqual(['preVote']);
    // Unanswered again: once more a step later; granted, the election goes on as usual.
    expect(sentTo(c.step({ type: 'tick', now: 110 }), 'n3').map((message) => message.type)).toEqual(['preVote']);
    const vote = receive(c, 'n2', { type: 'preVoteResponse', term: 1, granted: true });
    expect(vote.hardState).toEqual({ term: 1, votedFor: 'n1' });
  });

  it('a candidate with an older or shorter log cannot win the vote', () => {
    const c = core('n2', { term: 2, votedFor: null, snapshot: { index: 4, term: 2 } });
    c.step({ type: 'tick', now: 0 });
    const shorter = receive(c, 'n1', { type: 'vote', term: 4, lastIndex: 3, lastTerm: 2 });
    expect(sentTo(shorter, 'n1')).toEqual([{ type: 'voteResponse', term: 4, granted: false }]);
    const older = receive(c, 'n3', { type: 'vote', term: 6, lastIndex: 9, lastTerm: 1 });
    expect(sentTo(older, 'n3')).toEqual([{ type: 'voteResponse', term: 6, granted: false }]);
    const newer = receive(c, 'n3', { type: 'preVote', term: 9, lastIndex: 1, lastTerm: 3 });
    expect(sentTo(newer, 'n3')).toEqual([{ type: 'preVoteResponse', term: 9, granted: true }]);
    expect(c.status().term).toBe(6); // the pre-vote changed nothing
  });

  it('ignores vote requests while a leader was heard from recently (leader lease)', () => {
    const c = core('n2');
    c.step({ type: 'tick', now: 0 });
    receive(c, 'n1', { type: 'heartbeat', term: 1, commit: 0 });
    const effects = receive(c, 'n3', { type: 'vote', term: 3, lastIndex: 0, lastTerm: 0 });
    expect(effects.messages).toEqual([]);
    expect(c.status().term).toBe(1);
    c.step({ type: 'tick', now: 150 }); // lease (100 ms) over, election timer (200 ms) not yet
    expect(sentTo(receive(c, 'n3', { type: 'vote', term: 3, lastIndex: 0, lastTerm: 0 }), 'n3')).toEqual([
      { type: 'voteResponse', term: 3, granted: true },
    ]);
  });

  it('a follower applies at once but acknowledges only once durable', () => {
    const c = core('n2');
    c.step({ type: 'tick', now: 0 });
    const entries = [
      { index: 1, term: 1, payload: null },
      { index: 2, term: 1, payload: 'a' },
    ];
    const appended = receive(c, 'n1', { type: 'append', term: 1, prevIndex: 0, prevTerm: 0, entries, commit: 1 });
    expect(appended.entries).toEqual(entries);
    expect(appended.messages).toEqual([]);
    expect(appended.commitIndex).toBe(1);
    const durable = c.step({ type: 'persisted', index: 2, term: 1 });
    expect(durable.messages).toEqual([
      { to: 'n1', message: { type: 'appendResponse', term: 1, success: true, match: 2, incarnation: 0 } },
    ]);
  });

  it('a follower holding an entry the leader does not have reports divergence', () => {
    const c = core('n2', { term: 2, votedFor: null, snapshot: { index: 5, term: 2 } });
    c.step({ type: 'tick', now: 0 });
    const effects = receive(c, 'n1', { type: 'append', term: 3, prevIndex: 5, prevTerm: 3, entries: [], commit: 0 });
    expect(effects.diverged).toBe(true);
    expect(sentTo(effects, 'n1')).toEqual([
      { type: 'appendResponse', term: 3, success: false, rejectedIndex: 5, lastIndex: 5, lastTerm: 2, incarnation: 0 },
    ]);
  });

  it('the leader resumes right after a shorter follower log, and sends a snapshot to a diverged one', () => {
    const c = core('n1', { term: 1, votedFor: null, snapshot: { index: 3, term: 1 } });
    elect(c);
    // n2 is behind: its log ends at (3, 1), which the leader holds (its snapshot point).
    const behind = receive(c, 'n2', {
      type: 'appendResponse', term: 4, success: false, rejectedIndex: 3, lastIndex: 3, lastTerm: 1, incarnation: 0,
    });
    expect(sentTo(behind, 'n2')).toEqual([
      { type: 'append', term: 4, prevIndex: 3, prevTerm: 1, entries: [{ index: 4, term: 4, payload: null }], commit: 0 },
    ]);
    // n3 holds (4, 1): the leader's index 4 is from term 4, so n3 diverged.
    const diverged = receive(c, 'n3', {
      type: 'appendResponse', term: 4, success: false, rejectedIndex: 3, lastIndex: 4, lastTerm: 1, incarnation: 0,
    });
    expect(sentTo(diverged, 'n3')).toEqual([
      { type: 'snapshot', term: 4, snapshot: { index: 4, term: 4 }, configuration: BOOTSTRAP },
    ]);
    expect(c.status().peers.find((p) => p.id === 'n3')?.state).toBe('snapshot');
  });

  it('a follower installs a snapshot, then acknowledges it once durable', () => {
    const c = core('n2', { term: 1, votedFor: null, snapshot: { index: 7, term: 1 } });
    c.step({ type: 'tick', now: 0 });
    const install = receive(c, 'n1', { type: 'snapshot', term: 2, snapshot: { index: 9, term: 2 } });
    expect(install.installSnapshot).toEqual({ from: 'n1', index: 9, term: 2, configuration: BOOTSTRAP });
    expect(install.messages).toEqual([]);
    // A write of the old state finishing late does not count.
    expect(c.step({ type: 'persisted', index: 7, term: 1 }).messages).toEqual([]);
    expect(sentTo(c.step({ type: 'persisted', index: 9, term: 2 }), 'n1')).toEqual([
      { type: 'appendResponse', term: 2, success: true, match: 9, incarnation: 0 },
    ]);
    expect(c.status()).toMatchObject({ lastIndex: 9, lastTerm: 2, persistedIndex: 9 });
  });

  it('counts an entry of an earlier term as committed only with one of its own term (Raft §5.4.2)', () => {
    const c = core('n1', { term: 1, votedFor: null, snapshot: { index: 2, term: 1 } });
    elect(c); // term 4 (n1's next own term), start-of-term entry at index 3
    c.step({ type: 'persisted', index: 3, term: 4 });
    receive(c, 'n2', { type: 'appendResponse', term: 4, success: true, match: 2, incarnation: 0 });
    expect(c.status().commitIndex).toBe(0); // a majority holds 2, but it is of term 1
    expect(c.replicasHolding(2)).toBe(2);
    const acked = receive(c, 'n2', { type: 'appendResponse', term: 4, success: true, match: 3, incarnation: 0 });
    expect(acked.commitIndex).toBe(3);
  });

  it('forgets what a follower held when it answers from a new incarnation', () => {
    const c = core();
    elect(c);
    c.step({ type: 'persisted', index: 1, term: 1 });
    receive(c, 'n2', { type: 'appendResponse', term: 1, success: true, match: 1, incarnation: 1 });
    expect(c.replicasHolding(1)).toBe(2);
    const restarted = receive(c, 'n2', {
      type: 'appendResponse', term: 1, success: false, rejectedIndex: 1, lastIndex: 0, lastTerm: 0, incarnation: 2,
    });
    expect(restarted.replication).toBe(true);
    expect(c.replicasHolding(1)).toBe(1);
    // A late answer from before the restart changes nothing.
    receive(c, 'n2', { type: 'appendResponse', term: 1, success: true, match: 1, incarnation: 1 });
    expect(c.replicasHolding(1)).toBe(1);
  });

  it('a follower that lost acknowledged entries says so in answer to a heartbeat, and the leader resends them', () => {
    // n2 restarted empty (memory storage) while the cluster was idle: only heartbeats reach it.
    const follower = core('n2', undefined, MEMBERS);
    follower.step({ type: 'tick', now: 0 });
    const answer = receive(follower, 'n1', { type: 'heartbeat', term: 4, commit: 3 });
    const rejection = { type: 'appendResponse', term: 4, success: false, rejectedIndex: 3, lastIndex: 0, lastTerm: 0, incarnation: 0 };
    expect(sentTo(answer, 'n1')).toEqual([rejection]);

    // The leader, which had n2 at match 1 from its previous incarnation, starts over from the beginning.
    const c = core();
    elect(c);
    c.step({ type: 'persisted', index: 1, term: 1 });
    receive(c, 'n2', { type: 'appendResponse', term: 1, success: true, match: 1, incarnation: 1 });
    const resend = receive(c, 'n2', { ...rejection, term: 1, rejectedIndex: 1, incarnation: 2 } as RaftMessage<string>);
    expect(sentTo(resend, 'n2')).toEqual([
      { type: 'append', term: 1, prevIndex: 0, prevTerm: 0, entries: [{ index: 1, term: 1, payload: null }], commit: 1 },
    ]);
  });

  it('a follower holding what the leader believes answers heartbeats as keep-alives', () => {
    const follower = core('n2', undefined, MEMBERS);
    follower.step({ type: 'tick', now: 0 });
    receive(follower, 'n1', { type: 'append', term: 4, prevIndex: 0, prevTerm: 0, entries: [{ index: 1, term: 4, payload: null }], commit: 0 });
    follower.step({ type: 'persisted', index: 1, term: 4 });
    expect(sentTo(receive(follower, 'n1', { type: 'heartbeat', term: 4, commit: 1 }), 'n1')).toEqual([
      { type: 'heartbeatResponse', term: 4 },
    ]);
  });

  it('a restarted follower resumes after what it kept on disk, without a snapshot', () => {
    const c = core('n1', { term: 1, votedFor: null, snapshot: { index: 100, term: 1 } });
    elect(c); // term 4, entry 101; everything up to 100 exists only in the state machine
    receive(c, 'n2', { type: 'appendResponse', term: 4, success: true, match: 101, incarnation: 1 });
    c.propose('a');
    c.propose('b');
    // n2 restarted having stored 101 only; the append after 102 arrives first.
    const restarted = receive(c, 'n2', {
      type: 'appendResponse', term: 4, success: false, rejectedIndex: 102, lastIndex: 101, lastTerm: 4, incarnation: 2,
    });
    expect(sentTo(restarted, 'n2')).toEqual([
      {
        type: 'append',
        term: 4,
        prevIndex: 101,
        prevTerm: 4,
        entries: [
          { index: 102, term: 4, payload: 'a' },
          { index: 103, term: 4, payload: 'b' },
        ],
        commit: 0,
      },
    ]);
  });

  it('a failed snapshot transfer is decided again at the next sign of life', () => {
    const c = core('n1', { term: 1, votedFor: null, snapshot: { index: 10, term: 1 } });
    elect(c); // term 4, entry 11
    receive(c, 'n2', {
      type: 'appendResponse', term: 4, success: false, rejectedIndex: 10, lastIndex: 3, lastTerm: 1, incarnation: 0,
    });
    expect(c.status().peers.find((p) => p.id === 'n2')?.state).toBe('snapshot');
    c.step({ type: 'snapshotFailed', to: 'n2' });
    expect(c.status().peers.find((p) => p.id === 'n2')?.state).toBe('probe');
    const alive = receive(c, 'n2', { type: 'heartbeatResponse', term: 4 });
    expect(sentTo(alive, 'n2')).toEqual([
      { type: 'snapshot', term: 4, snapshot: { index: 11, term: 4 }, configuration: BOOTSTRAP },
    ]);
  });

  it('a pipeline whose appends were lost drops back to probing and sends again', () => {
    const c = core();
    elect(c); // at now = 1000
    receive(c, 'n2', { type: 'appendResponse', term: 1, success: true, match: 1, incarnation: 0 });
    c.propose('lost'); // the append to n2 never arrives
    let resent: RaftMessage<string>[] = [];
    for (let now = 1010; now <= 1200 && resent.length === 0; now += 10) {
      resent = sentTo(c.step({ type: 'tick', now }), 'n2').filter((m) => m.type === 'append');
    }
    expect(resent).toEqual([
      { type: 'append', term: 1, prevIndex: 1, prevTerm: 1, entries: [{ index: 2, term: 1, payload: 'lost' }], commit: 0 },
    ]);
  });

  it('a leader cut off from the majority for an election timeout steps down', () => {
    const c = core();
    elect(c);
    let now = 1000;
    let stepped: Effects<string> | undefined;
    while (c.status().role === 'leader' && now < 2000) stepped = c.step({ type: 'tick', now: (now += 10) });
    expect(stepped?.role).toEqual({ role: 'follower', term: 1, leader: undefined });
    expect(now).toBeLessThanOrEqual(1000 + 2 * 200 + 10);
  });
});
