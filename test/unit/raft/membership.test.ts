/**
 * The pure membership rules (membership.ts): what each one-server change does to a
 * configuration, and which changes are refused.
 */
import { describe, expect, it } from 'vitest';
import { applyChange, bootstrapConfiguration, differsByOneServer } from '../../../server/src/cluster/raft/membership.js';

const three = bootstrapConfiguration(['n3', 'n1', 'n2'], { n1: 'a:1', n2: 'b:1', n3: 'c:1' });

describe('membership changes', () => {
  it('the bootstrap configuration lists every member as a voter, sorted by id', () => {
    expect(three.members).toEqual([
      { id: 'n1', address: 'a:1', role: 'voter' },
      { id: 'n2', address: 'b:1', role: 'voter' },
      { id: 'n3', address: 'c:1', role: 'voter' },
    ]);
  });

  it('adds a learner (promoted once caught up unless told otherwise), promotes it, removes members', () => {
    const added = applyChange(three, { kind: 'addLearner', id: 'n0', address: 'z:1' });
    expect(added).toEqual({
      members: [{ id: 'n0', address: 'z:1', role: 'learner', promote: true }, ...three.members],
    });
    if ('code' in added) throw new Error('refused');
    expect(applyChange(three, { kind: 'addLearner', id: 'n4', address: 'd:1', promote: false })).toMatchObject({
      members: [...three.members, { id: 'n4', role: 'learner', promote: false }],
    });
    expect(applyChange(added, { kind: 'promote', id: 'n0' })).toEqual({
      members: [{ id: 'n0', address: 'z:1', role: 'voter' }, ...three.members],
    });
    expect(applyChange(three, { kind: 'remove', id: 'n2' })).toEqual({
      members: [three.members[0], three.members[2]],
    });
  });

  it('refuses what is not a valid one-server change, saying why', () => {
    expect(applyChange(three, { kind: 'addLearner', id: 'n2', address: 'x:1' })).toEqual({
      code: 'alreadyMember',
      member: three.members[1],
    });
    expect(applyChange(three, { kind: 'addLearner', id: 'n4', address: 'b:1' })).toEqual({
      code: 'addressInUse',
      member: three.members[1],
    });
    expect(applyChange(three, { kind: 'addLearner', id: 'n4', address: '' })).toMatchObject({ code: 'invalidMember' });
    expect(applyChange(three, { kind: 'remove', id: '' })).toMatchObject({ code: 'invalidMember' });
    expect(applyChange(three, { kind: 'promote', id: 'n9' })).toEqual({ code: 'unknownMember', id: 'n9' });
    expect(applyChange(three, { kind: 'remove', id: 'n9' })).toEqual({ code: 'unknownMember', id: 'n9' });
    expect(applyChange(three, { kind: 'promote', id: 'n1' })).toEqual({ code: 'alreadyVoter', id: 'n1' });
    const alone = bootstrapConfiguration(['n1']);
    expect(applyChange(alone, { kind: 'remove', id: 'n1' })).toEqual({ code: 'lastVoter', id: 'n1' });
    // A learner beside the last voter does not make the voter removable.
    const withLearner = applyChange(alone, { kind: 'addLearner', id: 'n2', address: 'b:1' });
    if ('code' in withLearner) throw new Error('refused');
    expect(applyChange(withLearner, { kind: 'remove', id: 'n1' })).toEqual({ code: 'lastVoter', id: 'n1' });
    expect(applyChange(withLearner, { kind: 'remove', id: 'n2' })).toEqual(alone);
  });

  it('tells a one-server step from a bigger one', () => {
    const two = bootstrapConfiguration(['n1', 'n2']);
    expect(differsByOneServer(three, two)).toBe(true);
    expect(differsByOneServer(three, bootstrapConfiguration(['n1', 'n2', 'n4']))).toBe(false);
    expect(differsByOneServer(three, bootstrapConfiguration(['n1']))).toBe(false);
    expect(differsByOneServer(three, three)).toBe(false);
  });
});
