/**
 * Behaviour recorded against real SQS that the API reference leaves open: each case replays an
 * exchange from LocalStack's AWS-validated snapshot tests (tests/aws/services/sqs/test_sqs.py and
 * its .snapshot.json, recorded against AWS with boto3 in both protocols), named in the case.
 */
import { expect, it } from 'vitest';
import { describeEachFlavour } from '../../support/conformance-target.js';
import { NON_EXISTENT_QUEUE, createQueue, expectSqsError, receiveAtLeast } from '../../support/conformance-helpers.js';
import { jsonRequest, queryRequest, rawRequest, type RawAnswer } from '../../support/conformance-wire.js';
import type { SqsTestClient } from '../../support/sdk-clients.js';

async function sendAll(sqs: SqsTestClient, url: string, messages: [body: string, group: string][]): Promise<void> {
  for (const [body, group] of messages) await sqs.sendMessage({ QueueUrl: url, MessageBody: body, MessageGroupId: group });
}

const INVALID_PARAMETER = { code: 'InvalidParameterValue', status: 400 };

const bodies = (answer: { Messages?: { Body?: string }[] }) => (answer.Messages ?? []).map((message) => message.Body);

const TRACE = 'Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1';

/** A send as the flavour's SDK puts it on the wire, plus an `X-Amzn-Trace-Id` header (what the
 *  X-Ray SDK and Lambda add). */
