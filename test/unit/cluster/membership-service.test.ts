/**
 * MembershipService's rules, on an in-memory cluster of services (each node's configuration and
 * leadership held in a plain object, the RPC a direct call): who may ask for what, where a change
 * goes, and what a caller is told while no leader is known.
 */
import { describe, expect, it } from 'vitest';
import type { MembershipChangeWire } from '../../../server/src/cluster/grpc/wire-messages.js';
import { MembershipError, type MemberInfo, type MembershipChange } from '../../../server/src/cluster/membership.js';
import { MembershipService, type ConfigurationAuthority } from '../../../server/src/cluster/membership-service.js';

interface Node {
  authority: ConfigurationAuthority & { leader: string | undefined; changes: MembershipChange[] };
  service: MembershipService;
}

const MEMBERS: MemberInfo[] = ['n1', 'n2', 'n3'].map((id) => ({ id, address: `10.0.0.${id.slice(1)}:9326`, role: 'voter' }));

/** Three nodes that agree on the configuration; `leader` leads. Calls between them are direct. */
function cluster(leader: string | undefined): Map<string, Node> {
  const nodes = new Map<string, Node>();
  for (const { id } of MEMBERS) {
    const authority: Node['authority'] = {
      leader,
      changes: [],
      configuration: () => MEMBERS,
      isLeader: () => authority.leader === id,
      leaderId: () => authority.leader,
      changeMembership: (change) => {
        if (authority.leader !== id) return Promise.reject(new MembershipError('not-leader', `${id} does not lead`, authority.leader));
        authority.changes.push(change);
        return Promise.resolve([...MEMBERS, ...(change.kind === 'add' ? [{ id: change.id, address: change.address, role: 'learner' as const }] : [])]);
      },
    };
    const service = new MembershipService({
      nodeId: id,
      authority,
      caller: { changeMembership: (member, request) => nodes.get(member.id)!.service.serve(request) },
      electionTimeoutMs: 50,
      changeTimeoutMs: 1_000,
    });
    nodes.set(id, { authority, service });
  }
  return nodes;
}

const join = (from: string, id = from): MembershipChangeWire => ({ from, kind: 'add', id, address: '10.0.0.9:9326' });

describe('MembershipService', () => {
  it('makes a change on the leader, and forwards one asked on a follower to the leader', async () => {
    const nodes = cluster('n1');
    await nodes.get('n1')!.service.change({ kind: 'remove', id: 'n3' });
    const members = await nodes.get('n2')!.service.change({ kind: 'add', id: 'n4', address: '10.0.0.4:9326' });
    expect(members.map((member) => member.id)).toEqual(['n1', 'n2', 'n3', 'n4']);
    expect(nodes.get('n1')!.authority.changes).toEqual([
      { kind: 'remove', id: 'n3' },
      { kind: 'add', id: 'n4', address: '10.0.0.4:9326' },
    ]);
  });

  it('lets a node that is not a member ask only to add itself, and forwards that for it once', async () => {
    const nodes = cluster('n1');
    // Asked of a follower: it forwards to the leader in its own name.
    const added = await nodes.get('n2')!.service.serve(join('n9'));
    expect(added).toMatchObject({ error: '', members: expect.arrayContaining([{ id: 'n9', address: '10.0.0.9:9326', role: 'learner' }]) });
    expect(await nodes.get('n2')!.service.serve(join('n9', 'n8'))).toMatchObject({ error: 'invalid', message: expect.stringMatching(/may only ask to add itself/) });
    expect(await nodes.get('n1')!.service.serve({ from: 'n9', kind: 'remove', id: 'n2', address: '' })).toMatchObject({ error: 'invalid' });
    expect(nodes.get('n1')!.authority.changes).toEqual([{ kind: 'add', id: 'n9', address: '10.0.0.9:9326' }]);
  });

  it('answers a member that asked the wrong node "not-leader" with the leader, instead of forwarding on', async () => {
    const nodes = cluster('n1');
    expect(await nodes.get('n2')!.service.serve({ from: 'n3', kind: 'remove', id: 'n1', address: '' })).toMatchObject({
      error: 'not-leader',
      leader_id: 'n1',
    });
    expect(nodes.get('n1')!.authority.changes).toEqual([]);
  });

  it('refuses a change that is not well-formed, whoever asks', async () => {
    const nodes = cluster('n1');
    expect(await nodes.get('n1')!.service.serve({ from: 'n2', kind: 'add', id: 'n4', address: 'nowhere' })).toMatchObject({ error: 'invalid' });
    expect(await nodes.get('n1')!.service.serve({ from: 'n2', kind: 'rename', id: 'n4', address: '' })).toMatchObject({ error: 'invalid' });
  });

  it('waits for a leader for three election timeouts, then fails not-leader (503)', async () => {
    const nodes = cluster(undefined);
    await expect(nodes.get('n2')!.service.change({ kind: 'remove', id: 'n3' })).rejects.toMatchObject({
      reason: 'not-leader',
      message: expect.stringMatching(/no leader could take the change/),
    });
    // A leader elected meanwhile takes it.
    const later = cluster(undefined);
    // Right after the change starts waiting (not after a fixed 60 ms: on a loaded machine that
    // timer could fire after the 150 ms the wait allows).
    setImmediate(() => {
      for (const node of later.values()) node.authority.leader = 'n3';
    });
    await expect(later.get('n2')!.service.change({ kind: 'remove', id: 'n1' })).resolves.toHaveLength(3);
    expect(later.get('n3')!.authority.changes).toEqual([{ kind: 'remove', id: 'n1' }]);
  });
});
