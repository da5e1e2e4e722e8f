/**
 * The gRPC transport when the configuration changes at runtime: a member added is dialled and may
 * call at once, a member removed is neither dialled nor heard any more (its calls are refused by
 * the cluster-secret authenticator, which asks the current links), and a node that is not a member
 * yet may ask to be added — but call nothing else.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FaultInjector } from '../../server/src/admin/faults.js';
import { GrpcTransport } from '../../server/src/cluster/grpc/grpc-transport.js';
import type { MembershipChangeWire, MembershipReplyWire } from '../../server/src/cluster/grpc/wire-messages.js';
import { CHANGE_MEMBERSHIP_METHOD } from '../../server/src/cluster/grpc/replication-proto.js';
import type { RaftMessage } from '../../server/src/cluster/raft/index.js';
import type { Member } from '../../server/src/cluster/transport.js';
import { secretSecurity } from '../support/cluster-secret.js';
import { freePort } from './free-port.js';
import { waitFor } from './wait-for.js';

interface Node {
  id: string;
  transport: GrpcTransport;
  received: { from: string; message: RaftMessage<unknown> }[];
  changes: MembershipChangeWire[];
}

const started: GrpcTransport[] = [];
const security = secretSecurity();

afterEach(async () => {
  await Promise.all(started.splice(0).map((transport) => transport.close()));
});

async function member(id: string): Promise<Member> {
  return { id, address: `127.0.0.1:${await freePort()}` };
}

/** A node that grants every pre-vote and takes every membership change. */
async function startNode(self: Member, known: Member[]): Promise<Node> {
  const transport = new GrpcTransport({
    selfId: self.id,
    members: [self, ...known],
    faults: new FaultInjector(),
    electionTimeoutMs: 500,
    security,
    mayCallAsNonMember: [CHANGE_MEMBERSHIP_METHOD],
  });
  const node: Node = { id: self.id, transport, received: [], changes: [] };
  await transport.start({
    onMessage: (from, message) => {
      node.received.push({ from, message });
      if (message.type === 'preVote') transport.send(from, { type: 'preVoteResponse', term: message.term, granted: true });
    },
    onSnapshotFailed: () => undefined,
    onForward: () => Promise.reject(new Error('no forwarding here')),
    onChangeMembership: (request): Promise<MembershipReplyWire> => {
      node.changes.push(request);
      return Promise.resolve({ error: '', message: '', leader_id: '', members: [{ id: request.id, address: request.address, role: 'learner' }] });
    },
  });
  started.push(transport);
  return node;
}

function preVote(term: number): RaftMessage<unknown> {
  return { type: 'preVote', term, lastIndex: 0, lastTerm: 0 };
}

/** Pre-votes `from` sent to `to` until one is answered (or the wait gives up). */
async function answeredPreVote(from: Node, to: string, term: number, timeoutMs = 3000): Promise<boolean> {
  try {
    await waitFor(
      `an answer from ${to}`,
      () => {
        if (from.received.some(({ message }) => message.type === 'preVoteResponse' && message.term === term)) return true;
        from.transport.send(to, preVote(term));
        return false;
      },
      { timeoutMs, intervalMs: 100 },
    );
    return true;
  } catch {
    return false;
  }
}

describe('GrpcTransport with a changing configuration', () => {
  it('hears a member added at runtime and no longer hears (or dials) one removed', async () => {
    const [a, c] = await Promise.all([member('a'), member('c')]);
    const nodeA = await startNode(a, []);
    const nodeC = await startNode(c, [a]);

    // c holds the secret but is not a member of a's configuration: its calls are refused.
    expect(await answeredPreVote(nodeC, 'a', 1, 1500)).toBe(false);
    expect(nodeA.received).toEqual([]);

    nodeA.transport.setMembers([a, c]);
    expect(nodeA.transport.peers().map((peer) => peer.id)).toEqual(['c']);
    expect(await answeredPreVote(nodeC, 'a', 2)).toBe(true);
    expect(nodeA.received.some(({ from }) => from === 'c')).toBe(true);

    nodeA.transport.setMembers([a]);
    expect(nodeA.transport.peers()).toEqual([]);
    const heardBefore = nodeA.received.length;
    expect(await answeredPreVote(nodeC, 'a', 3, 1500)).toBe(false);
    expect(nodeA.received).toHaveLength(heardBefore);
    // Nothing goes to a member that left: there is no link to send on.
    const sentBefore = nodeC.received.length;
    nodeA.transport.send('c', preVote(4));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(nodeC.received).toHaveLength(sentBefore);
  });

  it('lets a node that is not a member yet ask to be added, through the secret, and nothing else', async () => {
    const [a, joiner] = await Promise.all([member('a'), member('d')]);
    const nodeA = await startNode(a, []);
    const nodeD = await startNode(joiner, []);
    const reply = await nodeD.transport.changeMembership(a, { from: 'd', kind: 'add', id: 'd', address: joiner.address }, Date.now() + 3000);
    expect(reply.members).toEqual([{ id: 'd', address: joiner.address, role: 'learner' }]);
    expect(nodeA.changes).toEqual([{ from: 'd', kind: 'add', id: 'd', address: joiner.address }]);
    // d is still no member of a: a raft message from it is refused.
    nodeD.transport.setMembers([joiner, a]);
    expect(await answeredPreVote(nodeD, 'a', 1, 1500)).toBe(false);
    expect(nodeA.received).toEqual([]);
  });

  it('refuses the change from a caller without the secret', async () => {
    const [a, outsider] = await Promise.all([member('a'), member('x')]);
    await startNode(a, []);
    const stranger = new GrpcTransport({
      selfId: 'x',
      members: [outsider],
      faults: new FaultInjector(),
      electionTimeoutMs: 500,
      security: secretSecurity(),
    });
    started.push(stranger);
    await expect(
      stranger.changeMembership(a, { from: 'x', kind: 'add', id: 'x', address: outsider.address }, Date.now() + 3000),
    ).rejects.toMatchObject({ code: 16 }); // UNAUTHENTICATED
  });
});
