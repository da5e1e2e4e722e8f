/**
 * RaftReplicator on an in-memory network with fake timers: three replicators, real engines and
 * memory storage, time moved by hand. Checks what a real cluster makes slow or racy to check:
 * the replication timeout, NotLeaderError on followers, `none` answering without followers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NotLeaderError } from '../../server/src/cluster/not-leader-error.js';
import type { RaftMessage } from '../../server/src/cluster/raft/index.js';
import { RaftReplicator } from '../../server/src/cluster/raft-replicator.js';
import { stateDigest } from '../../server/src/cluster/state-digest.js';
import type { AckMode } from '../../server/src/cluster/replicator.js';
import type { PeerLinkStatus, PeerTransport, StateRecords, TransportHandlers } from '../../server/src/cluster/transport.js';
import { createEngine } from '../../server/src/engine/engine.js';
import type { QueueEngine } from '../../server/src/engine/queue-engine.js';
import { silentLogger } from '../../server/src/log.js';
import { createMemoryStorage } from '../../server/src/storage/memory-storage.js';
import { openSqliteStorage } from '../../server/src/storage/sqlite-storage.js';
import type { Storage } from '../../server/src/storage/storage.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const IDS = ['n1', 'n2', 'n3'];
const CONTEXT = { baseUrl: 'http://localhost:9324', senderId: 'tester', account: { accountId: '000000000000', region: 'us-east-1' } };

/** Every node's inbox; `cut` holds directed links (`n1>n2`) that drop their messages. */
class MemoryNetwork {
  readonly replicators = new Map<string, RaftReplicator>();
  readonly cut = new Set<string>();
  readonly lastHeard = new Map<string, number>();
  /** Every message sent, as `from>to type`. */
  readonly log: string[] = [];

  transport(self: string): PeerTransport {
    return {
      start: (_handlers: TransportHandlers) => Promise.resolve(),
      send: (to: string, message: RaftMessage<unknown>, snapshot?: StateRecords) => {
        this.log.push(`${self}>${to} ${message.type}`);
        if (this.cut.has(`${self}>${to}`)) return;
        const copy = structuredClone(message);
        queueMicrotask(() => {
          this.lastHeard.set(`${to}<${self}`, Date.now());
          this.replicators.get(to)?.receive(self, copy, snapshot);
        });
      },
      forward: () => Promise.reject(new Error('not used here')),
      peers: (): PeerLinkStatus[] =>
        IDS.filter((id) => id !== self).map((id) => {
          const heard = this.lastHeard.get(`${self}<${id}`);
          return {
            id,
            address: id,
            connected: true,
            lastContactMs: heard === undefined ? null : Date.now() - heard,
            dropped: 0,
            droppedByFaults: { to: 0, from: 0 },
          };
        }),
      close: () => Promise.resolve(),
    };
  }

  isolate(id: string): void {
    for (const other of IDS) {
      if (other === id) continue;
      this.cut.add(`${id}>${other}`);
      this.cut.add(`${other}>${id}`);
    }
  }
}

let network: MemoryNetwork;
let engines: Map<string, QueueEngine>;

beforeEach(() => {
  vi.useFakeTimers({ now: 1_750_000_000_000 });
  startReplicators(() => createMemoryStorage());
});

/** Three replicators on a fresh network, each on the storage `storageOf` gives it. */
function startReplicators(storageOf: (id: string) => Storage): void {
  network = new MemoryNetwork();
  engines = new Map();
  let seed = 1;
  for (const id of IDS) {
    const engine = createEngine({ accountId: '000000000000', region: 'us-east-1', trackChanges: false });
    engines.set(id, engine);
    network.replicators.set(
      id,
      new RaftReplicator({
        nodeId: id,
        members: IDS.map((member) => ({ id: member, address: member })),
        engine,
        storage: storageOf(id),
        transport: network.transport(id),
        timing: { electionTimeoutMs: 1000, heartbeatIntervalMs: 100, replicationTimeoutMs: 300 },
        logger: silentLogger,
        clock: () => Date.now(),
        monotonic: () => Date.now(),
        // A different, fixed sequence per node: elections are reproducible.
        random: (() => {
          let state = seed++ * 7919;
          return () => ((state = (state * 16807) % 2147483647) / 2147483647);
        })(),
        randomId: (() => {
          let next = 0;
          return () => `${id}-id-${next++}`;
        })(),
      }),
    );
  }
  for (const replicator of network.replicators.values()) replicator.start();
}

