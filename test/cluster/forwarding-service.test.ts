/**
 * ForwardingService with fake leadership, transport and timers: local on the leader, Forward RPC
 * on a follower, bounded retries while no leader is known, no resend of a request the leader
 * may have received, and `refuseClients`.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FaultInjector } from '../../server/src/admin/faults.js';
import { encodeAnswer, encodeFailure } from '../../server/src/cluster/forward-codec.js';
import { ForwardingService, type LeaderTracker } from '../../server/src/cluster/forwarding-service.js';
import type { ForwardReply, ForwardRequest } from '../../server/src/cluster/grpc/wire-messages.js';
import { NotLeaderError } from '../../server/src/cluster/not-leader-error.js';
import { ForwardNotSentError, type PeerTransport } from '../../server/src/cluster/transport.js';
import type { SqsRequest } from '../../server/src/engine/actions.js';
import type { ServiceAnswer, SqsService } from '../../server/src/sqs/sqs-service.js';

const REQUEST: SqsRequest = { action: 'ListQueues', input: {} };
const CONTEXT = { baseUrl: 'http://localhost:9324', senderId: 'tester', account: { accountId: '000000000000', region: 'us-east-1' } };

type ForwardCall = (to: string, request: ForwardRequest, deadline: number) => Promise<ForwardReply>;

function setUp(leadership: LeaderTracker, forward: ForwardCall) {
  const local: SqsService = { handle: vi.fn(async (): Promise<ServiceAnswer> => ({ output: { QueueUrls: ['local'] } })) };
  const calls: { to: string; request: ForwardRequest; deadline: number }[] = [];
  const transport = {
    forward: (to: string, request: ForwardRequest, deadline: number) => {
      calls.push({ to, request, deadline });
      return forward(to, request, deadline);
    },
  } as unknown as PeerTransport;
  const faults = new FaultInjector();
  const service = new ForwardingService({
    nodeId: 'n2',
    local,
    leadership,
    transport,
    faults,
    electionTimeoutMs: 1000,
    replicationTimeoutMs: 5000,
    account: CONTEXT.account,
    now: () => Date.now(),
  });
  return { service, local, calls, faults };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_750_000_000_000 });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('ForwardingService', () => {
  it('serves locally on the leader', async () => {
    const { service, calls } = setUp({ isLeader: () => true, leaderId: () => 'n2' }, () => Promise.reject(new Error('unused')));
    await expect(service.handle(REQUEST, CONTEXT)).resolves.toEqual({ output: { QueueUrls: ['local'] } });
    expect(calls).toEqual([]);
  });

  it('forwards to the leader on a follower, long polls with their wait as budget', async () => {
    const { service, calls } = setUp({ isLeader: () => false, leaderId: () => 'n1' }, async () =>
      encodeAnswer({ output: { Messages: [] }, logIndex: 9, replicas: 2 }),
    );
    const receive: SqsRequest = { action: 'ReceiveMessage', input: { QueueUrl: 'q', WaitTimeSeconds: 10 } };
    await expect(service.handle(receive, CONTEXT)).resolves.toEqual({ output: { Messages: [] }, logIndex: 9, replicas: 2 });
    expect(calls[0]?.to).toBe('n1');
    expect(calls[0]!.deadline - Date.now()).toBe(10_000 + 5000 + 2000);
  });

  it('waits for a leader, then retries where the answer says the leader is', async () => {
    let leader: string | undefined;
    const { service, calls } = setUp({ isLeader: () => false, leaderId: () => leader }, async (to) =>
      to === 'n3' ? encodeFailure(new NotLeaderError('n1')) : encodeAnswer({ output: { QueueUrls: ['from n1'] } }),
    );
    const answer = service.handle(REQUEST, CONTEXT);
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toEqual([]);
    // This node believes n3 leads; n3 knows better and names n1.
    leader = 'n3';
    await vi.advanceTimersByTimeAsync(120);
    await expect(answer).resolves.toEqual({ output: { QueueUrls: ['from n1'] } });
    expect(calls.map((call) => call.to)).toEqual(['n3', 'n1']);
  });

  it('gives up with 503 after three election timeouts without a leader', async () => {
    const { service } = setUp({ isLeader: () => false, leaderId: () => undefined }, () => Promise.reject(new Error('unused')));
    const answer = service.handle(REQUEST, CONTEXT);
    const settled = expect(answer).rejects.toMatchObject({ code: 'ServiceUnavailable', message: expect.stringContaining('no leader is known') });
    await vi.advanceTimersByTimeAsync(3100);
    await settled;
  });

  it('retries a forward that was never sent, but not one the leader may have received', async () => {
    let attempts = 0;
    const unsent = setUp({ isLeader: () => false, leaderId: () => 'n1' }, async () => {
      attempts++;
      if (attempts < 3) throw new ForwardNotSentError('no connection');
      return encodeAnswer({ output: { QueueUrls: [] } });
    });
    const answer = unsent.service.handle(REQUEST, CONTEXT);
    await vi.advanceTimersByTimeAsync(200);
    await expect(answer).resolves.toEqual({ output: { QueueUrls: [] } });

    const lost = setUp({ isLeader: () => false, leaderId: () => 'n1' }, () => Promise.reject(new Error('connection reset')));
    await expect(lost.service.handle(REQUEST, CONTEXT)).rejects.toMatchObject({ code: 'ServiceUnavailable' });
    expect(lost.calls).toHaveLength(1);
  });

  it('returns the leader’s SqsError as it is', async () => {
    const { service } = setUp({ isLeader: () => false, leaderId: () => 'n1' }, async () =>
      ({ result: 'error', error: { code: 'QueueDoesNotExist', message: 'gone', not_leader: false, leader_id: '' } }) as ForwardReply,
    );
    await expect(service.handle(REQUEST, CONTEXT)).rejects.toMatchObject({ code: 'QueueDoesNotExist', message: 'gone' });
  });

  it('refuses clients while the fault is set, on the leader too', async () => {
    const { service, faults, local } = setUp({ isLeader: () => true, leaderId: () => 'n2' }, () => Promise.reject(new Error('unused')));
    faults.set({ refuseClients: true });
    await expect(service.handle(REQUEST, CONTEXT)).rejects.toMatchObject({ code: 'ServiceUnavailable' });
    expect(local.handle).not.toHaveBeenCalled();
  });

  it('serves a forwarded request on the leader, but not one whose caller stopped waiting', async () => {
    const { service, local } = setUp({ isLeader: () => true, leaderId: () => 'n2' }, () => Promise.reject(new Error('unused')));
    const wire: ForwardRequest = {
      from: 'n1', action: 'ListQueues', input_json: '{}', base_url: CONTEXT.baseUrl, sender_id: 'tester', account_id: '', region: '',
    };
    const signal = new AbortController().signal;
    await expect(service.serve(wire, Date.now() + 1000, signal)).resolves.toMatchObject({ result: 'answer' });
    expect(local.handle).toHaveBeenCalledTimes(1);
    await expect(service.serve(wire, Date.now(), signal)).resolves.toMatchObject({ result: 'error', error: { code: 'ServiceUnavailable' } });
    expect(local.handle).toHaveBeenCalledTimes(1);
  });

  it('gives the leader the client’s abort signal for long polls only', async () => {
    const signals: (AbortSignal | undefined)[] = [];
    const transport = { forward: async (_to: string, _request: ForwardRequest, _deadline: number, signal?: AbortSignal) => {
      signals.push(signal);
      return encodeAnswer({ output: {} });
    } } as unknown as PeerTransport;
    const service = new ForwardingService({
      nodeId: 'n2', local: { handle: vi.fn() }, leadership: { isLeader: () => false, leaderId: () => 'n1' }, transport,
      faults: new FaultInjector(), electionTimeoutMs: 1000, replicationTimeoutMs: 5000, account: CONTEXT.account,
    });
    const client = new AbortController();
    const context = { ...CONTEXT, signal: client.signal };
    await service.handle({ action: 'SendMessage', input: { QueueUrl: 'q', MessageBody: 'b' } }, context);
    await service.handle({ action: 'ReceiveMessage', input: { QueueUrl: 'q', WaitTimeSeconds: 1 } }, context);
    expect(signals).toEqual([undefined, client.signal]);
  });
});
