/**
 * Delivery delay (queue DelaySeconds and per-message DelaySeconds, which overrides it), long
 * polling (WaitTimeSeconds and the queue's ReceiveMessageWaitTimeSeconds: answer as soon as a
 * message arrives, an empty answer when the wait ends, at most 20 s) and MaxNumberOfMessages (1–10,
 * default 1).
 */
import { expect, it, vi } from 'vitest';
import { describeEachFlavour } from '../../support/conformance-target.js';
import {
  EVENTUALLY,
  createQueue,
  expectNothingVisible,
  expectSqsError,
  queueAttributes,
  receiveAtLeast,
  receiveOne,
} from '../../support/conformance-helpers.js';

const INVALID_PARAMETER = { code: 'InvalidParameterValue', status: 400 };

/** Resolves with `marker` after `ms`: lets a test tell "answered early" from "waited it out". */
function after<T>(ms: number, marker: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(marker), ms));
}

/** A delay the "held back" checks fit inside: 3 s, not 1, because their three to five calls took
 *  longer than a second on a loaded 2-core CI machine and the message was already due. */
const HELD_BACK_SECONDS = 3;

describeEachFlavour('delays and long polling', (sqs) => {
  it('holds every message back for the queue DelaySeconds, counting it as delayed', async () => {
    const url = await createQueue(sqs, 'queuedelay', { DelaySeconds: String(HELD_BACK_SECONDS) });
    const { MessageId } = await sqs.sendMessage({ QueueUrl: url, MessageBody: 'later' });
    await expectNothingVisible(sqs, url);
    expect(await queueAttributes(sqs, url, ['ApproximateNumberOfMessagesDelayed'])).toEqual({
      ApproximateNumberOfMessagesDelayed: '1',
    });
    expect((await receiveOne(sqs, url)).MessageId).toBe(MessageId);
  });

  it('holds a message back for its own DelaySeconds', async () => {
    const url = await createQueue(sqs, 'messagedelay');
    const { MessageId } = await sqs.sendMessage({ QueueUrl: url, MessageBody: 'later', DelaySeconds: HELD_BACK_SECONDS });
    await expectNothingVisible(sqs, url);
    expect((await receiveOne(sqs, url)).MessageId).toBe(MessageId);
  });

  it("a message's DelaySeconds 0 overrides the queue's delay", async () => {
    const url = await createQueue(sqs, 'overridedelay', { DelaySeconds: '900' });
    const { MessageId } = await sqs.sendMessage({ QueueUrl: url, MessageBody: 'now', DelaySeconds: 0 });
    expect((await receiveOne(sqs, url)).MessageId).toBe(MessageId);
  });

  // Developer guide, delay queues: for standard queues the per-queue delay "is not retroactive".
  it("raising a standard queue's DelaySeconds does not delay messages already sent", async () => {
    const url = await createQueue(sqs, 'notretroactive');
    const { MessageId } = await sqs.sendMessage({ QueueUrl: url, MessageBody: 'already here' });
    await sqs.setQueueAttributes({ QueueUrl: url, Attributes: { DelaySeconds: '900' } });
    expect((await receiveOne(sqs, url)).MessageId).toBe(MessageId);
  });

  // Developer guide, delay queues: for FIFO queues the per-queue delay "is retroactive - changing
  // the setting affects the delay of messages already in the queue".
  it("lowering a FIFO queue's DelaySeconds releases messages already waiting", async () => {
    const url = await createQueue(sqs, 'retroactive', { FifoQueue: 'true', ContentBasedDeduplication: 'true', DelaySeconds: '900' });
    const { MessageId } = await sqs.sendMessage({ QueueUrl: url, MessageBody: 'waiting', MessageGroupId: 'g' });
    expect(await queueAttributes(sqs, url, ['ApproximateNumberOfMessagesDelayed'])).toEqual({ ApproximateNumberOfMessagesDelayed: '1' });
    await sqs.setQueueAttributes({ QueueUrl: url, Attributes: { DelaySeconds: '0' } });
    expect((await receiveOne(sqs, url)).MessageId).toBe(MessageId);
  });

  it("raising a FIFO queue's DelaySeconds holds back messages not yet received", async () => {
    const url = await createQueue(sqs, 'retroraise', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    await sqs.sendMessage({ QueueUrl: url, MessageBody: 'held back', MessageGroupId: 'g' });
    await sqs.setQueueAttributes({ QueueUrl: url, Attributes: { DelaySeconds: '900' } });
    await expectNothingVisible(sqs, url);
    expect(await queueAttributes(sqs, url, ['ApproximateNumberOfMessagesDelayed'])).toEqual({ ApproximateNumberOfMessagesDelayed: '1' });
  });

  it('a long poll answers as soon as a message arrives, long before the wait ends', async () => {
    const url = await createQueue(sqs, 'longpoll');
    const poll = sqs.receiveMessage({ QueueUrl: url, WaitTimeSeconds: 20 });
    await after(300, undefined);
    const { MessageId } = await sqs.sendMessage({ QueueUrl: url, MessageBody: 'wake up' });
    const outcome = await Promise.race([poll, after(10_000, 'still waiting' as const)]);
    expect(outcome).not.toBe('still waiting');
    const { Messages } = await poll;
    expect(Messages?.map((message) => message.MessageId)).toEqual([MessageId]);
  });

  it("the queue's ReceiveMessageWaitTimeSeconds makes a plain receive a long poll", async () => {
    const url = await createQueue(sqs, 'queuewait', { ReceiveMessageWaitTimeSeconds: '20' });
    const poll = sqs.receiveMessage({ QueueUrl: url });
    await after(300, undefined);
    const { MessageId } = await sqs.sendMessage({ QueueUrl: url, MessageBody: 'wake up' });
    const { Messages } = await poll;
    expect(Messages?.map((message) => message.MessageId)).toEqual([MessageId]);
  });

  it("a receive's WaitTimeSeconds 0 overrides the queue's long-poll default (a short poll)", async () => {
    const url = await createQueue(sqs, 'shortoverride', { ReceiveMessageWaitTimeSeconds: '20' });
    const poll = sqs.receiveMessage({ QueueUrl: url, WaitTimeSeconds: 0 });
    const outcome = await Promise.race([poll, after(10_000, 'still waiting' as const)]);
    expect(outcome).not.toBe('still waiting');
    expect((await poll).Messages ?? []).toEqual([]);
  });

  it('a long poll on an empty queue answers no messages when the wait ends', async () => {
    const url = await createQueue(sqs, 'emptypoll');
    const { Messages } = await sqs.receiveMessage({ QueueUrl: url, WaitTimeSeconds: 1 });
    expect(Messages ?? []).toEqual([]);
  });

  it('a long poll is woken by a delayed message becoming visible', async () => {
    const url = await createQueue(sqs, 'delayedwake');
    const { MessageId } = await sqs.sendMessage({ QueueUrl: url, MessageBody: 'soon', DelaySeconds: 1 });
    const { Messages } = await sqs.receiveMessage({ QueueUrl: url, WaitTimeSeconds: 10 });
    expect(Messages?.map((message) => message.MessageId)).toEqual([MessageId]);
  });

  it('concurrent long polls each get a message of their own', async () => {
    const url = await createQueue(sqs, 'manypollers');
    const polls = Array.from({ length: 5 }, () => sqs.receiveMessage({ QueueUrl: url, WaitTimeSeconds: 20 }));
    await after(300, undefined);
    const { Successful } = await sqs.sendMessageBatch({
      QueueUrl: url,
      Entries: Array.from({ length: 5 }, (_, index) => ({ Id: `m${index}`, MessageBody: `body ${index}` })),
    });
    const received = (await Promise.all(polls)).flatMap((answer) => answer.Messages ?? []);
    expect(received.map((message) => message.MessageId).sort()).toEqual(Successful?.map((entry) => entry.MessageId).sort());
  });

  it('a long poll waiting through a PurgeQueue gets a message sent after the purge', async () => {
    const url = await createQueue(sqs, 'purgepoll');
    const poll = sqs.receiveMessage({ QueueUrl: url, WaitTimeSeconds: 20 });
    await after(300, undefined);
    await sqs.purgeQueue({ QueueUrl: url });
    const { MessageId } = await sqs.sendMessage({ QueueUrl: url, MessageBody: 'after the purge' });
    const { Messages } = await poll;
    expect(Messages?.map((message) => message.MessageId)).toEqual([MessageId]);
  });

  it.each([-1, 21])('rejects WaitTimeSeconds %i (InvalidParameterValue)', async (wait) => {
    const url = await createQueue(sqs, 'badwait');
    await expectSqsError(sqs.receiveMessage({ QueueUrl: url, WaitTimeSeconds: wait }), INVALID_PARAMETER);
  });

  it('answers at most one message by default', async () => {
    const url = await createQueue(sqs, 'defaultmax');
    await sqs.sendMessageBatch({
      QueueUrl: url,
      Entries: [1, 2, 3].map((n) => ({ Id: `m${n}`, MessageBody: `body ${n}` })),
    });
    await vi.waitFor(async () => {
      const { Messages } = await sqs.receiveMessage({ QueueUrl: url });
      expect(Messages).toHaveLength(1);
    }, EVENTUALLY);
  });

  it('answers up to MaxNumberOfMessages = 10 and never more', async () => {
    const url = await createQueue(sqs, 'maxten');
    for (const offset of [0, 10]) {
      await sqs.sendMessageBatch({
        QueueUrl: url,
        Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `body ${offset + i}` })),
      });
    }
    const { Messages } = await sqs.receiveMessage({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 });
    expect(Messages!.length).toBeGreaterThan(0);
    expect(Messages!.length).toBeLessThanOrEqual(10);
    const all = await receiveAtLeast(sqs, url, 20 - Messages!.length);
    expect(new Set([...Messages!, ...all].map((message) => message.Body)).size).toBe(20);
  });

  it.each([0, 11])('rejects MaxNumberOfMessages %i (InvalidParameterValue)', async (max) => {
    const url = await createQueue(sqs, 'badmax');
    await expectSqsError(sqs.receiveMessage({ QueueUrl: url, MaxNumberOfMessages: max }), INVALID_PARAMETER);
  });
}, { concurrent: true });
