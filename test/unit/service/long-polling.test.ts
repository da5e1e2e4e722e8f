import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SqsError } from '../../../server/src/engine/errors.js';
import { createServiceStack, settle, settleUntil, useFakeTime, CONTEXT } from './service-fixture.js';

beforeEach(useFakeTime);
afterEach(() => {
  vi.useRealTimers();
});

/** Tracks a promise so a test can ask whether it settled yet. */
function track<T>(promise: Promise<T>): { done: () => boolean; value: Promise<T> } {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  return { done: () => done, value: promise };
}

describe('long polling', () => {
  it('answers a parked receive as soon as a message is sent, without waiting for the deadline', async () => {
    const stack = createServiceStack();
    const queueUrl = await stack.createQueue('q');
    const receive = track(stack.call('ReceiveMessage', { QueueUrl: queueUrl, WaitTimeSeconds: 20 }));
    await settle();
    expect(receive.done()).toBe(false);
    expect(stack.waiters.size).toBe(1);

    await stack.call('SendMessage', { QueueUrl: queueUrl, MessageBody: 'hello' });
    await settle();
    expect(receive.done()).toBe(true);
    expect((await receive.value).Messages?.map((message) => message.Body)).toEqual(['hello']);
    expect(stack.waiters.size).toBe(0);
  });

  it('answers no messages at the deadline and writes no log entry for the empty wait', async () => {
    const stack = createServiceStack();
    const queueUrl = await stack.createQueue('q');
    const indexBefore = stack.replicator.appliedIndex;
    const receive = track(stack.call('ReceiveMessage', { QueueUrl: queueUrl, WaitTimeSeconds: 5 }));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(receive.done()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await receive.value).toEqual({});
    expect(stack.replicator.appliedIndex).toBe(indexBefore);
  });

  it('uses the queue ReceiveMessageWaitTimeSeconds when the request gives no wait', async () => {
    const stack = createServiceStack();
    const queueUrl = await stack.createQueue('q', { ReceiveMessageWaitTimeSeconds: '3' });
    const receive = track(stack.call('ReceiveMessage', { QueueUrl: queueUrl }));
    await vi.advanceTimersByTimeAsync(2_999);
    expect(receive.done()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await receive.value).toEqual({});
  });

  it('an explicit WaitTimeSeconds of 0 overrides the queue wait and answers at once', async () => {
    const stack = createServiceStack();
    const queueUrl = await stack.createQueue('q', { ReceiveMessageWaitTimeSeconds: '20' });
    const receive = track(stack.call('ReceiveMessage', { QueueUrl: queueUrl, WaitTimeSeconds: 0 }));
    await settle();
    expect(receive.done()).toBe(true);
  });

  it('wakes when a delayed message becomes visible, with no command in between', async () => {
    const stack = createServiceStack();
    const queueUrl = await stack.createQueue('q');
    await stack.call('SendMessage', { QueueUrl: queueUrl, MessageBody: 'later', DelaySeconds: 3 });
    const receive = track(stack.call('ReceiveMessage', { QueueUrl: queueUrl, WaitTimeSeconds: 20 }));
    await vi.advanceTimersByTimeAsync(2_900);
    expect(receive.done()).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect((await receive.value).Messages?.[0]?.Body).toBe('later');
  });

  it('wakes when an in-flight message times out back to visible', async () => {
    const stack = createServiceStack();
    const queueUrl = await stack.createQueue('q', { VisibilityTimeout: '2' });
    await stack.call('SendMessage', { QueueUrl: queueUrl, MessageBody: 'again' });
    expect((await stack.call('ReceiveMessage', { QueueUrl: queueUrl })).Messages).toHaveLength(1);
    const receive = track(stack.call('ReceiveMessage', { QueueUrl: queueUrl, WaitTimeSeconds: 10 }));
    await vi.advanceTimersByTimeAsync(1_900);
    expect(receive.done()).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect((await receive.value).Messages?.[0]?.Body).toBe('again');
  });

  it('hands one message to one of many waiters; the others keep waiting', async () => {
    const stack = createServiceStack();
    const queueUrl = await stack.createQueue('q');
    const receives = Array.from({ length: 50 }, () => track(stack.call('ReceiveMessage', { QueueUrl: queueUrl, WaitTimeSeconds: 20 })));
    await settle();
    expect(stack.waiters.size).toBe(50);
    await stack.call('SendMessage', { QueueUrl: queueUrl, MessageBody: 'only one' });
    await settle();
    await settle();
    expect(receives.filter((receive) => receive.done())).toHaveLength(1);
    expect(stack.waiters.size).toBe(49);
    // The first to ask is the first served.
    expect((await receives[0]!.value).Messages?.[0]?.Body).toBe('only one');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(receives.every((receive) => receive.done())).toBe(true);
  });

  it('serves waiters in turn from a batch of messages', async () => {
    const stack = createServiceStack();
    const queueUrl = await stack.createQueue('q');
    const receives = Array.from({ length: 3 }, () => track(stack.call('ReceiveMessage', { QueueUrl: queueUrl, WaitTimeSeconds: 20 })));
    await settle();
    await stack.call('SendMessageBatch', {
      QueueUrl: queueUrl,
      Entries: [1, 2, 3].map((n) => ({ Id: `e${n}`, MessageBody: `m${n}` })),
    });
    await settleUntil(() => receives.every((receive) => receive.done()));
    const bodies = await Promise.all(receives.map(async (receive) => (await receive.value).Messages?.map((m) => m.Body) ?? []));
    expect(bodies.flat().sort()).toEqual(['m1', 'm2', 'm3']);
  });

  it('does not poll: a parked waiter costs no engine calls while nothing happens', async () => {
    const stack = createServiceStack();
    const queueUrl = await stack.createQueue('q');
    const receive = track(stack.call('ReceiveMessage', { QueueUrl: queueUrl, WaitTimeSeconds: 20 }));
    await settle();
    const hasReceivable = vi.spyOn(stack.engine, 'hasReceivable');
    await vi.advanceTimersByTimeAsync(19_000);
    expect(hasReceivable).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(receive.done()).toBe(true);
  });

  it('releases a waiter whose client went away', async () => {
    const stack = createServiceStack();
    const queueUrl = await stack.createQueue('q');
    const abort = new AbortController();
    const receive = track(stack.call('ReceiveMessage', { QueueUrl: queueUrl, WaitTimeSeconds: 20 }, { ...CONTEXT, signal: abort.signal }));
    await settle();
    expect(stack.waiters.size).toBe(1);
    abort.abort();
    await settle();
    expect(receive.done()).toBe(true);
    expect(stack.waiters.size).toBe(0);
  });

  it('reports an unknown queue at once instead of waiting', async () => {
    const stack = createServiceStack();
    await expect(stack.call('ReceiveMessage', { QueueUrl: 'http://localhost:9324/000000000000/nope', WaitTimeSeconds: 20 })).rejects.toMatchObject({
      code: 'QueueDoesNotExist',
    });
  });

  it.each([
    [{ MaxNumberOfMessages: 11 }],
    [{ VisibilityTimeout: -1 }],
    [{ WaitTimeSeconds: 21 }],
  ])('reports invalid parameters %j at once instead of waiting', async (parameters) => {
    const stack = createServiceStack();
    const queueUrl = await stack.createQueue('q');
    const error = await stack.call('ReceiveMessage', { QueueUrl: queueUrl, WaitTimeSeconds: 20, ...parameters }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SqsError);
  });

  it('releases waiters of a deleted queue with QueueDoesNotExist', async () => {
    const stack = createServiceStack();
    const queueUrl = await stack.createQueue('q');
    const receive = stack.call('ReceiveMessage', { QueueUrl: queueUrl, WaitTimeSeconds: 20 }).catch((e: unknown) => e);
    await settle();
    await stack.call('DeleteQueue', { QueueUrl: queueUrl });
    await settle();
    expect(await receive).toMatchObject({ code: 'QueueDoesNotExist' });
  });

  it('matches waiters and sends by queue name, whatever URL spelling each client used', async () => {
    const stack = createServiceStack();
    await stack.createQueue('q');
    const receive = track(stack.call('ReceiveMessage', { QueueUrl: 'http://other-host:1234/000000000000/q', WaitTimeSeconds: 20 }));
    await settle();
    await stack.call('SendMessage', { QueueUrl: 'http://localhost:9324/000000000000/q', MessageBody: 'x' });
    await settle();
    expect(receive.done()).toBe(true);
  });
});

describe('long polling at shutdown', () => {
  it('answers parked and later long polls at once once the waiters are closed', async () => {
    const stack = createServiceStack();
    const queueUrl = await stack.createQueue('q');
    const parked = track(stack.call('ReceiveMessage', { QueueUrl: queueUrl, WaitTimeSeconds: 20 }));
    await settle();
    stack.waiters.close();
    await settle();
    expect(parked.done()).toBe(true);
    expect(await parked.value).toEqual({});
    const late = track(stack.call('ReceiveMessage', { QueueUrl: queueUrl, WaitTimeSeconds: 20 }));
    await settle();
    expect(late.done()).toBe(true);
  });
});
