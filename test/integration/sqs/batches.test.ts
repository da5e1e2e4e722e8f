/**
 * SendMessageBatch, DeleteMessageBatch, ChangeMessageVisibilityBatch per the API reference: 1–10
 * entries, distinct ids of [A-Za-z0-9_-]{1,80}, a total payload of at most 1 MiB,
 * and per-entry failures reported in `Failed` while the other entries succeed.
 */
import { expect, it } from 'vitest';
import { describeEachFlavour } from '../../support/conformance-target.js';
import {
  NON_EXISTENT_QUEUE,
  createQueue,
  eventuallySqsError,
  expectNothingVisible,
  expectSqsError,
  md5Hex,
  md5OfMessageAttributes,
  receiveAtLeast,
  receiveOne,
} from '../../support/conformance-helpers.js';
import type { SqsTestClient } from '../../support/sdk-clients.js';

const TOO_MANY = { code: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', status: 400 };
const EMPTY = { code: 'AWS.SimpleQueueService.EmptyBatchRequest', status: 400 };
const NOT_DISTINCT = { code: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', status: 400 };
const INVALID_ID = { code: 'AWS.SimpleQueueService.InvalidBatchEntryId', status: 400 };
const TOO_LONG = { code: 'AWS.SimpleQueueService.BatchRequestTooLong', status: 400 };

function entries(count: number, body = (i: number) => `message ${i}`) {
  return Array.from({ length: count }, (_, i) => ({ Id: `e${i}`, MessageBody: body(i) }));
}

/** Sends `count` messages and receives them all (visibility 600 s), answering their receipt handles. */
async function inFlight(sqs: SqsTestClient, url: string, count: number): Promise<string[]> {
  await sqs.sendMessageBatch({ QueueUrl: url, Entries: entries(count) });
  const received = await receiveAtLeast(sqs, url, count);
  return received.map((message) => message.ReceiptHandle!);
}

describeEachFlavour('batches', (sqs) => {
  it('sends 10 entries, answering one result per id with MessageId and MD5s', async () => {
    const url = await createQueue(sqs, 'sendbatch');
    const attributes = { kind: { DataType: 'String', StringValue: 'batch' } };
    const batch = entries(10).map((entry) => ({ ...entry, MessageAttributes: attributes }));
    const { Successful, Failed } = await sqs.sendMessageBatch({ QueueUrl: url, Entries: batch });
    expect(Failed ?? []).toEqual([]);
    expect(Successful!.map((result) => result.Id).sort()).toEqual(batch.map((entry) => entry.Id).sort());
    for (const result of Successful!) {
      const entry = batch.find((candidate) => candidate.Id === result.Id)!;
      expect(result.MD5OfMessageBody).toBe(md5Hex(entry.MessageBody));
      expect(result.MD5OfMessageAttributes).toBe(md5OfMessageAttributes(attributes));
      expect(result.MessageId).toBeTruthy();
    }
    expect(new Set(Successful!.map((result) => result.MessageId)).size).toBe(10);
    const received = await receiveAtLeast(sqs, url, 10);
    expect(received.map((message) => message.Body).sort()).toEqual(batch.map((entry) => entry.MessageBody).sort());
  });

  it('rejects 11 entries in any batch action (TooManyEntriesInBatchRequest)', async () => {
    const url = await createQueue(sqs, 'eleven');
    await expectSqsError(sqs.sendMessageBatch({ QueueUrl: url, Entries: entries(11) }), TOO_MANY);
    await expectNothingVisible(sqs, url);
    const handles = Array.from({ length: 11 }, (_, i) => ({ Id: `d${i}`, ReceiptHandle: `handle-${i}` }));
    await expectSqsError(sqs.deleteMessageBatch({ QueueUrl: url, Entries: handles }), TOO_MANY);
    await expectSqsError(sqs.changeMessageVisibilityBatch({ QueueUrl: url, Entries: handles }), TOO_MANY);
  });

  it('rejects an empty batch in any batch action (EmptyBatchRequest)', async () => {
    const url = await createQueue(sqs, 'empty');
    await expectSqsError(sqs.sendMessageBatch({ QueueUrl: url, Entries: [] }), EMPTY);
    await expectSqsError(sqs.deleteMessageBatch({ QueueUrl: url, Entries: [] }), EMPTY);
    await expectSqsError(sqs.changeMessageVisibilityBatch({ QueueUrl: url, Entries: [] }), EMPTY);
  });

  it('rejects repeated entry ids in any batch action (BatchEntryIdsNotDistinct)', async () => {
    const url = await createQueue(sqs, 'dupids');
    await expectSqsError(
      sqs.sendMessageBatch({
        QueueUrl: url,
        Entries: [
          { Id: 'same', MessageBody: 'a' },
          { Id: 'same', MessageBody: 'b' },
        ],
      }),
      NOT_DISTINCT,
    );
    await expectNothingVisible(sqs, url);
    const handles = await inFlight(sqs, url, 2);
    const twice = handles.map((handle) => ({ Id: 'same', ReceiptHandle: handle }));
    await expectSqsError(sqs.deleteMessageBatch({ QueueUrl: url, Entries: twice }), NOT_DISTINCT);
    await expectSqsError(sqs.changeMessageVisibilityBatch({ QueueUrl: url, Entries: twice }), NOT_DISTINCT);
  });

  it.each([
    ['a space', 'has space'],
    ['a dot', 'has.dot'],
    ['81 characters', 'i'.repeat(81)],
  ])('rejects an entry id with %s (InvalidBatchEntryId)', async (_case, id) => {
    const url = await createQueue(sqs, 'badid');
    await expectSqsError(sqs.sendMessageBatch({ QueueUrl: url, Entries: [{ Id: id, MessageBody: 'x' }] }), INVALID_ID);
    await expectNothingVisible(sqs, url);
  });

  it('accepts an entry id of 80 letters, digits, hyphens and underscores', async () => {
    const url = await createQueue(sqs, 'longid');
    const id = `A-b_9${'z'.repeat(75)}`;
    const { Successful } = await sqs.sendMessageBatch({ QueueUrl: url, Entries: [{ Id: id, MessageBody: 'x' }] });
    expect(Successful?.map((result) => result.Id)).toEqual([id]);
  });

  // The reference: "the maximum total payload size (the sum of the individual lengths of all of
  // the batched messages)" is 1 MiB whatever the queue's MaximumMessageSize.
  it('rejects a batch over 1 MiB in total although each body fits (BatchRequestTooLong)', async () => {
    const url = await createQueue(sqs, 'toolong');
    const batch = entries(3, () => 'b'.repeat(400_000));
    await expectSqsError(sqs.sendMessageBatch({ QueueUrl: url, Entries: batch }), TOO_LONG);
  });

  it('reports an invalid entry in Failed and still sends the valid ones', async () => {
    const url = await createQueue(sqs, 'partialsend');
    const { Successful, Failed } = await sqs.sendMessageBatch({
      QueueUrl: url,
      Entries: [
        { Id: 'good1', MessageBody: 'fine' },
        { Id: 'badchars', MessageBody: 'nul \u0000 inside' },
        { Id: 'baddelay', MessageBody: 'delay out of range', DelaySeconds: 901 },
        { Id: 'good2', MessageBody: 'also fine' },
      ],
    });
    expect(Successful!.map((result) => result.Id).sort()).toEqual(['good1', 'good2']);
    expect(Failed!.map((failure) => failure.Id).sort()).toEqual(['badchars', 'baddelay']);
    for (const failure of Failed!) {
      expect(failure.SenderFault).toBe(true);
      expect(failure.Code).toMatch(/\S/);
    }
    const received = await receiveAtLeast(sqs, url, 2);
    expect(received.map((message) => message.Body).sort()).toEqual(['also fine', 'fine']);
  });

  it('deletes a batch of messages', async () => {
    const url = await createQueue(sqs, 'deletebatch', { VisibilityTimeout: '1' });
    const handles = await inFlight(sqs, url, 3);
    const { Successful, Failed } = await sqs.deleteMessageBatch({
      QueueUrl: url,
      Entries: handles.map((handle, i) => ({ Id: `d${i}`, ReceiptHandle: handle })),
    });
    expect(Failed ?? []).toEqual([]);
    expect(Successful!.map((result) => result.Id).sort()).toEqual(['d0', 'd1', 'd2']);
    // Past the 1 s visibility timeout, nothing comes back: they were really deleted.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await expectNothingVisible(sqs, url);
  });

  it('reports a malformed receipt handle in DeleteMessageBatch Failed (ReceiptHandleIsInvalid)', async () => {
    const url = await createQueue(sqs, 'partialdelete');
    const [handle] = await inFlight(sqs, url, 1);
    const { Successful, Failed } = await sqs.deleteMessageBatch({
      QueueUrl: url,
      Entries: [
        { Id: 'good', ReceiptHandle: handle! },
        { Id: 'bad', ReceiptHandle: 'not-a-handle' },
      ],
    });
    expect(Successful?.map((result) => result.Id)).toEqual(['good']);
    expect(Failed).toEqual([expect.objectContaining({ Id: 'bad', SenderFault: true, Code: 'ReceiptHandleIsInvalid' })]);
  });

  it('changes the visibility of a batch, reporting a malformed handle in Failed', async () => {
    const url = await createQueue(sqs, 'changebatch', { VisibilityTimeout: '600' });
    const handles = await inFlight(sqs, url, 2);
    const { Successful, Failed } = await sqs.changeMessageVisibilityBatch({
      QueueUrl: url,
      Entries: [
        ...handles.map((handle, i) => ({ Id: `c${i}`, ReceiptHandle: handle, VisibilityTimeout: 0 })),
        { Id: 'bad', ReceiptHandle: 'not-a-handle', VisibilityTimeout: 0 },
      ],
    });
    expect(Successful!.map((result) => result.Id).sort()).toEqual(['c0', 'c1']);
    expect(Failed).toEqual([expect.objectContaining({ Id: 'bad', SenderFault: true, Code: 'ReceiptHandleIsInvalid' })]);
    expect(await receiveAtLeast(sqs, url, 2)).toHaveLength(2);
  });

  it('batch actions on an unknown queue fail with NonExistentQueue', async () => {
    const url = await createQueue(sqs, 'batchgone');
    await sqs.deleteQueue({ QueueUrl: url });
    await eventuallySqsError(() => sqs.sendMessageBatch({ QueueUrl: url, Entries: entries(1) }), NON_EXISTENT_QUEUE);
  });

  it('a batch entry carries its own DelaySeconds and message attributes', async () => {
    const url = await createQueue(sqs, 'entryoptions');
    await sqs.sendMessageBatch({
      QueueUrl: url,
      Entries: [
        { Id: 'now', MessageBody: 'now', MessageAttributes: { tag: { DataType: 'Number', StringValue: '7' } } },
        { Id: 'later', MessageBody: 'later', DelaySeconds: 600 },
      ],
    });
    const message = await receiveOne(sqs, url, { MessageAttributeNames: ['All'] });
    expect(message.Body).toBe('now');
    expect(message.MessageAttributes).toMatchObject({ tag: { DataType: 'Number', StringValue: '7' } });
    await expectNothingVisible(sqs, url);
  });
}, { concurrent: true });
