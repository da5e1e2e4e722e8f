import { describe, expect, it } from 'vitest';
import { ackModeMet, majorityOf, type Holders } from '../../server/src/cluster/ack-condition.js';

const members = ['n1', 'n2', 'n3', 'n4', 'n5'];

function holders(holding: string[], view: string[] = members, appliedOnLeader = true): Holders {
  return { members, leader: 'n1', holding: new Set(holding), view: new Set(view), appliedOnLeader };
}

describe('ackModeMet', () => {
  it('majority of 1, 2, 3, 4, 5 members', () => {
    expect([1, 2, 3, 4, 5].map(majorityOf)).toEqual([1, 2, 2, 3, 3]);
  });

  it('"none" needs only the leader to have applied it, even before it is durable', () => {
    expect(ackModeMet('none', holders([]))).toBe(true);
    expect(ackModeMet('none', holders([], members, false))).toBe(false);
  });

  it('"one" needs the leader and a follower', () => {
    expect(ackModeMet('one', holders(['n1']))).toBe(false);
    expect(ackModeMet('one', holders(['n1', 'n4']))).toBe(true);
    // Two followers while the leader's own copy is not yet durable: not yet.
    expect(ackModeMet('one', holders(['n2', 'n4']))).toBe(false);
  });

  it('"one" in a 1-node cluster is met by the leader alone', () => {
    expect(ackModeMet('one', { members: ['n1'], leader: 'n1', holding: new Set(['n1']), view: new Set(['n1']), appliedOnLeader: true })).toBe(
      true,
    );
  });

  it('"majority" needs a majority of all members, whoever they are', () => {
    expect(ackModeMet('majority', holders(['n1', 'n2']))).toBe(false);
    expect(ackModeMet('majority', holders(['n1', 'n3', 'n5']))).toBe(true);
  });

  it('"all" needs every member of the view', () => {
    expect(ackModeMet('all', holders(['n1', 'n2', 'n3', 'n4']))).toBe(false);
    expect(ackModeMet('all', holders(members))).toBe(true);
    expect(ackModeMet('all', holders(['n1', 'n2', 'n3'], ['n1', 'n2', 'n3']))).toBe(true);
    // Holders outside the view do not stand in for a view member that lacks the entry.
    expect(ackModeMet('all', holders(['n1', 'n2', 'n4'], ['n1', 'n2', 'n3']))).toBe(false);
  });

  it('"all" never settles for less than a majority, however small the view', () => {
    expect(ackModeMet('all', holders(['n1', 'n2'], ['n1', 'n2']))).toBe(false);
  });

  describe('while the membership changes (members = the current voters)', () => {
    const voters = ['n1', 'n2', 'n3', 'n4'];
    const during = (holding: string[], view: string[], extra: Partial<Holders> = {}): Holders => ({
      members: voters,
      leader: 'n1',
      holding: new Set(holding),
      view: new Set(view),
      appliedOnLeader: true,
      ...extra,
    });

    it('"majority" is a majority of the grown configuration: 3 of 4 once the fourth votes', () => {
      expect(ackModeMet('majority', during(['n1', 'n2'], voters))).toBe(false);
      expect(ackModeMet('majority', during(['n1', 'n2', 'n4'], voters))).toBe(true);
    });

    it('"all" is not held up by a learner in the view (it is no voter)', () => {
      expect(ackModeMet('all', during(['n1', 'n2', 'n3', 'n4'], [...voters, 'n5']))).toBe(true);
    });

    it('a leader being removed counts for no quorum, and "one" still needs a voting follower', () => {
      const leaving = { members: ['n2', 'n3'], leaderHolds: true };
      expect(ackModeMet('majority', during(['n2'], ['n1', 'n2', 'n3'], leaving))).toBe(false);
      expect(ackModeMet('majority', during(['n2', 'n3'], ['n1', 'n2', 'n3'], leaving))).toBe(true);
      expect(ackModeMet('one', during([], ['n1', 'n2', 'n3'], leaving))).toBe(false);
      expect(ackModeMet('one', during(['n3'], ['n1', 'n2', 'n3'], leaving))).toBe(true);
      expect(ackModeMet('one', during([], ['n1'], { members: ['n2'], leaderHolds: true }))).toBe(false);
      expect(ackModeMet('all', during(['n2', 'n3'], ['n1', 'n2', 'n3'], leaving))).toBe(true);
    });
  });
});
