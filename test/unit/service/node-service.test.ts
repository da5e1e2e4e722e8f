import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createServiceStack, useFakeTime, CONTEXT, HOME_ACCOUNT } from './service-fixture.js';
import { HousekeepingTimer } from '../../../server/src/service/housekeeping-timer.js';
import { silentLogger } from '../../../server/src/log.js';

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

  it('answers a no-wait receive that would change nothing empty, without proposing it', async () => {
    const stack = createServiceStack();
    const url = await stack.createQueue('q');
    stack.proposeSpy.mockClear();
    expect(await stack.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })).toEqual({});
    expect(await stack.call('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: 0 })).toEqual({});
    expect(stack.proposeSpy).not.toHaveBeenCalled();

    await stack.call('SendMessage', { QueueUrl: url, MessageBody: 'x' });
    stack.proposeSpy.mockClear();
    expect((await stack.call('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: 0 })).Messages?.map((m) => m.Body)).toEqual(['x']);
    expect(stack.proposeSpy.mock.calls.map(([action]) => action)).toEqual(['ReceiveMessage']);
  });

  it('still proposes no-wait receives the engine must judge: errors and FIFO attempt ids', async () => {
    const stack = createServiceStack();
    const url = await stack.createQueue('q.fifo', { FifoQueue: 'true' });
    stack.proposeSpy.mockClear();
    await expect(stack.call('ReceiveMessage', { QueueUrl: 'http://localhost:9324/000000000000/nope' })).rejects.toMatchObject({ code: 'QueueDoesNotExist' });
    await expect(stack.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 11 })).rejects.toMatchObject({ code: 'InvalidParameterValue' });
    expect(await stack.call('ReceiveMessage', { QueueUrl: url, ReceiveRequestAttemptId: 'a1' })).toEqual({});
    expect(stack.proposeSpy.mock.calls.map(([action]) => action)).toEqual(['ReceiveMessage', 'ReceiveMessage', 'ReceiveMessage']);
  });

  it('passes the caller\'s base URL and sender id into the command', async () => {
    const stack = createServiceStack();
    const url = await stack.createQueue('q');
    await stack.call('SendMessage', { QueueUrl: url, MessageBody: 'x' }, { baseUrl: 'http://elsewhere:1', senderId: 'AIDASENDER', account: HOME_ACCOUNT });
    const received = await stack.call('ReceiveMessage', { QueueUrl: url, AttributeNames: ['SenderId'] }, { baseUrl: 'http://elsewhere:1', senderId: 'x', account: HOME_ACCOUNT });
    expect(received.Messages?.[0]?.Attributes?.['SenderId']).toBe('AIDASENDER');
    expect((await stack.call('GetQueueUrl', { QueueName: 'q' }, { baseUrl: 'http://elsewhere:1', senderId: 'x', account: HOME_ACCOUNT })).QueueUrl).toBe(
      'http://elsewhere:1/000000000000/q',
    );
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
      account: HOME_ACCOUNT,
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
