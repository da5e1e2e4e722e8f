import { afterEach, describe, expect, it } from 'vitest';
import { FaultInjector } from '../../server/src/admin/faults.js';
import { GrpcTransport } from '../../server/src/cluster/grpc/grpc-transport.js';
import type { Member, StateRecords, TransportHandlers } from '../../server/src/cluster/transport.js';
import type { ForwardReply, ForwardRequest } from '../../server/src/cluster/grpc/wire-messages.js';
import type { RaftMessage } from '../../server/src/cluster/raft/index.js';
import { secretSecurity } from '../support/cluster-secret.js';
import { loopbackMembers as members } from './loopback-members.js';
import { waitFor } from './wait-for.js';

interface Node {
  id: string;
  transport: GrpcTransport;
  faults: FaultInjector;
  received: { from: string; message: RaftMessage<unknown>; snapshot?: StateRecords }[];
  snapshotFailures: string[];
}

const started: GrpcTransport[] = [];
/** One secret for every transport of this file: they all form one cluster plane. */
const security = secretSecurity();

afterEach(async () => {
  await Promise.all(started.splice(0).map((transport) => transport.close()));
});

async function startNode(
  id: string,
  all: Member[],
  onMessage: (node: Node, from: string, message: RaftMessage<unknown>) => void = () => undefined,
  onForward: TransportHandlers['onForward'] = () => Promise.reject(new Error('no forwarding here')),
): Promise<Node> {
  const faults = new FaultInjector();
  const transport = new GrpcTransport({ selfId: id, members: all, faults, electionTimeoutMs: 500, security });
  const node: Node = { id, transport, faults, received: [], snapshotFailures: [] };
  await transport.start({
    onMessage: (from, message, snapshot) => {
      node.received.push({ from, message, ...(snapshot ? { snapshot } : {}) });
      onMessage(node, from, message);
    },
    onSnapshotFailed: (to) => node.snapshotFailures.push(to),
    onForward,
  });
  started.push(transport);
  return node;
}

function append(index: number): RaftMessage<unknown> {
  return {
    type: 'append',
    term: 1,
    prevIndex: index - 1,
    prevTerm: 1,
    entries: [{ index, term: 1, payload: { action: 'SendMessage', index } }],
    commit: 0,
  };
}

/** Follower behaviour: acknowledge every append with its last entry as match index. */
function acknowledge(node: Node, from: string, message: RaftMessage<unknown>): void {
  if (message.type !== 'append') return;
  const last = message.entries.at(-1)?.index ?? message.prevIndex;
  node.transport.send(from, { type: 'appendResponse', term: 1, success: true, match: last, incarnation: 7 });
}

function appendedIndexes(node: Node): number[] {
  return node.received.flatMap(({ message }) => (message.type === 'append' ? message.entries.map((entry) => entry.index) : []));
}

/** Sends index 1 from `leader` to b until b acknowledges it (the first writes may race the
 *  stream's opening). */
async function firstAcknowledged(leader: Node): Promise<void> {
  leader.transport.send('b', append(1));
  await waitFor('the first acknowledgement', () => {
    if (acknowledgedIndexes(leader).length === 0) leader.transport.send('b', append(1));
    return acknowledgedIndexes(leader).length > 0;
  });
}

function acknowledgedIndexes(node: Node): number[] {
  return node.received.flatMap(({ message }) => (message.type === 'appendResponse' && message.success ? [message.match] : []));
}

