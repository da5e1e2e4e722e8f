import { afterEach, describe, expect, it } from 'vitest';
import { FaultInjector } from '../../server/src/admin/faults.js';
import { GrpcTransport } from '../../server/src/cluster/grpc/grpc-transport.js';
import type { Member, PeerMessage, TransportHandlers } from '../../server/src/cluster/transport.js';
import type { AppendRequest, ForwardReply, ForwardRequest } from '../../server/src/cluster/grpc/wire-messages.js';
import { freePort } from './free-port.js';
import { waitFor } from './wait-for.js';

interface Node {
  id: string;
  transport: GrpcTransport;
  faults: FaultInjector;
  received: { from: string; message: PeerMessage }[];
}

const started: GrpcTransport[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((transport) => transport.close()));
});

async function members(...ids: string[]): Promise<Member[]> {
  return Promise.all(ids.map(async (id) => ({ id, address: `127.0.0.1:${await freePort()}` })));
}

async function startNode(
  id: string,
  all: Member[],
  onMessage: (node: Node, from: string, message: PeerMessage) => void = () => undefined,
  onForward: TransportHandlers['onForward'] = () => Promise.reject(new Error('no forwarding here')),
): Promise<Node> {
  const faults = new FaultInjector();
  const transport = new GrpcTransport({ selfId: id, members: all, faults, electionTimeoutMs: 500 });
  const node: Node = { id, transport, faults, received: [] };
  await transport.start({
    onMessage: (from, message) => {
      node.received.push({ from, message });
      onMessage(node, from, message);
    },
    onForward,
  });
  started.push(transport);
  return node;
}

function append(from: string, index: number): PeerMessage {
  const request: AppendRequest = {
    from,
    term: 1,
    prev_log_index: index - 1,
    prev_log_term: 1,
    entries: [{ index, term: 1, payload: Buffer.from(JSON.stringify({ index })) }],
    leader_commit: 0,
  };
  return { kind: 'append', request };
}

/** Follower behaviour: acknowledge every append with its last entry as match index. */
function acknowledge(node: Node, from: string, message: PeerMessage): void {
  if (message.kind !== 'append') return;
  const last = message.request.entries.at(-1)?.index ?? message.request.prev_log_index;
  node.transport.send(from, {
    kind: 'append-reply',
    reply: { from: node.id, term: 1, success: true, match_index: last, hint_index: 0, hint_term: 0 },
  });
}

function appendedIndexes(node: Node): number[] {
  return node.received.flatMap(({ message }) =>
    message.kind === 'append' ? message.request.entries.map((entry) => entry.index) : [],
  );
}

function acknowledgedIndexes(node: Node): number[] {
  return node.received.flatMap(({ message }) => (message.kind === 'append-reply' ? [message.reply.match_index] : []));
}

