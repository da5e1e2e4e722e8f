/**
 * Behaviour recorded against real SQS that the API reference leaves open: each case replays an
 * exchange from LocalStack's AWS-validated snapshot tests (tests/aws/services/sqs/test_sqs.py and
 * its .snapshot.json, recorded against AWS with boto3 in both protocols), named in the case.
 */
import { expect, it } from 'vitest';
import { describeEachFlavour } from '../../support/conformance-target.js';
import { createQueue, expectSqsError, receiveAtLeast } from '../../support/conformance-helpers.js';
import type { SqsTestClient } from '../../support/sdk-clients.js';

async function sendAll(sqs: SqsTestClient, url: string, messages: [body: string, group: string][]): Promise<void> {
  for (const [body, group] of messages) await sqs.sendMessage({ QueueUrl: url, MessageBody: body, MessageGroupId: group });
}

const INVALID_PARAMETER = { code: 'InvalidParameterValue', status: 400 };

const bodies = (answer: { Messages?: { Body?: string }[] }) => (answer.Messages ?? []).map((message) => message.Body);

describeEachFlavour('Recorded AWS behaviour', (sqs) => {
  // test_fifo_message_group_visibility_after_terminate_visibility_timeout
  it('FIFO: a group gives its visible prefix while a later message of it is in flight', async () => {
    const url = await createQueue(sqs, 'prefix', { FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: '30' });
    await sendAll(sqs, url, [['g1-m1', 'g1'], ['g1-m2', 'g1'], ['g2-m1', 'g2']]);
    const first = await sqs.receiveMessage({ QueueUrl: url, MaxNumberOfMessages: 2 });
    expect(bodies(first)).toEqual(['g1-m1', 'g1-m2']);
    await sqs.changeMessageVisibility({ QueueUrl: url, ReceiptHandle: first.Messages![0]!.ReceiptHandle, VisibilityTimeout: 0 });
    expect(bodies(await sqs.receiveMessage({ QueueUrl: url, MaxNumberOfMessages: 3 }))).toEqual(['g2-m1', 'g1-m1']);
  });

  // test_fifo_group_visibility_extends_with_change_message_visibility[1-visible]
  it('FIFO: a group stops at the message whose visibility timeout was extended', async () => {
    const url = await createQueue(sqs, 'extend', { FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: '1' });
    await sendAll(sqs, url, [['foo', '1'], ['bar', '1'], ['baz', '1']]);
    const all = await sqs.receiveMessage({ QueueUrl: url, MaxNumberOfMessages: 5 });
    expect(bodies(all)).toEqual(['foo', 'bar', 'baz']);
    await sqs.changeMessageVisibility({ QueueUrl: url, ReceiptHandle: all.Messages![1]!.ReceiptHandle, VisibilityTimeout: 30 });
    // foo and baz come back after 1 s; bar stays in flight, so only foo is receivable.
    const later = await receiveAtLeast(sqs, url, 1);
    expect(later.map((message) => message.Body)).toEqual(['foo']);
  });

  // test_terminate_visibility_timeout_after_receive
  it('ChangeMessageVisibility with an earlier receipt handle changes the current receive (standard queue)', async () => {
    const url = await createQueue(sqs, 'oldhandle');
    await sqs.sendMessage({ QueueUrl: url, MessageBody: 'test' });
    const first = await receiveAtLeast(sqs, url, 1, { VisibilityTimeout: 0 });
    const second = await receiveAtLeast(sqs, url, 1, { VisibilityTimeout: 30 });
    expect(second[0]!.ReceiptHandle).not.toBe(first[0]!.ReceiptHandle);
    await sqs.changeMessageVisibility({ QueueUrl: url, ReceiptHandle: first[0]!.ReceiptHandle, VisibilityTimeout: 0 });
    expect((await receiveAtLeast(sqs, url, 1))[0]!.Body).toBe('test');
  });

  // test_change_visibility_on_deleted_message_raises_invalid_parameter_value
  it('ChangeMessageVisibility on a deleted message is InvalidParameterValue', async () => {
    const url = await createQueue(sqs, 'cmvdeleted');
    await sqs.sendMessage({ QueueUrl: url, MessageBody: 'foo' });
    const [message] = await receiveAtLeast(sqs, url, 1);
    const handle = message!.ReceiptHandle!;
    await sqs.changeMessageVisibility({ QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: 42 });
    await sqs.deleteMessage({ QueueUrl: url, ReceiptHandle: handle });
    const error = await expectSqsError(sqs.changeMessageVisibility({ QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: 42 }), INVALID_PARAMETER);
    expect(error.message).toContain(`: Value ${handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`);
  });

  // test_purge_queue_clears_fifo_deduplication_cache
  it('PurgeQueue ends the FIFO deduplication window', async () => {
    const url = await createQueue(sqs, 'purgededup', { FifoQueue: 'true' });
    await sqs.sendMessage({ QueueUrl: url, MessageBody: 'message-1', MessageGroupId: 'g', MessageDeduplicationId: 'd' });
    await sqs.purgeQueue({ QueueUrl: url });
    await sqs.sendMessage({ QueueUrl: url, MessageBody: 'message-2', MessageGroupId: 'g', MessageDeduplicationId: 'd' });
    expect((await receiveAtLeast(sqs, url, 1)).map((message) => message.Body)).toEqual(['message-2']);
  });
});