afterEach(() => {
  for (const replicator of network.replicators.values()) replicator.stop();
  vi.useRealTimers();
});

async function elect(): Promise<[string, RaftReplicator]> {
  for (let step = 0; step < 400; step++) {
    await vi.advanceTimersByTimeAsync(20);
    const leaders = [...network.replicators].filter(([, replicator]) => replicator.isLeader());
    const agreed = [...network.replicators.values()].every((replicator) => replicator.leaderId() === leaders[0]?.[0]);
    if (leaders.length === 1 && agreed) return leaders[0]!;
  }
  throw new Error('no leader within 8 s of fake time');
}

function createQueue(replicator: RaftReplicator, name: string, ackMode: AckMode = 'majority') {
  return replicator.propose('CreateQueue', { QueueName: name }, CONTEXT, ackMode);
}

/** Resolves the promise while moving fake time, so timers and microtasks both run. */
async function settle<T>(promise: Promise<T>): Promise<T> {
  let outcome: { value: T } | { error: unknown } | undefined;
  promise.then((value) => (outcome = { value }), (error: unknown) => (outcome = { error }));
  for (let step = 0; step < 200 && !outcome; step++) await vi.advanceTimersByTimeAsync(5);
  if (!outcome) throw new Error('still pending after 1 s of fake time');
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}

