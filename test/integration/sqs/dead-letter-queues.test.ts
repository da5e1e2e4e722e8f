/**
 * Dead-letter queues per the developer guide: a message received more than maxReceiveCount times
 * moves to the DLQ (same MessageId, body and attributes), ListDeadLetterSourceQueues, and the
 * message move tasks (StartMessageMoveTask back to the source, ListMessageMoveTasks,
 * CancelMessageMoveTask).
 */
import { expect, it, vi } from 'vitest';
import { describeEachFlavour } from '../../support/conformance-target.js';
import {
  EVENTUALLY,
  createQueue,
  expectNothingVisible,
  expectSqsError,
  queueArn,
  queueAttributes,
  receiveAtLeast,
  receiveOne,
} from '../../support/conformance-helpers.js';
import type { SqsTestClient } from '../../support/sdk-clients.js';

const INVALID_PARAMETER = { code: 'InvalidParameterValue', status: 400 };

interface Redrive {
  sourceUrl: string;
  dlqUrl: string;
  dlqArn: string;
}

async function sourceWithDlq(sqs: SqsTestClient, maxReceiveCount: number, fifo = false): Promise<Redrive> {
  const fifoAttributes: Record<string, string> = fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'true' } : {};
  const dlqUrl = await createQueue(sqs, 'dlq', fifoAttributes);
  const dlqArn = await queueArn(sqs, dlqUrl);
  const sourceUrl = await createQueue(sqs, 'source', {
    ...fifoAttributes,
    VisibilityTimeout: '600',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
  });
  return { sourceUrl, dlqUrl, dlqArn };
}

/** Receives (and immediately releases) the source queue's message `times` times. */
async function receiveAndRelease(sqs: SqsTestClient, url: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await receiveOne(sqs, url, { VisibilityTimeout: 0 });
}

/** Moves `count` messages to the DLQ by receiving each one maxReceiveCount (1) time. */
async function deadLetter(sqs: SqsTestClient, redrive: Redrive, bodies: string[]): Promise<void> {
  for (const body of bodies) await sqs.sendMessage({ QueueUrl: redrive.sourceUrl, MessageBody: body });
  const received = await receiveAtLeast(sqs, redrive.sourceUrl, bodies.length, { VisibilityTimeout: 0 });
  expect(received.length).toBeGreaterThanOrEqual(bodies.length);
  await vi.waitFor(async () => {
    await sqs.receiveMessage({ QueueUrl: redrive.sourceUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 });
    expect(await queueAttributes(sqs, redrive.dlqUrl, ['ApproximateNumberOfMessages'])).toEqual({
      ApproximateNumberOfMessages: String(bodies.length),
    });
  }, EVENTUALLY);
}

