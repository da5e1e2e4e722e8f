/**
 * Forwarded calls on one link's `ForwardStream`, between two real gRPC transports: many at once
 * answered out of order (a parked long poll holds up nobody), cancellation when the client goes
 * away or the time runs out (the leader's work is stopped), and what a caller learns when the
 * leader dies mid-call (not retried) or was never reached (retried elsewhere).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FaultInjector } from '../../server/src/admin/faults.js';
import { GrpcTransport } from '../../server/src/cluster/grpc/grpc-transport.js';
import type { ForwardReply, ForwardRequest } from '../../server/src/cluster/grpc/wire-messages.js';
import { ForwardNotSentError, type Member, type TransportHandlers } from '../../server/src/cluster/transport.js';
import { secretSecurity } from '../support/cluster-secret.js';
import { loopbackMembers as members } from './loopback-members.js';
import { waitFor } from './wait-for.js';

const started: GrpcTransport[] = [];
const security = secretSecurity();

afterEach(async () => {
  await Promise.all(started.splice(0).map((transport) => transport.close()));
});

async function startNode(id: string, all: Member[], onForward: TransportHandlers['onForward'] = () => Promise.reject(new Error('none'))): Promise<GrpcTransport> {
  const transport = new GrpcTransport({ selfId: id, members: all, faults: new FaultInjector(), electionTimeoutMs: 500, security });
  await transport.start({ onMessage: () => undefined, onSnapshotFailed: () => undefined, onForward });
  started.push(transport);
  return transport;
}

function request(action: string, input: unknown): ForwardRequest {
  return { from: 'a', action, input_json: JSON.stringify(input), base_url: 'http://x', sender_id: 's', account_id: '111111111111', region: 'eu-west-1' };
}

function echo(input: string): ForwardReply {
  return { result: 'answer', answer: { output_json: input, log_index: 0, replicas: 0 } };
}

/** A leader whose long polls (`ReceiveMessage`, the calls the leader's work can be stopped for:
 *  forward-codec.ts `isStoppable`) wait until released (or aborted, which they record). */
function parkingLeader(): { onForward: TransportHandlers['onForward']; parked: Map<string, () => void>; aborted: string[] } {
  const parked = new Map<string, () => void>();
  const aborted: string[] = [];
  const onForward: TransportHandlers['onForward'] = (wire, _deadline, signal) => {
    if (wire.action !== 'ReceiveMessage') return Promise.resolve(echo(wire.input_json));
    return new Promise((resolve) => {
      parked.set(wire.input_json, () => resolve(echo(wire.input_json)));
      signal.addEventListener('abort', () => {
        aborted.push(wire.input_json);
        resolve(echo('{"aborted":true}'));
      });
    });
  };
  return { onForward, parked, aborted };
}

describe('ForwardStream', () => {
  it('carries many calls at once, each answered under its own id while long polls stay parked', async () => {
    const all = await members('a', 'b');
    const a = await startNode('a', all);
    const leader = parkingLeader();
    await startNode('b', all, leader.onForward);
    const deadline = Date.now() + 30_000;
    const polls = [1, 2, 3].map((n) => a.forward('b', request('ReceiveMessage', { poll: n }), deadline));
    const sends = Array.from({ length: 300 }, (_, n) => a.forward('b', request('SendMessage', { n }), deadline));
    const answered = await Promise.all(sends);
    expect(answered.map((reply) => JSON.parse(reply.answer!.output_json))).toEqual(Array.from({ length: 300 }, (_, n) => ({ n })));
    await waitFor('the polls to park', () => leader.parked.size === 3);
    // Released in reverse order: each answer still finds its own caller.
    for (const n of [3, 2, 1]) leader.parked.get(JSON.stringify({ poll: n }))!();
    expect((await Promise.all(polls)).map((reply) => reply.answer!.output_json)).toEqual(['{"poll":1}', '{"poll":2}', '{"poll":3}']);
  });

  it('stops the leader\'s work when the client goes away or the time runs out, and keeps serving', async () => {
    const all = await members('a', 'b');
    const a = await startNode('a', all);
    const leader = parkingLeader();
    await startNode('b', all, leader.onForward);
    const client = new AbortController();
    const gone = a.forward('b', request('ReceiveMessage', { who: 'gone' }), Date.now() + 30_000, client.signal);
    const late = a.forward('b', request('ReceiveMessage', { who: 'late' }), Date.now() + 300);
    await waitFor('the first poll to park', () => leader.parked.has('{"who":"gone"}'));
    client.abort();
    await expect(gone).rejects.toThrow(/went away/);
    await expect(late).rejects.toThrow(/no answer within/);
    await waitFor('the leader to stop both', () => leader.aborted.length === 2);
    expect(leader.aborted.sort()).toEqual(['{"who":"gone"}', '{"who":"late"}']);
    const after = await a.forward('b', request('SendMessage', { after: true }), Date.now() + 5000);
    expect(after.answer?.output_json).toBe('{"after":true}');
  });

  it('times out each call at its own deadline, whatever order the deadlines came in (one timer per stream)', async () => {
    const all = await members('a', 'b');
    const a = await startNode('a', all);
    const leader = parkingLeader();
    await startNode('b', all, leader.onForward);
    const expired: string[] = [];
    const now = Date.now();
    const kept = a.forward('b', request('ReceiveMessage', { ms: 30_000 }), now + 30_000);
    const timed = [900, 300, 600].map((ms) =>
      a.forward('b', request('ReceiveMessage', { ms }), now + ms).then(
        () => 'answered',
        (error: unknown) => {
          expired.push(String(ms));
          return String(error);
        },
      ),
    );
    const outcomes = await Promise.all(timed);
    expect(outcomes.every((outcome) => /no answer within/.test(outcome))).toBe(true);
    expect(expired).toEqual(['300', '600', '900']);
    await waitFor('the leader to stop the three', () => leader.aborted.length === 3);
    await waitFor('the kept poll to park', () => leader.parked.has('{"ms":30000}'));
    leader.parked.get('{"ms":30000}')!();
    expect((await kept).answer?.output_json).toBe('{"ms":30000}');
  });

  it('fails a call the dying leader may have taken as unanswered, one never sent as not sent', async () => {
    const all = await members('a', 'b');
    const a = await startNode('a', all);
    const leader = parkingLeader();
    const b = await startNode('b', all, leader.onForward);
    const parked = a.forward('b', request('ReceiveMessage', { poll: 1 }), Date.now() + 30_000).catch((reason: unknown) => reason);
    await waitFor('the poll to park', () => leader.parked.size === 1);
    await b.close();
    started.splice(started.indexOf(b), 1);
    const error = await parked;
    expect(error).toBeInstanceOf(Error);
    // It may have been served: forwarding must not send it again.
    expect(error).not.toBeInstanceOf(ForwardNotSentError);
    // Nobody listens on b's port now: this one cannot have reached anyone.
    await expect(a.forward('b', request('SendMessage', {}), Date.now() + 5000)).rejects.toBeInstanceOf(ForwardNotSentError);
    await startNode('b', all, leader.onForward);
    await waitFor('a new stream to the restarted leader', () =>
      a.forward('b', request('SendMessage', { back: true }), Date.now() + 2000).then((reply) => reply.answer?.output_json === '{"back":true}', () => false),
    { timeoutMs: 15_000 });
  });
});