function sendWithTraceHeader(sqs: SqsTestClient, endpoint: string, action: 'SendMessage' | 'SendMessageBatch', input: Record<string, unknown>): Promise<RawAnswer> {
  const headers = { 'x-amzn-trace-id': TRACE };
  if (sqs.flavour === 'json') {
    return rawRequest(endpoint, { headers: { ...headers, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${action}` }, body: JSON.stringify(input) });
  }
  const form = new URLSearchParams({ Action: action, Version: '2012-11-05', QueueUrl: String(input['QueueUrl']) });
  if (action === 'SendMessage') form.set('MessageBody', String(input['MessageBody']));
  const entries = (input['Entries'] ?? []) as { Id: string; MessageBody: string }[];
  entries.forEach((entry, i) => {
    form.set(`SendMessageBatchRequestEntry.${i + 1}.Id`, entry.Id);
    form.set(`SendMessageBatchRequestEntry.${i + 1}.MessageBody`, entry.MessageBody);
  });
  return rawRequest(endpoint, { headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
}

describeEachFlavour('Recorded AWS behaviour', (sqs, target) => {
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

  // test_aws_trace_header_propagation
  it('the X-Amzn-Trace-Id header of SendMessage and SendMessageBatch becomes AWSTraceHeader', async () => {
    const url = await createQueue(sqs, 'trace');
    expect((await sendWithTraceHeader(sqs, target.endpoint(), 'SendMessage', { QueueUrl: url, MessageBody: 'single' })).status).toBe(200);
    const batch = await sendWithTraceHeader(sqs, target.endpoint(), 'SendMessageBatch', { QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'batched' }] });
    expect(batch.status).toBe(200);
    const received = await receiveAtLeast(sqs, url, 2, { AttributeNames: ['SentTimestamp', 'AWSTraceHeader'] });
    expect(received.map((message) => [message.Body, message.Attributes?.['AWSTraceHeader']]).sort()).toEqual([['batched', TRACE], ['single', TRACE]]);
  });

  it('an explicit AWSTraceHeader system attribute wins over the X-Amzn-Trace-Id header', async () => {
    const url = await createQueue(sqs, 'traceexplicit');
    const explicit = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    const answer = await rawRequest(target.endpoint(), {
      headers: { 'x-amzn-trace-id': TRACE, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' },
      body: JSON.stringify({ QueueUrl: url, MessageBody: 'x', MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: explicit } } }),
    });
    expect(answer.status).toBe(200);
    const [message] = await receiveAtLeast(sqs, url, 1, { AttributeNames: ['AWSTraceHeader'] });
    expect(message!.Attributes?.['AWSTraceHeader']).toBe(explicit);
  });

  // test_invalid_string_attributes_cause_invalid_parameter_value_error
  it('control characters in a String attribute value are InvalidParameterValue, not InvalidMessageContents', async () => {
    const url = await createQueue(sqs, 'attrchars');
    await expectSqsError(
      sqs.sendMessage({ QueueUrl: url, MessageBody: 'test', MessageAttributes: { attr1: { DataType: 'String', StringValue: 'Invalid-\u0008,\u000b' } } }),
      INVALID_PARAMETER,
    );
  });

  // test_send_message_with_invalid_string_attributes
  it('message attribute names take accented Latin letters but no other punctuation than - _ .', async () => {
    const url = await createQueue(sqs, 'attrnames');
    await sqs.sendMessage({ QueueUrl: url, MessageBody: 'test', MessageAttributes: { 'attr.1øßä': { DataType: 'String', StringValue: 'Valida' } } });
    const [message] = await receiveAtLeast(sqs, url, 1, { MessageAttributeNames: ['All'] });
    expect(Object.keys(message!.MessageAttributes ?? {})).toEqual(['attr.1øßä']);
    for (const name of ['aWs.-Invalid-attr', 'AMAZON.-Invalid-attr', '.-Invalid-attr', 'Invalid-§-attr', 'Invalid-?-attr', 'Invalid.']) {
      await expectSqsError(sqs.sendMessage({ QueueUrl: url, MessageBody: 'test', MessageAttributes: { [name]: { DataType: 'String', StringValue: 'Valid' } } }), INVALID_PARAMETER);
    }
  });

  // test_set_unsupported_attribute_fifo, test_set_unsupported_attribute_standard
  it('SetQueueAttributes FifoQueue=true is a no-op on a FIFO queue; false is refused, and a standard queue knows no FifoQueue', async () => {
    const fifo = await createQueue(sqs, 'setfifo', { FifoQueue: 'true' });
    await sqs.setQueueAttributes({ QueueUrl: fifo, Attributes: { FifoQueue: 'true' } });
    const change = await expectSqsError(sqs.setQueueAttributes({ QueueUrl: fifo, Attributes: { FifoQueue: 'false' } }), { code: 'InvalidAttributeValue', status: 400 });
    expect(change.message).toContain(': Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.');
    const standard = await createQueue(sqs, 'setstd');
    const unknown = await expectSqsError(sqs.setQueueAttributes({ QueueUrl: standard, Attributes: { FifoQueue: 'true' } }), { code: 'InvalidAttributeName', status: 400 });
    expect(unknown.message).toContain(': Unknown Attribute FifoQueue.');
  });

  // test_receive_message_message_attribute_names_filters
  it('MessageAttributeNames ["*"] returns every attribute with MD5OfMessageAttributes, like "All" and ".*"', async () => {
    const url = await createQueue(sqs, 'attrstar', { VisibilityTimeout: '0' });
    await sqs.sendMessage({
      QueueUrl: url,
      MessageBody: 'msg',
      MessageAttributes: {
        'Help.Me': { DataType: 'String', StringValue: 'Me' },
        Hello: { DataType: 'String', StringValue: 'There' },
        General: { DataType: 'String', StringValue: 'Kenobi' },
      },
    });
    for (const names of [['*'], ['All'], ['.*']]) {
      const [message] = await receiveAtLeast(sqs, url, 1, { MessageAttributeNames: names });
      expect(Object.keys(message!.MessageAttributes ?? {}).sort()).toEqual(['General', 'Hello', 'Help.Me']);
      expect(message!.MD5OfMessageAttributes).toBe('4c360f3fdafd970e05fae2f149d997f5');
    }
  });

  // test_non_existent_queue: the JSON answer and the Query (XML) answer word it differently.
  it('a missing queue is "does not exist." in JSON and "does not exist for this wsdl version." in XML', async () => {
    const url = await createQueue(sqs, 'gone');
    await sqs.deleteQueue({ QueueUrl: url });
    const wording = sqs.flavour === 'json' ? 'The specified queue does not exist.' : 'The specified queue does not exist for this wsdl version.';
    const attributes = await expectSqsError(sqs.getQueueAttributes({ QueueUrl: url, AttributeNames: ['All'] }), NON_EXISTENT_QUEUE);
    expect(attributes.message).toContain(`: ${wording}`);
    const byName = await expectSqsError(sqs.getQueueUrl({ QueueName: url.split('/').pop()! }), NON_EXISTENT_QUEUE);
    expect(byName.message).toContain(`: ${wording}`);
  });

  // test_sqs_permission_lifecycle (get-queue-policy-attribute-after-removal), test_tag_untag_queue
  // (get-tag-after-untag): JSON answers leave empty maps out.
  it.runIf(sqs.flavour === 'json')('JSON answers leave out an empty Attributes or Tags map', async () => {
    const url = await createQueue(sqs, 'emptymaps');
    await sqs.addPermission({ QueueUrl: url, Label: 'l1', AWSAccountIds: ['111111111111'], Actions: ['ReceiveMessage'] });
    await sqs.removePermission({ QueueUrl: url, Label: 'l1' });
    const policy = await jsonRequest(target.endpoint(), 'GetQueueAttributes', JSON.stringify({ QueueUrl: url, AttributeNames: ['Policy'] }));
    expect([policy.status, JSON.parse(policy.body)]).toEqual([200, {}]);
    await sqs.tagQueue({ QueueUrl: url, Tags: { team: 'a' } });
    await sqs.untagQueue({ QueueUrl: url, TagKeys: ['team'] });
    const tags = await jsonRequest(target.endpoint(), 'ListQueueTags', JSON.stringify({ QueueUrl: url }));
    expect([tags.status, JSON.parse(tags.body)]).toEqual([200, {}]);
  });

  // test_set_queue_attributes_default_values, test_set_empty_redrive_policy, test_set_empty_queue_policy
  it('attributes set back to nothing or to their defaults are no longer reported', async () => {
    const dlq = await createQueue(sqs, 'resetdlq');
    const { Attributes } = await sqs.getQueueAttributes({ QueueUrl: dlq, AttributeNames: ['QueueArn'] });
    const url = await createQueue(sqs, 'reset');
    const redrive = JSON.stringify({ deadLetterTargetArn: Attributes!['QueueArn'], maxReceiveCount: '42' });
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sqs:SendMessage', Resource: '*' }] });
    await sqs.setQueueAttributes({ QueueUrl: url, Attributes: { RedrivePolicy: redrive, Policy: policy, KmsMasterKeyId: 'testKeyId', KmsDataKeyReusePeriodSeconds: '6000' } });
    const set = (await sqs.getQueueAttributes({ QueueUrl: url, AttributeNames: ['All'] })).Attributes!;
    expect(Object.keys(set)).toEqual(expect.arrayContaining(['RedrivePolicy', 'Policy', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds']));
    await sqs.setQueueAttributes({ QueueUrl: url, Attributes: { RedrivePolicy: '', Policy: '', KmsMasterKeyId: '', KmsDataKeyReusePeriodSeconds: '300' } });
    const reset = (await sqs.getQueueAttributes({ QueueUrl: url, AttributeNames: ['All'] })).Attributes!;
    for (const name of ['RedrivePolicy', 'Policy', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds']) expect(reset).not.toHaveProperty(name);
    expect(reset['SqsManagedSseEnabled']).toBe('false');
  });

  // test_send_batch_message_size
  it('a batch entry over MaximumMessageSize fails alone, "One or more parameters cannot be validated."', async () => {
    const url = await createQueue(sqs, 'batchsize', { MaximumMessageSize: '1024' });
    const result = await sqs.sendMessageBatch({
      QueueUrl: url,
      Entries: [{ Id: 'fits', MessageBody: 'a'.repeat(1024) }, { Id: 'over', MessageBody: 'a'.repeat(1025) }],
    });
    expect(result.Successful?.map((entry) => entry.Id)).toEqual(['fits']);
    expect(result.Failed).toEqual([{
      Id: 'over', SenderFault: true, Code: 'InvalidParameterValue',
      Message: 'One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.',
    }]);
  });

  // test_get_without_query_returns_unknown_operation, test_get_without_query_json_format_returns_returns_xml
  it.runIf(sqs.flavour === 'query')('a bare GET of a queue URL is 404 <UnknownOperationException/>, even when JSON is accepted', async () => {
    const url = await createQueue(sqs, 'bareget');
    for (const headers of [{}, { accept: 'application/json' }] as Record<string, string>[]) {
      const answer = await rawRequest(target.endpoint(), { method: 'GET', path: new URL(url).pathname, headers });
      expect([answer.status, answer.body]).toEqual([404, '<UnknownOperationException/>']);
    }
  });

  // test_get_create_queue_fails, test_get_list_queues_fails, test_get_queue_url_work_for_different_queue
  it.runIf(sqs.flavour === 'query')('CreateQueue and ListQueues sent to a queue URL are InvalidAction; GetQueueUrl there is served', async () => {
    const url = await createQueue(sqs, 'endpoint');
    const other = await createQueue(sqs, 'endpoint2');
    const path = new URL(url).pathname;
    for (const [action, extra] of [['CreateQueue', { QueueName: `x${Date.now()}` }], ['ListQueues', {}]] as const) {
      const answer = await rawRequest(target.endpoint(), { method: 'GET', path: `${path}?${new URLSearchParams({ Action: action, ...extra })}` });
      expect(answer.status).toBe(400);
      expect(answer.body).toContain(`<Code>InvalidAction</Code><Message>The action ${action} is not valid for this endpoint.</Message>`);
    }
    const lookup = await rawRequest(target.endpoint(), { method: 'GET', path: `${path}?${new URLSearchParams({ Action: 'GetQueueUrl', QueueName: other.split('/').pop()! })}` });
    expect(lookup.status).toBe(200);
    expect(lookup.body).toContain(`<QueueUrl>${other}</QueueUrl>`);
  });

  // test_message_system_attribute_names_with_attribute_names: JSON takes both lists, Query the
  // AttributeName.N list alone. (aws-sdk v2.1490 predates MessageSystemAttributeNames, so the
  // Query request is sent raw.)
  it('ReceiveMessage with MessageSystemAttributeNames [All] and AttributeNames [SenderId]', async () => {
    const url = await createQueue(sqs, 'bothnames', { VisibilityTimeout: '0' });
    await sqs.sendMessage({ QueueUrl: url, MessageBody: 'msg' });
    let names: string[] = [];
    if (sqs.flavour === 'json') {
      const [message] = await receiveAtLeast(sqs, url, 1, { MessageSystemAttributeNames: ['All'], AttributeNames: ['SenderId'] });
      names = Object.keys(message!.Attributes ?? {});
    } else {
      const form = { Action: 'ReceiveMessage', QueueUrl: url, 'MessageSystemAttributeName.1': 'All', 'AttributeName.1': 'SenderId' };
      const answer = await queryRequest(target.endpoint(), form);
      names = [...answer.body.matchAll(/<Attribute><Name>([^<]+)<\/Name>/g)].map((match) => match[1]!);
    }
    expect(names.sort()).toEqual(sqs.flavour === 'json'
      ? ['ApproximateFirstReceiveTimestamp', 'ApproximateReceiveCount', 'SenderId', 'SentTimestamp']
      : ['SenderId']);
  });
});