describeEachFlavour('dead-letter queues', (sqs) => {
  it('moves a message received more than maxReceiveCount times, keeping id, body and attributes', async () => {
    const redrive = await sourceWithDlq(sqs, 2);
    const attributes = { origin: { DataType: 'String', StringValue: 'source' } };
    const { MessageId } = await sqs.sendMessage({
      QueueUrl: redrive.sourceUrl,
      MessageBody: 'poison',
      MessageAttributes: attributes,
    });
    await receiveAndRelease(sqs, redrive.sourceUrl, 2);

    // The third receive would exceed maxReceiveCount = 2: the message goes to the DLQ instead.
    await expectNothingVisible(sqs, redrive.sourceUrl);
    const dead = await receiveOne(sqs, redrive.dlqUrl, { MessageAttributeNames: ['All'] });
    expect(dead).toMatchObject({ MessageId, Body: 'poison' });
    expect(dead.MessageAttributes).toMatchObject(attributes);
  });

  it('keeps a message that was deleted before reaching maxReceiveCount', async () => {
    const redrive = await sourceWithDlq(sqs, 3);
    await sqs.sendMessage({ QueueUrl: redrive.sourceUrl, MessageBody: 'fine' });
    await receiveAndRelease(sqs, redrive.sourceUrl, 2);
    const message = await receiveOne(sqs, redrive.sourceUrl);
    await sqs.deleteMessage({ QueueUrl: redrive.sourceUrl, ReceiptHandle: message.ReceiptHandle });
    await expectNothingVisible(sqs, redrive.dlqUrl);
  });

  it('moves FIFO messages to a FIFO dead-letter queue', async () => {
    const redrive = await sourceWithDlq(sqs, 1, true);
    const { MessageId } = await sqs.sendMessage({ QueueUrl: redrive.sourceUrl, MessageBody: 'fifo poison', MessageGroupId: 'g' });
    await receiveAndRelease(sqs, redrive.sourceUrl, 1);
    await expectNothingVisible(sqs, redrive.sourceUrl);
    expect((await receiveOne(sqs, redrive.dlqUrl)).MessageId).toBe(MessageId);
  });

  // Developer Guide, DLQ redrive: "When a message is moved from a FIFO queue to a FIFO DLQ, the
  // original message's deduplication ID will be replaced with the original message's ID."
  it('a FIFO dead letter carries its MessageId as MessageDeduplicationId', async () => {
    const redrive = await sourceWithDlq(sqs, 1, true);
    const { MessageId } = await sqs.sendMessage({
      QueueUrl: redrive.sourceUrl, MessageBody: 'fifo poison', MessageGroupId: 'g', MessageDeduplicationId: 'shared',
    });
    await receiveAndRelease(sqs, redrive.sourceUrl, 1);
    await expectNothingVisible(sqs, redrive.sourceUrl);
    const dead = await receiveOne(sqs, redrive.dlqUrl, { AttributeNames: ['MessageDeduplicationId'] });
    expect(dead.Attributes).toEqual({ MessageDeduplicationId: MessageId });
  });

  it('ListDeadLetterSourceQueues answers the queues that name the DLQ', async () => {
    const redrive = await sourceWithDlq(sqs, 3);
    const secondSource = await createQueue(sqs, 'source2', {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: redrive.dlqArn, maxReceiveCount: 5 }),
    });
    const { queueUrls } = await sqs.listDeadLetterSourceQueues({ QueueUrl: redrive.dlqUrl });
    expect([...(queueUrls ?? [])].sort()).toEqual([redrive.sourceUrl, secondSource].sort());
  });

  it('ListDeadLetterSourceQueues pages with MaxResults and NextToken', async () => {
    const redrive = await sourceWithDlq(sqs, 3);
    const policy = JSON.stringify({ deadLetterTargetArn: redrive.dlqArn, maxReceiveCount: 5 });
    const others = [await createQueue(sqs, 'src-a', { RedrivePolicy: policy }), await createQueue(sqs, 'src-b', { RedrivePolicy: policy })];
    const first = await sqs.listDeadLetterSourceQueues({ QueueUrl: redrive.dlqUrl, MaxResults: 2 });
    expect(first.queueUrls).toHaveLength(2);
    expect(first.NextToken).toBeTruthy();
    const second = await sqs.listDeadLetterSourceQueues({ QueueUrl: redrive.dlqUrl, MaxResults: 2, NextToken: first.NextToken });
    expect([...first.queueUrls!, ...(second.queueUrls ?? [])].sort()).toEqual([redrive.sourceUrl, ...others].sort());
  });

  it('ListDeadLetterSourceQueues of a queue nobody redrives to is empty', async () => {
    const url = await createQueue(sqs, 'lonely');
    const { queueUrls } = await sqs.listDeadLetterSourceQueues({ QueueUrl: url });
    expect(queueUrls ?? []).toEqual([]);
  });

  it('StartMessageMoveTask moves dead letters back to their source queue', async () => {
    const redrive = await sourceWithDlq(sqs, 1);
    await deadLetter(sqs, redrive, ['one', 'two']);

    const { TaskHandle } = await sqs.startMessageMoveTask({ SourceArn: redrive.dlqArn });
    expect(TaskHandle).toBeTruthy();
    await vi.waitFor(async () => {
      const { Results } = await sqs.listMessageMoveTasks({ SourceArn: redrive.dlqArn });
      expect(Results?.[0]).toMatchObject({ Status: 'COMPLETED', SourceArn: redrive.dlqArn, ApproximateNumberOfMessagesMoved: 2 });
    }, EVENTUALLY);
    const back = await receiveAtLeast(sqs, redrive.sourceUrl, 2);
    expect(back.map((message) => message.Body).sort()).toEqual(['one', 'two']);
    await expectNothingVisible(sqs, redrive.dlqUrl);
  });

  // Developer Guide, DLQ redrive: "All redriven messages are considered new messages, and the
  // system assigns them a new messageID and enqueueTime."
  it('StartMessageMoveTask redrives as new messages with new MessageIds', async () => {
    const redrive = await sourceWithDlq(sqs, 1);
    await deadLetter(sqs, redrive, ['renewed']);
    const dead = await receiveOne(sqs, redrive.dlqUrl, { VisibilityTimeout: 0 });
    await sqs.startMessageMoveTask({ SourceArn: redrive.dlqArn });
    const back = await receiveOne(sqs, redrive.sourceUrl, { AttributeNames: ['All'] });
    expect(back.Body).toBe('renewed');
    expect(back.MessageId).not.toBe(dead.MessageId);
    expect(back.Attributes?.ApproximateReceiveCount).toBe('1');
    expect(back.Attributes?.DeadLetterQueueSourceArn).toBeUndefined();
  });

  it('StartMessageMoveTask refuses a DestinationArn of the other queue type (InvalidParameterValue)', async () => {
    const redrive = await sourceWithDlq(sqs, 1);
    const fifoDestination = await createQueue(sqs, 'fifodest', { FifoQueue: 'true' });
    await expectSqsError(
      sqs.startMessageMoveTask({ SourceArn: redrive.dlqArn, DestinationArn: await queueArn(sqs, fifoDestination) }),
      INVALID_PARAMETER,
    );
  });

  it('StartMessageMoveTask moves to an explicit DestinationArn', async () => {
    const redrive = await sourceWithDlq(sqs, 1);
    await deadLetter(sqs, redrive, ['elsewhere']);
    const destination = await createQueue(sqs, 'destination');
    await sqs.startMessageMoveTask({ SourceArn: redrive.dlqArn, DestinationArn: await queueArn(sqs, destination) });
    expect((await receiveOne(sqs, destination)).Body).toBe('elsewhere');
  });

  it('ListMessageMoveTasks describes a running task with its handle, source and timestamps', async () => {
    const redrive = await sourceWithDlq(sqs, 1);
    await deadLetter(sqs, redrive, ['a', 'b', 'c', 'd', 'e']);
    const started = Date.now() - 60_000;
    const { TaskHandle } = await sqs.startMessageMoveTask({ SourceArn: redrive.dlqArn, MaxNumberOfMessagesPerSecond: 1 });
    const { Results } = await sqs.listMessageMoveTasks({ SourceArn: redrive.dlqArn, MaxResults: 10 });
    expect(Results).toHaveLength(1);
    const [task] = Results!;
    expect(task!.SourceArn).toBe(redrive.dlqArn);
    expect(task!.MaxNumberOfMessagesPerSecond).toBe(1);
    expect(task!.StartedTimestamp).toBeGreaterThan(started);
    if (task!.Status === 'RUNNING') expect(task!.TaskHandle).toBe(TaskHandle);
    else expect(task!.Status).toBe('COMPLETED');
  });

  it('CancelMessageMoveTask stops a running task; what was moved stays moved', async () => {
    const redrive = await sourceWithDlq(sqs, 1);
    await deadLetter(sqs, redrive, ['1', '2', '3', '4', '5', '6', '7', '8']);
    const { TaskHandle } = await sqs.startMessageMoveTask({ SourceArn: redrive.dlqArn, MaxNumberOfMessagesPerSecond: 1 });
    const { ApproximateNumberOfMessagesMoved } = await sqs.cancelMessageMoveTask({ TaskHandle });
    expect(ApproximateNumberOfMessagesMoved).toBeLessThan(8);
    await vi.waitFor(async () => {
      const { Results } = await sqs.listMessageMoveTasks({ SourceArn: redrive.dlqArn });
      expect(Results?.[0]?.Status).toBe('CANCELLED');
    }, EVENTUALLY);
    const remaining = await queueAttributes(sqs, redrive.dlqUrl, ['ApproximateNumberOfMessages']);
    expect(Number(remaining['ApproximateNumberOfMessages'])).toBeGreaterThan(0);
  });

  it('ListMessageMoveTasks answers only the most recent task by default, up to MaxResults', async () => {
    const redrive = await sourceWithDlq(sqs, 1);
    for (const body of ['first', 'second']) {
      await deadLetter(sqs, redrive, [body]);
      await sqs.startMessageMoveTask({ SourceArn: redrive.dlqArn });
      await vi.waitFor(async () => {
        const { Results } = await sqs.listMessageMoveTasks({ SourceArn: redrive.dlqArn });
        expect(Results?.[0]?.Status).toBe('COMPLETED');
      }, EVENTUALLY);
      await receiveOne(sqs, redrive.sourceUrl).then((message) =>
        sqs.deleteMessage({ QueueUrl: redrive.sourceUrl, ReceiptHandle: message.ReceiptHandle }),
      );
    }
    expect((await sqs.listMessageMoveTasks({ SourceArn: redrive.dlqArn })).Results).toHaveLength(1);
    expect((await sqs.listMessageMoveTasks({ SourceArn: redrive.dlqArn, MaxResults: 10 })).Results).toHaveLength(2);
  });

  it('StartMessageMoveTask from an unknown queue fails with ResourceNotFoundException', async () => {
    const url = await createQueue(sqs, 'arnbase');
    const missingArn = `${await queueArn(sqs, url)}-missing`;
    await expectSqsError(sqs.startMessageMoveTask({ SourceArn: missingArn }), {
      code: 'ResourceNotFoundException',
      status: 404,
    });
  });

  it('StartMessageMoveTask refuses a source that is no queue\'s dead-letter queue (InvalidParameterValue)', async () => {
    const url = await createQueue(sqs, 'notadlq');
    await expectSqsError(sqs.startMessageMoveTask({ SourceArn: await queueArn(sqs, url) }), INVALID_PARAMETER);
  });

  it('StartMessageMoveTask refuses a second task while one runs on the same source (InvalidParameterValue)', async () => {
    const redrive = await sourceWithDlq(sqs, 1);
    await deadLetter(sqs, redrive, ['1', '2', '3', '4', '5']);
    await sqs.startMessageMoveTask({ SourceArn: redrive.dlqArn, MaxNumberOfMessagesPerSecond: 1 });
    await expectSqsError(sqs.startMessageMoveTask({ SourceArn: redrive.dlqArn }), INVALID_PARAMETER);
  });

  it('StartMessageMoveTask refuses more than 500 messages per second (InvalidParameterValue)', async () => {
    const redrive = await sourceWithDlq(sqs, 1);
    await expectSqsError(
      sqs.startMessageMoveTask({ SourceArn: redrive.dlqArn, MaxNumberOfMessagesPerSecond: 501 }),
      INVALID_PARAMETER,
    );
  });
}, { concurrent: true });
