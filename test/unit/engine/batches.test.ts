import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SendMessageBatchRequestEntry } from '../../../server/src/engine/actions.js';
import { Harness, expectRejectedUnchanged } from './harness.js';

const entries = (n: number): SendMessageBatchRequestEntry[] =>
  Array.from({ length: n }, (_, i) => ({ Id: `e${i}`, MessageBody: `m${i}` }));

function setUp(): Harness {
  const h = new Harness();
  h.createQueue('q');
  return h;
}

describe('batches', () => {
  it('sends up to 10 entries and reports each', () => {
    const h = setUp();
    const result = h.apply('SendMessageBatch', { QueueUrl: h.url('q'), Entries: entries(10) });
    expect(result.Failed).toEqual([]);
    expect(result.Successful.map((entry) => entry.Id)).toEqual(entries(10).map((entry) => entry.Id));
    expect(result.Successful[0]?.MD5OfMessageBody).toBe(createHash('md5').update('m0').digest('hex'));
    expect(new Set(result.Successful.map((entry) => entry.MessageId)).size).toBe(10);
    expect(h.counts('q')[0]).toBe(10);
  });

  it('rejects empty, oversized and badly identified batches as a whole', () => {
    const h = setUp();
    const send = (list: SendMessageBatchRequestEntry[]) => () => h.apply('SendMessageBatch', { QueueUrl: h.url('q'), Entries: list });
    expectRejectedUnchanged(h, send([]), 'EmptyBatchRequest');
    const tooMany = expectRejectedUnchanged(h, send(entries(11)), 'TooManyEntriesInBatchRequest');
    expect(tooMany.message).toBe('Maximum number of entries per request are 10. You have sent 11.');
    expectRejectedUnchanged(h, send([{ Id: 'a', MessageBody: 'x' }, { Id: 'a', MessageBody: 'y' }]), 'BatchEntryIdsNotDistinct');
    const invalidId = expectRejectedUnchanged(h, send([{ Id: 'invalid:id', MessageBody: 'x' }]), 'InvalidBatchEntryId');
    expect(invalidId.message).toBe('A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
    expectRejectedUnchanged(h, send([{ Id: 'x'.repeat(81), MessageBody: 'x' }]), 'InvalidBatchEntryId');
    expectRejectedUnchanged(h, send([{ Id: '', MessageBody: 'x' }]), 'InvalidBatchEntryId');
  });

  it('rejects a batch whose total payload exceeds 1 MiB', () => {
    const h = setUp();
    const big = 'x'.repeat(524_288);
    const error = expectRejectedUnchanged(h, () => h.apply('SendMessageBatch', {
      QueueUrl: h.url('q'),
      Entries: [{ Id: 'a', MessageBody: big }, { Id: 'b', MessageBody: big }, { Id: 'c', MessageBody: 'x' }],
    }), 'BatchRequestTooLong');
    expect(error.message).toBe('Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.');
  });

  it('words an entry over MaximumMessageSize as recorded SQS does in a batch', () => {
    // LocalStack's AWS-validated test_send_batch_message_size.
    const h = new Harness();
    h.createQueue('small', { MaximumMessageSize: '1024' });
    const result = h.apply('SendMessageBatch', {
      QueueUrl: h.url('small'),
      Entries: [{ Id: 'fits', MessageBody: 'a'.repeat(1024) }, { Id: 'over', MessageBody: 'a'.repeat(1025) }],
    });
    expect(result.Successful.map((entry) => entry.Id)).toEqual(['fits']);
    expect(result.Failed).toEqual([{
      Id: 'over', SenderFault: true, Code: 'InvalidParameterValue',
      Message: 'One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.',
    }]);
  });

  it('reports invalid entries in Failed and sends the rest', () => {
    const h = setUp();
    const result = h.apply('SendMessageBatch', {
      QueueUrl: h.url('q'),
      Entries: [{ Id: 'ok', MessageBody: 'fine' }, { Id: 'bad', MessageBody: '\u0000' }, { Id: 'late', MessageBody: 'x', DelaySeconds: 1000 }],
    });
    expect(result.Successful.map((entry) => entry.Id)).toEqual(['ok']);
    expect(result.Failed).toEqual([
      expect.objectContaining({ Id: 'bad', Code: 'InvalidMessageContents', SenderFault: true }),
      expect.objectContaining({ Id: 'late', Code: 'InvalidParameterValue', SenderFault: true }),
    ]);
    expect(h.counts('q')[0]).toBe(1);
  });

  it('deletes and changes visibility in batches with per-entry failures', () => {
    const h = setUp();
    h.apply('SendMessageBatch', { QueueUrl: h.url('q'), Entries: entries(3) });
    const received = h.receive('q', { MaxNumberOfMessages: 3 });
    const [a, b, c] = received.map((message) => message.ReceiptHandle);
    const changed = h.apply('ChangeMessageVisibilityBatch', {
      QueueUrl: h.url('q'),
      Entries: [{ Id: 'a', ReceiptHandle: a as string, VisibilityTimeout: 0 }, { Id: 'bad', ReceiptHandle: 'nope', VisibilityTimeout: 0 }],
    });
    expect(changed.Successful).toEqual([{ Id: 'a' }]);
    expect(changed.Failed).toEqual([expect.objectContaining({ Id: 'bad', Code: 'ReceiptHandleIsInvalid', SenderFault: true })]);
    expect(h.counts('q')).toEqual([1, 2, 0]);
    const deleted = h.apply('DeleteMessageBatch', {
      QueueUrl: h.url('q'),
      Entries: [{ Id: 'b', ReceiptHandle: b as string }, { Id: 'c', ReceiptHandle: c as string }, { Id: 'x', ReceiptHandle: '' }],
    });
    expect(deleted.Successful).toEqual([{ Id: 'b' }, { Id: 'c' }]);
    expect(deleted.Failed.map((entry) => entry.Code)).toEqual(['ReceiptHandleIsInvalid']);
    expect(h.counts('q')).toEqual([1, 0, 0]);
    expectRejectedUnchanged(h, () => h.apply('DeleteMessageBatch', { QueueUrl: h.url('q'), Entries: [] }), 'EmptyBatchRequest');
    expectRejectedUnchanged(h, () => h.apply('ChangeMessageVisibilityBatch', {
      QueueUrl: h.url('q'), Entries: [{ Id: 'd', ReceiptHandle: 'x' }, { Id: 'd', ReceiptHandle: 'y' }],
    }), 'BatchEntryIdsNotDistinct');
  });
});
