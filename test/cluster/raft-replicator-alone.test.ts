/**
 * RaftReplicator as a cluster of one (every single node runs this way) on memory storage, with
 * fake timers: what its shortcuts must keep — the same answers, the log's bookkeeping, the
 * replication timeout — and what they buy: a write is committed before `propose` returns, and
 * applied entries are not kept in memory for followers that do not exist.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RaftReplicator } from '../../server/src/cluster/raft-replicator.js';
import type { PeerTransport } from '../../server/src/cluster/transport.js';
import { createEngine } from '../../server/src/engine/engine.js';
import { silentLogger } from '../../server/src/log.js';
import { createMemoryStorage } from '../../server/src/storage/memory-storage.js';
import type { Storage } from '../../server/src/storage/storage.js';

const CONTEXT = { baseUrl: 'http://localhost:9324', senderId: 'tester', account: { accountId: '000000000000', region: 'us-east-1' } };
const QUEUE_URL = 'http://localhost:9324/000000000000/alone';

const noPeers: PeerTransport = {
  start: () => Promise.resolve(),
  send: () => undefined,
  forward: () => Promise.reject(new Error('not used here')),
  peers: () => [],
  close: () => Promise.resolve(),
};

let replicator: RaftReplicator;

function startAlone(storage: Storage = createMemoryStorage()): RaftReplicator {
  let next = 0;
  replicator = new RaftReplicator({
    nodeId: 'n1',
    members: [{ id: 'n1', address: 'n1' }],
    engine: createEngine({ accountId: '000000000000', region: 'us-east-1', trackChanges: false }),
    storage,
    transport: noPeers,
    timing: { electionTimeoutMs: 100, heartbeatIntervalMs: 20, replicationTimeoutMs: 300 },
    logger: silentLogger,
    clock: () => Date.now(),
    monotonic: () => Date.now(),
    randomId: () => `00000000-0000-4000-8000-${String(next++).padStart(12, '0')}`,
  });
  replicator.start();
  return replicator;
}

async function leading(): Promise<void> {
  for (let step = 0; step < 100 && !replicator.isLeader(); step++) await vi.advanceTimersByTimeAsync(10);
  expect(replicator.isLeader()).toBe(true);
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_750_000_000_000 });
});

afterEach(() => {
  replicator.stop();
  vi.useRealTimers();
});

describe('RaftReplicator, a cluster of one', () => {
  it('commits a write before propose returns, and answers with its log index and one replica', async () => {
    startAlone();
    await leading();
    const created = replicator.propose('CreateQueue', { QueueName: 'alone' }, CONTEXT, 'majority');
    const status = replicator.raftStatus();
    expect(status.commitIndex).toBe(status.lastIndex);
    expect(status.persistedIndex).toBe(status.lastIndex);
    const committed = await created;
    expect(committed).toMatchObject({ logIndex: status.lastIndex, replicas: 1 });
    expect(committed.output.QueueUrl).toBe(QUEUE_URL);
  });

  it('answers every ack mode once its own copy is stored, and rejects with the engine’s error', async () => {
    startAlone();
    await leading();
    await replicator.propose('CreateQueue', { QueueName: 'alone' }, CONTEXT, 'all');
    for (const ackMode of ['none', 'one', 'majority', 'all'] as const) {
      const sent = await replicator.propose('SendMessage', { QueueUrl: QUEUE_URL, MessageBody: ackMode }, CONTEXT, ackMode);
      expect(sent.replicas).toBe(1);
      expect(sent.output.MD5OfMessageBody).toMatch(/^[0-9a-f]{32}$/);
    }
    await expect(
      replicator.propose('SendMessage', { QueueUrl: `${QUEUE_URL}-missing`, MessageBody: 'x' }, CONTEXT, 'majority'),
    ).rejects.toMatchObject({ code: 'QueueDoesNotExist' });
  });

  it('keeps only a handful of applied entries in memory: no follower will ever ask for them', async () => {
    startAlone();
    await leading();
    await replicator.propose('CreateQueue', { QueueName: 'alone' }, CONTEXT, 'majority');
    for (let i = 0; i < 500; i++) {
      await replicator.propose('SendMessage', { QueueUrl: QUEUE_URL, MessageBody: `m${i}` }, CONTEXT, 'majority');
    }
    const { firstIndex, lastIndex } = replicator.raftStatus();
    expect(lastIndex).toBeGreaterThan(500);
    expect(lastIndex - firstIndex + 1).toBeLessThanOrEqual(64);
  });

  it('still answers 503 when the write is not stored within the replication timeout', async () => {
    // Storage whose commits never land (a wedged disk): the lone node cannot count its own copy.
    const memory = createMemoryStorage();
    const wedged: Storage = { ...memory, kind: 'sqlite', commit: () => new Promise<void>(() => undefined) };
    startAlone(wedged);
    await leading();
    let outcome: unknown;
    replicator.propose('CreateQueue', { QueueName: 'alone' }, CONTEXT, 'majority').catch((error: unknown) => (outcome = error));
    for (let step = 0; step < 100 && outcome === undefined; step++) await vi.advanceTimersByTimeAsync(10);
    expect(outcome).toMatchObject({
      code: 'ServiceUnavailable',
      message: expect.stringMatching(/Ack mode "majority" was not met within 300 ms \(log index \d+ held by 0 of 1 nodes\)/),
    });
    expect(replicator.metrics.proposalsTimedOut).toBe(1);
  });

  it('answers 503 on time after a long quiet spell, when its ticker runs slowly', async () => {
    const memory = createMemoryStorage();
    let wedge = false;
    const wedgeable: Storage = { ...memory, kind: 'sqlite', commit: (batch) => (wedge ? new Promise<void>(() => undefined) : memory.commit(batch)) };
    startAlone(wedgeable);
    await leading();
    await vi.advanceTimersByTimeAsync(10_000);
    wedge = true;
    const proposedAt = Date.now();
    let outcome: unknown;
    let answeredAt = 0;
    replicator.propose('CreateQueue', { QueueName: 'alone' }, CONTEXT, 'majority').catch((error: unknown) => {
      outcome = error;
      answeredAt = Date.now();
    });
    for (let step = 0; step < 100 && outcome === undefined; step++) await vi.advanceTimersByTimeAsync(10);
    expect(outcome).toMatchObject({ code: 'ServiceUnavailable' });
    // The replication timeout (300 ms) plus at most a tick of the usual pace, not a quiet one.
    expect(answeredAt - proposedAt).toBeLessThan(400);
  });
});
