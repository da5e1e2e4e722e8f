import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createServiceStack, settle, useFakeTime, CONTEXT } from './service-fixture.js';
import { HousekeepingTimer } from '../../../server/src/service/housekeeping-timer.js';
import { silentLogger } from '../../../server/src/log.js';
import { createEngine } from '../../../server/src/engine/engine.js';
import { createMemoryStorage } from '../../../server/src/storage/memory-storage.js';
import { SingleNodeReplicator } from '../../../server/src/cluster/single-node-replicator.js';
import type { StorageBatch } from '../../../server/src/storage/storage.js';

beforeEach(useFakeTime);
afterEach(() => {
  vi.useRealTimers();
});

describe('NodeService', () => {
  it('serves reads from the engine without proposing anything', async () => {
    const stack = createServiceStack();
    await stack.createQueue('q');
    stack.proposeSpy.mockClear();
    expect((await stack.call('GetQueueUrl', { QueueName: 'q' })).QueueUrl).toBe('http://localhost:9324/000000000000/q');
    await stack.call('ListQueues', {});
    expect(stack.proposeSpy).not.toHaveBeenCalled();
  });

  it('proposes writes with the default ack mode, or the queue tag replimq:ack-mode', async () => {
    const stack = createServiceStack({ defaultAckMode: 'one' });
    const plain = await stack.createQueue('plain');
    const tagged = await stack.createQueue('tagged', {}, { 'replimq:ack-mode': 'all' });
    await stack.call('SendMessage', { QueueUrl: plain, MessageBody: 'a' });
    await stack.call('SendMessage', { QueueUrl: tagged, MessageBody: 'b' });
    await stack.call('TagQueue', { QueueUrl: plain, Tags: { 'replimq:ack-mode': 'none' } });
    await stack.call('SendMessage', { QueueUrl: plain, MessageBody: 'c' });
    await stack.call('TagQueue', { QueueUrl: plain, Tags: { 'replimq:ack-mode': 'bogus' } });
    await stack.call('SendMessage', { QueueUrl: plain, MessageBody: 'd' });
    const modes = stack.proposeSpy.mock.calls.map(([action, , , ackMode]) => `${action}:${ackMode}`);
    expect(modes).toEqual([
      'CreateQueue:one',
      'CreateQueue:all',
      'SendMessage:one',
      'SendMessage:all',
      'TagQueue:one',
      'SendMessage:none',
      'TagQueue:none',
      'SendMessage:one',
    ]);
  });

  it('answers writes with their log index and replica count', async () => {
    const stack = createServiceStack();
    const first = await stack.service.handle({ action: 'CreateQueue', input: { QueueName: 'q' } }, CONTEXT);
    const second = await stack.service.handle(
      { action: 'SendMessage', input: { QueueUrl: 'q', MessageBody: 'x' } },
      CONTEXT,
    );
    expect([first.logIndex, second.logIndex]).toEqual([1, 2]);
    expect(second.replicas).toBe(1);
  });

  it('passes the caller\'s base URL and sender id into the command', async () => {
    const stack = createServiceStack();
    const url = await stack.createQueue('q');
    await stack.call('SendMessage', { QueueUrl: url, MessageBody: 'x' }, { baseUrl: 'http://elsewhere:1', senderId: 'AIDASENDER' });
    const received = await stack.call('ReceiveMessage', { QueueUrl: url, AttributeNames: ['SenderId'] }, { baseUrl: 'http://elsewhere:1', senderId: 'x' });
    expect(received.Messages?.[0]?.Attributes?.['SenderId']).toBe('AIDASENDER');
    expect((await stack.call('GetQueueUrl', { QueueName: 'q' }, { baseUrl: 'http://elsewhere:1', senderId: 'x' })).QueueUrl).toBe(
      'http://elsewhere:1/000000000000/q',
    );
  });
});

describe('SingleNodeReplicator', () => {
  it('numbers applied commands and stores the applied index with their changes', async () => {
    const stack = createServiceStack();
    await stack.createQueue('q');
    await stack.call('SendMessage', { QueueUrl: 'q', MessageBody: 'x' });
    expect(stack.replicator.appliedIndex).toBe(2);
    expect(stack.storage.getMeta('appliedIndex')).toBe('2');
  });

  it('uses no log index for a rejected command', async () => {
    const stack = createServiceStack();
    await stack.createQueue('q');
    await expect(stack.call('SendMessage', { QueueUrl: 'q', MessageBody: '' })).rejects.toMatchObject({ name: 'SqsError' });
    await expect(stack.call('DeleteQueue', { QueueUrl: 'missing' })).rejects.toMatchObject({ code: 'QueueDoesNotExist' });
    expect(stack.replicator.appliedIndex).toBe(1);
    expect(stack.storage.getMeta('appliedIndex')).toBe('1');
  });

  it('fixes now and the random ids the engine asked for', async () => {
    const stack = createServiceStack();
    const url = await stack.createQueue('q');
    const sent = await stack.call('SendMessageBatch', {
      QueueUrl: url,
      Entries: [{ Id: 'a', MessageBody: 'x' }, { Id: 'b', MessageBody: 'y' }],
    });
    // The fixture's ids are id-1, id-2, …: message ids derive from them, so they differ.
    expect(new Set(sent.Successful.map((entry) => entry.MessageId)).size).toBe(2);
    const received = await stack.call('ReceiveMessage', { QueueUrl: url, AttributeNames: ['SentTimestamp'] });
    expect(received.Messages?.[0]?.Attributes?.['SentTimestamp']).toBe(String(Date.now()));
  });
});

describe('HousekeepingTimer', () => {
  it('proposes Housekeeping when the engine says it is due, and only on the leader', async () => {
    const stack = createServiceStack();
    let leader = false;
    const timer = new HousekeepingTimer({
      engine: stack.engine,
      replicator: stack.replicator,
      clock: () => Date.now(),
      logger: silentLogger,
      ackMode: 'majority',
      isLeader: () => leader,
      intervalMs: 500,
    });
    const due = vi.spyOn(stack.engine, 'housekeepingDue').mockReturnValue(true);
    timer.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(stack.proposeSpy).not.toHaveBeenCalled();
    leader = true;
    await vi.advanceTimersByTimeAsync(500);
    expect(stack.proposeSpy.mock.calls.map(([action]) => action)).toEqual(['Housekeeping']);
    due.mockReturnValue(false);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(stack.proposeSpy).toHaveBeenCalledTimes(1);
    timer.stop();
  });
});

describe('SingleNodeReplicator and storage', () => {
  it('answers only once the command\'s changes are committed', async () => {
    const engine = createEngine({ accountId: '000000000000', region: 'us-east-1', trackChanges: true });
    const storage = createMemoryStorage();
    const commits: { batch: StorageBatch; done: () => void }[] = [];
    storage.commit = (batch) => new Promise<void>((done) => commits.push({ batch, done }));
    const replicator = new SingleNodeReplicator({ engine, storage, clock: () => Date.now() });
    let answered = false;
    const proposal = replicator.propose('CreateQueue', { QueueName: 'q' }, CONTEXT, 'majority').then((committed) => {
      answered = true;
      return committed;
    });
    await settle();
    expect(answered).toBe(false);
    expect([...(commits[0]?.batch.changes?.keys() ?? [])]).toContain('q/q');
    expect(commits[0]?.batch.meta).toEqual({ appliedIndex: '1' });
    commits[0]!.done();
    expect((await proposal).logIndex).toBe(1);
  });
});