describe('RaftReplicator', () => {
  it('commits on a majority and leaves every engine with the same state', async () => {
    const [, leader] = await elect();
    const committed = await settle(createQueue(leader, 'orders'));
    expect(committed.output.QueueUrl).toBe('http://localhost:9324/000000000000/orders');
    expect(committed.replicas).toBeGreaterThanOrEqual(2);
    await vi.advanceTimersByTimeAsync(300);
    const digests = IDS.map((id) => stateDigest(engines.get(id)!).digest);
    expect(new Set(digests).size).toBe(1);
    expect(stateDigest(engines.get('n1')!).records).toBeGreaterThan(0);
  });

  it('rejects a proposal on a follower with NotLeaderError naming the leader', async () => {
    const [leaderId] = await elect();
    const follower = [...network.replicators].find(([id]) => id !== leaderId)![1];
    const rejection = createQueue(follower, 'nope');
    await expect(rejection).rejects.toBeInstanceOf(NotLeaderError);
    await expect(rejection).rejects.toMatchObject({ code: 'ServiceUnavailable', leaderId });
  });

  it('answers 503 when the ack mode is not met within the replication timeout', async () => {
    const [leaderId, leader] = await elect();
    network.isolate(leaderId);
    await expect(settle(createQueue(leader, 'stranded'))).rejects.toMatchObject({
      code: 'ServiceUnavailable',
      message: expect.stringMatching(/Ack mode "majority" was not met within 300 ms \(log index \d+ held by 1 of 3 nodes\)/),
    });
    expect(leader.metrics.proposalsTimedOut).toBe(1);
  });

  it('answers "none" as soon as the leader applied the command, followers cut off or not', async () => {
    const [leaderId, leader] = await elect();
    network.isolate(leaderId);
    const committed = await settle(createQueue(leader, 'fire-and-forget', 'none'));
    expect(committed.replicas).toBe(1);
    expect(engines.get(leaderId)!.queueTags('fire-and-forget', CONTEXT.account)).toEqual({});
  });

  it('answers later writes whose own ack mode is met while an earlier write still waits for its own', async () => {
    const [leaderId, leader] = await elect();
    network.isolate(leaderId);
    let waitingDone = false;
    const waiting = createQueue(leader, 'waits-for-majority');
    waiting.then(
      () => (waitingDone = true),
      () => (waitingDone = true),
    );
    // Proposed after it: met at once (`none`), or failed at once (the engine's error).
    const later = await settle(createQueue(leader, 'after-it', 'none'));
    expect(later.replicas).toBe(1);
    await expect(
      settle(leader.propose('SendMessage', { QueueUrl: 'http://localhost:9324/000000000000/missing', MessageBody: 'x' }, CONTEXT, 'majority')),
    ).rejects.toMatchObject({ code: 'QueueDoesNotExist' });
    expect(waitingDone).toBe(false);
    await expect(settle(waiting)).rejects.toMatchObject({ code: 'ServiceUnavailable' });
  });

  it('gathers the writes proposed while an append waits for its answer into the next append', async () => {
    const [leaderId, leader] = await elect();
    await settle(createQueue(leader, 'burst'));
    await vi.advanceTimersByTimeAsync(50);
    network.log.length = 0;
    const url = 'http://localhost:9324/000000000000/burst';
    // Five writes in one turn. One append may wait for its answer per follower, so the first
    // write leaves alone and the other four, gathered while it waits, leave as one append.
    const sends = Array.from({ length: 5 }, (_, i) => leader.propose('SendMessage', { QueueUrl: url, MessageBody: `m${i}` }, CONTEXT, 'majority'));
    const committed = await settle(Promise.all(sends));
    expect(committed.map((write) => write.replicas >= 2)).toEqual([true, true, true, true, true]);
    for (const follower of IDS.filter((id) => id !== leaderId)) {
      expect(network.log.filter((line) => line === `${leaderId}>${follower} append`)).toHaveLength(2);
      expect(network.log.filter((line) => line === `${follower}>${leaderId} appendResponse`)).toHaveLength(2);
    }
  });

  it('"all" leaves out of its view a follower that only reaches the leader with vote requests', async () => {
    const [leaderId, leader] = await elect();
    const [cutOff, other] = IDS.filter((id) => id !== leaderId) as [string, string];
    // One-way cut: the leader's appends never arrive, while the follower's pre-votes still do.
    network.cut.add(`${leaderId}>${cutOff}`);
    const preVotesSeen: number[] = [];
    const deliver = leader.receive.bind(leader);
    leader.receive = (from, message, snapshot) => {
      if (from === cutOff && message.type === 'preVote') preVotesSeen.push(Date.now());
      deliver(from, message, snapshot);
    };
    await vi.advanceTimersByTimeAsync(2_000);
    await settle(createQueue(leader, 'before', 'majority'));
    // Every write proposed from now on, right after a pre-vote too, holds on the leader and
    // the follower that answers it: "all" must be met by them, well within the 300 ms timeout.
    const outcomes: string[] = [];
    for (let at = 0; at < 30; at++) {
      const committed = await settle(createQueue(leader, `q${at}`, 'all')).then(
        (answer) => `ok:${answer.replicas}`,
        (error: unknown) => `failed:${(error as Error).message}`,
      );
      outcomes.push(committed);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(preVotesSeen.length).toBeGreaterThan(0);
    expect(outcomes).toEqual(Array.from({ length: 30 }, () => 'ok:2'));
    expect(engines.get(other)!.queueTags('q29', CONTEXT.account)).toEqual({});
  });

  it('rejects with the engine’s error, changing nothing', async () => {
    const [, leader] = await elect();
    await expect(
      settle(leader.propose('SendMessage', { QueueUrl: 'http://localhost:9324/000000000000/missing', MessageBody: 'x' }, CONTEXT, 'majority')),
    ).rejects.toMatchObject({ code: 'QueueDoesNotExist' });
  });
});

describe('the fresh-start wait', () => {
  /** First leader's election time, in ms of fake time after start. */
  const firstElection = async (): Promise<number> => {
    const started = Date.now();
    await elect();
    return Date.now() - started;
  };

  it('ends early in a new memory cluster: every node showed the others an empty log, so there was nothing to protect', async () => {
    // electionTimeoutMs 1000: timeouts in [1000, 2000), the wait 2000 — cut short by the probes,
    // and the owner of term 1 campaigns first.
    expect(await firstElection()).toBeLessThan(1000);
    const [leader] = await elect();
    expect(network.replicators.get(leader)!.raftStatus().term).toBe(1);
    // A node restarted into a running cluster keeps the whole wait: test/unit/raft (scenarios).
  });

  it('does not hold back durable nodes: term 0 on disk means nothing was ever voted or acknowledged', async () => {
    for (const replicator of network.replicators.values()) replicator.stop();
    const dir = mkdtempSync(join(tmpdir(), 'replimq-fresh-'));
    try {
      const storages: Storage[] = [];
      startReplicators((id) => {
        const storage = openSqliteStorage({ dataDir: dir, nodeId: id });
        storages.push(storage);
        return storage;
      });
      try {
        expect(await firstElection()).toBeLessThan(2000);
      } finally {
        for (const replicator of network.replicators.values()) replicator.stop();
        await Promise.all(storages.map((storage) => storage.close()));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