describe('GrpcTransport', () => {
  it('carries appends over the Replicate stream and acknowledgements back, in order', async () => {
    const all = await members('a', 'b');
    const a = await startNode('a', all);
    const b = await startNode('b', all, acknowledge);
    for (let index = 1; index <= 50; index++) a.transport.send('b', append(index));
    // The first writes may race the stream's opening; resend until the follower has them all.
    await waitFor('b to acknowledge index 50', () => {
      if (!acknowledgedIndexes(a).includes(50)) a.transport.send('b', append(50));
      return acknowledgedIndexes(a).includes(50);
    });
    const seen = appendedIndexes(b);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect(b.received[0]?.from).toBe('a');
    // Appends sent in one turn may arrive joined (append-coalescing.ts): the first starts at 1.
    const first = b.received.find(({ message }) => message.type === 'append');
    expect(first?.message).toMatchObject({ type: 'append', term: 1, prevIndex: 0, prevTerm: 1 });
    expect(seen[0]).toBe(1);
    const acks = acknowledgedIndexes(a);
    expect(acks).toEqual([...acks].sort((x, y) => x - y));
    const ack = a.received.find(({ message }) => message.type === 'appendResponse');
    expect(ack?.message).toEqual({ type: 'appendResponse', term: 1, success: true, match: acks[0], incarnation: 7 });
  });

  it('joins the appends sent in one turn that continue each other into one message', async () => {
    const all = await members('a', 'b');
    const a = await startNode('a', all);
    const b = await startNode('b', all, acknowledge);
    await firstAcknowledged(a);
    const before = b.received.length;
    for (let index = 2; index <= 5; index++) a.transport.send('b', append(index));
    await waitFor('index 5 at b', () => appendedIndexes(b).includes(5));
    // A resend of index 1 from `firstAcknowledged` may still have been on its way: only the
    // messages carrying the new entries count.
    const arrived = b.received
      .slice(before)
      .map(({ message }) => message)
      .filter((message) => message.type === 'append' && message.entries.some((entry) => entry.index >= 2));
    expect(arrived).toHaveLength(1);
    expect(arrived[0]).toMatchObject({ type: 'append', prevIndex: 1, prevTerm: 1 });
    expect(appendedIndexes(b).slice(-4)).toEqual([2, 3, 4, 5]);
  });

  it('answers votes and pre-votes through the unary RPCs', async () => {
    const all = await members('a', 'b');
    const a = await startNode('a', all);
    await startNode('b', all, (node, from, message) => {
      if (message.type === 'preVote') node.transport.send(from, { type: 'preVoteResponse', term: 5, granted: false });
      if (message.type === 'vote') node.transport.send(from, { type: 'voteResponse', term: message.term, granted: true });
    });
    a.transport.send('b', { type: 'preVote', term: 3, lastIndex: 9, lastTerm: 2 });
    a.transport.send('b', { type: 'vote', term: 4, lastIndex: 9, lastTerm: 2 });
    const replies = await waitFor('both vote replies', () => {
      const got = a.received.filter(({ message }) => message.type.endsWith('oteResponse'));
      return got.length === 2 ? got.map(({ message }) => message) : undefined;
    });
    expect(replies).toContainEqual({ type: 'preVoteResponse', term: 5, granted: false });
    expect(replies).toContainEqual({ type: 'voteResponse', term: 4, granted: true });
  });

  it('also carries heartbeats and rejections with the follower’s last entry', async () => {
    const all = await members('a', 'b');
    const a = await startNode('a', all);
    await startNode('b', all, (node, from, message) => {
      if (message.type === 'heartbeat') node.transport.send(from, { type: 'heartbeatResponse', term: message.term });
      if (message.type === 'append') {
        node.transport.send(from, {
          type: 'appendResponse',
          term: 2,
          success: false,
          rejectedIndex: message.prevIndex,
          lastIndex: 3,
          lastTerm: 1,
          incarnation: 2 ** 40,
        });
      }
    });
    await waitFor('the heartbeat answer', () => {
      a.transport.send('b', { type: 'heartbeat', term: 2, commit: 0 });
      return a.received.some(({ message }) => message.type === 'heartbeatResponse');
    });
    a.transport.send('b', append(9));
    const rejection = await waitFor('the rejection', () => a.received.find(({ message }) => message.type === 'appendResponse'));
    expect(rejection.message).toEqual({
      type: 'appendResponse',
      term: 2,
      success: false,
      rejectedIndex: 8,
      lastIndex: 3,
      lastTerm: 1,
      incarnation: 2 ** 40,
    });
  });

  it('streams a snapshot in chunks and answers with the receiver’s acknowledgement', async () => {
    const all = await members('a', 'b');
    const a = await startNode('a', all);
    const b = await startNode('b', all, (node, from, message) => {
      if (message.type !== 'snapshot') return;
      node.transport.send(from, { type: 'appendResponse', term: 2, success: true, match: message.snapshot.index, incarnation: 1 });
    });
    const records: [string, string][] = Array.from({ length: 2500 }, (_, i) => [`m/q/${i}`, JSON.stringify({ i, body: 'x'.repeat(500) })]);
    a.transport.send('b', { type: 'snapshot', term: 2, snapshot: { index: 77, term: 2 } }, records);
    const ack = await waitFor('the snapshot acknowledgement', () => a.received.find(({ message }) => message.type === 'appendResponse'));
    expect(ack.message).toEqual({ type: 'appendResponse', term: 2, success: true, match: 77, incarnation: 1 });
    const delivered = b.received.find(({ message }) => message.type === 'snapshot');
    expect(delivered?.message).toEqual({ type: 'snapshot', term: 2, snapshot: { index: 77, term: 2 } });
    expect(delivered?.snapshot).toEqual(records);
    expect(a.snapshotFailures).toEqual([]);
  });

  it('reports a snapshot the peer could not take', async () => {
    const all = await members('a', 'b');
    const a = await startNode('a', all);
    const b = await startNode('b', all);
    b.faults.set({ dropFrom: ['a'] });
    a.transport.send('b', { type: 'snapshot', term: 2, snapshot: { index: 5, term: 2 } }, [['q/x', '{}']]);
    await waitFor('the snapshot failure', () => a.snapshotFailures.includes('b'));
  });

  it('forwards a client request and returns the answer or the error', async () => {
    const all = await members('a', 'b');
    const a = await startNode('a', all);
    await startNode('b', all, undefined, async (request: ForwardRequest): Promise<ForwardReply> => {
      if (request.action === 'Fail') {
        return { result: 'error', error: { code: 'QueueDoesNotExist', message: 'nope', not_leader: false, leader_id: '' } };
      }
      return { result: 'answer', answer: { output_json: request.input_json, log_index: 12, replicas: 2 } };
    });
    const request = { from: 'a', action: 'SendMessage', input_json: '{"QueueUrl":"q"}', base_url: 'http://x', sender_id: 's', account_id: '111111111111', region: 'eu-central-1' };
    const reply = await a.transport.forward('b', request, Date.now() + 5000);
    expect(reply.result).toBe('answer');
    expect(reply.answer).toEqual({ output_json: '{"QueueUrl":"q"}', log_index: 12, replicas: 2 });
    const failed = await a.transport.forward('b', { ...request, action: 'Fail' }, Date.now() + 5000);
    expect(failed.result).toBe('error');
    expect(failed.error?.code).toBe('QueueDoesNotExist');
  });

  it('drops traffic under fault rules in both directions and delivers again after healing', async () => {
    const all = await members('a', 'b');
    const a = await startNode('a', all);
    const b = await startNode('b', all, acknowledge);
    await firstAcknowledged(a);

    // Outgoing rule on the sender: index 2 never leaves a. The stream is ordered, so once
    // index 3 (sent after healing) arrives, 2 would have arrived before it had it been sent.
    a.faults.set({ dropTo: ['b'] });
    a.transport.send('b', append(2));
    a.faults.clear();
    a.transport.send('b', append(3));
    await waitFor('index 3 at b', () => appendedIndexes(b).includes(3));
    expect(appendedIndexes(b)).not.toContain(2);

    // Incoming rule on the receiver: b ignores indexes 4 and 5 from a; heal once b's transport
    // counted both as dropped, then index 6 must arrive alone.
    b.faults.set({ dropFrom: ['a'] });
    a.transport.send('b', append(4));
    // A turn apart, so the link does not join them into one message.
    await new Promise((resolve) => setImmediate(resolve));
    a.transport.send('b', append(5));
    await waitFor('b to drop two messages from a', () => (b.transport.peers()[0]?.droppedByFaults.from ?? 0) >= 2);
    b.faults.clear();
    a.transport.send('b', append(6));
    await waitFor('index 6 at b', () => appendedIndexes(b).includes(6));
    expect(appendedIndexes(b)).not.toContain(4);
    expect(appendedIndexes(b)).not.toContain(5);
  });

  it('holds messages under a delay rule while later ones pass', async () => {
    const all = await members('a', 'b');
    const a = await startNode('a', all);
    const b = await startNode('b', all, acknowledge);
    await waitFor('the stream to be up', () => {
      a.transport.send('b', append(1));
      return acknowledgedIndexes(a).includes(1);
    });
    a.faults.set({ delayTo: { b: 60_000 } });
    a.transport.send('b', append(2));
    a.faults.clear();
    a.transport.send('b', append(3));
    await waitFor('index 3 at b', () => appendedIndexes(b).includes(3));
    // Index 2 was sent first on an ordered stream: only the delay rule can have kept it back.
    expect(appendedIndexes(b)).not.toContain(2);
  });

  it('refuses a forward to an isolated peer at once', async () => {
    const all = await members('a', 'b');
    const a = await startNode('a', all);
    await startNode('b', all);
    a.faults.set({ isolate: ['b'] });
    await expect(
      a.transport.forward('b', { from: 'a', action: 'X', input_json: '{}', base_url: '', sender_id: '', account_id: '', region: '' }, Date.now() + 5000),
    ).rejects.toThrow(/fault rule/);
  });

  it('re-opens the stream after the peer restarts', async () => {
    const all = await members('a', 'b');
    const a = await startNode('a', all);
    const b1 = await startNode('b', all, acknowledge);
    await waitFor('b1 to acknowledge', () => {
      a.transport.send('b', append(1));
      return acknowledgedIndexes(a).includes(1);
    });
    await b1.transport.close();
    started.splice(started.indexOf(b1.transport), 1);
    const b2 = await startNode('b', all, acknowledge);
    await waitFor('the restarted b to acknowledge', () => {
      a.transport.send('b', append(2));
      return acknowledgedIndexes(a).includes(2);
    }, { timeoutMs: 15_000 });
    expect(appendedIndexes(b2)).toContain(2);
  });
});