describe('GrpcTransport', () => {
  it('carries appends over the Replicate stream and acknowledgements back, in order', async () => {
    const all = await members('a', 'b');
    const a = await startNode('a', all);
    const b = await startNode('b', all, acknowledge);
    for (let index = 1; index <= 50; index++) a.transport.send('b', append('a', index));
    // The first writes may race the stream's opening; resend until the follower has them all.
    await waitFor('b to acknowledge index 50', () => {
      if (!acknowledgedIndexes(a).includes(50)) a.transport.send('b', append('a', 50));
      return acknowledgedIndexes(a).includes(50);
    });
    const seen = appendedIndexes(b);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect(b.received[0]?.from).toBe('a');
    const payload = b.received.find(({ message }) => message.kind === 'append');
    expect(payload && payload.message.kind === 'append' && JSON.parse(payload.message.request.entries[0]!.payload.toString())).toEqual({ index: 1 });
  });

  it('answers votes and pre-votes through the unary RPCs', async () => {
    const all = await members('a', 'b');
    const a = await startNode('a', all);
    await startNode('b', all, (node, from, message) => {
      if (message.kind !== 'vote') return;
      node.transport.send(from, {
        kind: 'vote-reply',
        preVote: message.preVote,
        reply: { from: node.id, term: message.request.term, granted: !message.preVote },
      });
    });
    a.transport.send('b', { kind: 'vote', preVote: true, request: { from: 'a', term: 3, last_log_index: 9, last_log_term: 2 } });
    a.transport.send('b', { kind: 'vote', preVote: false, request: { from: 'a', term: 4, last_log_index: 9, last_log_term: 2 } });
    const replies = await waitFor('both vote replies', () => {
      const got = a.received.filter(({ message }) => message.kind === 'vote-reply');
      return got.length === 2 ? got : undefined;
    });
    const byKind = Object.fromEntries(
      replies.map(({ message }) => (message.kind === 'vote-reply' ? [String(message.preVote), message.reply] : ['', null])),
    );
    expect(byKind.true).toEqual({ from: 'b', term: 3, granted: false });
    expect(byKind.false).toEqual({ from: 'b', term: 4, granted: true });
  });

  it('streams a snapshot in chunks and returns the receiver’s answer', async () => {
    const all = await members('a', 'b');
    const a = await startNode('a', all);
    const b = await startNode('b', all, (node, from, message) => {
      if (message.kind !== 'snapshot') return;
      node.transport.send(from, { kind: 'snapshot-reply', reply: { from: node.id, term: 2, last_index: message.meta.last_index } });
    });
    const records: [string, string][] = Array.from({ length: 2500 }, (_, i) => [`m/q/${i}`, JSON.stringify({ i, body: 'x'.repeat(500) })]);
    a.transport.send('b', {
      kind: 'snapshot',
      meta: { from: 'a', term: 2, last_index: 77, last_term: 2, record_count: records.length },
      records,
    });
    await waitFor('the snapshot reply', () => a.received.some(({ message }) => message.kind === 'snapshot-reply'));
    const delivered = b.received.find(({ message }) => message.kind === 'snapshot');
    expect(delivered?.message.kind === 'snapshot' && [...delivered.message.records]).toEqual(records);
    const reply = a.received.find(({ message }) => message.kind === 'snapshot-reply');
    expect(reply?.message.kind === 'snapshot-reply' && reply.message.reply.last_index).toBe(77);
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
    const request = { from: 'a', action: 'SendMessage', input_json: '{"QueueUrl":"q"}', base_url: 'http://x', sender_id: 's' };
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
    a.transport.send('b', append('a', 1));
    await waitFor('the first acknowledgement', () => {
      if (acknowledgedIndexes(a).length === 0) a.transport.send('b', append('a', 1));
      return acknowledgedIndexes(a).length > 0;
    });

    // Outgoing rule on the sender: index 2 never leaves a. The stream is ordered, so once
    // index 3 (sent after healing) arrives, 2 would have arrived before it had it been sent.
    a.faults.set({ dropTo: ['b'] });
    a.transport.send('b', append('a', 2));
    a.faults.clear();
    a.transport.send('b', append('a', 3));
    await waitFor('index 3 at b', () => appendedIndexes(b).includes(3));
    expect(appendedIndexes(b)).not.toContain(2);

    // Incoming rule on the receiver: b ignores indexes 4 and 5 from a; heal once b's transport
    // counted both as dropped, then index 6 must arrive alone.
    b.faults.set({ dropFrom: ['a'] });
    a.transport.send('b', append('a', 4));
    a.transport.send('b', append('a', 5));
    await waitFor('b to drop two messages from a', () => (b.transport.peers()[0]?.droppedByFaults.from ?? 0) >= 2);
    b.faults.clear();
    a.transport.send('b', append('a', 6));
    await waitFor('index 6 at b', () => appendedIndexes(b).includes(6));
    expect(appendedIndexes(b)).not.toContain(4);
    expect(appendedIndexes(b)).not.toContain(5);
  });

  it('refuses a forward to an isolated peer at once', async () => {
    const all = await members('a', 'b');
    const a = await startNode('a', all);
    await startNode('b', all);
    a.faults.set({ isolate: ['b'] });
    await expect(
      a.transport.forward('b', { from: 'a', action: 'X', input_json: '{}', base_url: '', sender_id: '' }, Date.now() + 5000),
    ).rejects.toThrow(/fault rule/);
  });

  it('re-opens the stream after the peer restarts', async () => {
    const all = await members('a', 'b');
    const a = await startNode('a', all);
    const b1 = await startNode('b', all, acknowledge);
    await waitFor('b1 to acknowledge', () => {
      a.transport.send('b', append('a', 1));
      return acknowledgedIndexes(a).includes(1);
    });
    await b1.transport.close();
    started.splice(started.indexOf(b1.transport), 1);
    const b2 = await startNode('b', all, acknowledge);
    await waitFor('the restarted b to acknowledge', () => {
      a.transport.send('b', append('a', 2));
      return acknowledgedIndexes(a).includes(2);
    }, { timeoutMs: 15_000 });
    expect(appendedIndexes(b2)).toContain(2);
  });
});
