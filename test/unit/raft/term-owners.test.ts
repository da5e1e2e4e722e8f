import { describe, expect, it } from 'vitest';
import { TermOwners } from '../../../server/src/cluster/raft/term-owners.js';

describe('TermOwners', () => {
  it('gives every term to exactly one member, in sorted-id order whatever the list order', () => {
    const members = ['n3', 'n1', 'n2'];
    const owners = members.map((id) => new TermOwners(id, members));
    for (let term = 1; term <= 12; term++) {
      expect(new Set(owners.map((o) => o.ownerOf(term)))).toEqual(new Set([['n1', 'n2', 'n3'][(term - 1) % 3]]));
    }
  });

  it('names the next term a member may campaign in', () => {
    const n2 = new TermOwners('n2', ['n1', 'n2', 'n3']);
    expect([0, 1, 2, 3, 4, 5].map((term) => n2.nextOwnTerm(term))).toEqual([2, 2, 5, 5, 5, 8]);
    expect([0, 1, 2, 3, 4, 5].map((term) => n2.ownerOf(n2.nextOwnTerm(term)))).toEqual(Array(6).fill('n2'));
  });

  it('in a cluster of one, every term is the node’s own', () => {
    const solo = new TermOwners('n1', ['n1']);
    expect([0, 1, 7].map((term) => solo.nextOwnTerm(term))).toEqual([1, 2, 8]);
  });
});
