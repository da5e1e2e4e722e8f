/**
 * What the two flavours really put on the wire, seen through a recording proxy: the Query flavour
 * must send form-encoded `Action=` requests and get XML back, the JSON flavour `X-Amz-Target:
 * AmazonSQS.<Action>` with AWS JSON 1.0 both ways. Without this the suite could silently test one
 * protocol twice. Also the error shapes each protocol defines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLAVOURS, useConformanceTarget } from '../../support/conformance-target.js';
import { expectSqsError, NON_EXISTENT_QUEUE, uniqueQueueName } from '../../support/conformance-helpers.js';
import { createSdkClient } from '../../support/sdk-clients.js';
import { jsonRequest, queryRequest, rawRequest, startRecordingProxy, type RecordingProxy } from '../../support/conformance-wire.js';

const SQS_XML_NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';

const target = useConformanceTarget();
let proxy: RecordingProxy;

beforeAll(async () => {
  proxy = await startRecordingProxy(target.endpoint());
});

afterAll(async () => {
  await proxy?.stop();
});

describe.runIf(FLAVOURS.includes('query'))('Query flavour on the wire', () => {
  it('sends form-encoded Action= requests and receives namespaced XML', async () => {
    const sqs = createSdkClient('query', () => proxy.endpoint);
    const first = proxy.exchanges.length;
    const name = uniqueQueueName('wirequery');
    const { QueueUrl } = await sqs.createQueue({ QueueName: name });
    await sqs.sendMessage({ QueueUrl, MessageBody: 'over the wire' });

    const [create, send] = proxy.exchanges.slice(first);
    for (const exchange of [create!, send!]) {
      expect(exchange.method).toBe('POST');
      expect(exchange.requestHeaders['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
      expect(exchange.requestHeaders['x-amz-target']).toBeUndefined();
      expect(exchange.responseHeaders['content-type']).toMatch(/xml/);
    }
    const createForm = new URLSearchParams(create!.requestBody);
    expect(createForm.get('Action')).toBe('CreateQueue');
    expect(createForm.get('QueueName')).toBe(name);
    expect(create!.responseBody).toContain(`<CreateQueueResponse xmlns="${SQS_XML_NAMESPACE}">`);
    expect(create!.responseBody).toMatch(/<ResponseMetadata>\s*<RequestId>[^<]+<\/RequestId>/);
    expect(new URLSearchParams(send!.requestBody).get('Action')).toBe('SendMessage');
    expect(send!.responseBody).toContain('<SendMessageResult>');
    // The queue URL names the host the client called, so the follow-up call came back through the proxy.
    expect(QueueUrl!.startsWith(`${proxy.endpoint}/`)).toBe(true);
  });

  it('serves a Query request posted to the queue URL path without a QueueUrl parameter', async () => {
    const sqs = createSdkClient('query', () => target.endpoint());
    const { QueueUrl } = await sqs.createQueue({ QueueName: uniqueQueueName('bypath') });
    const path = new URL(QueueUrl!).pathname;
    const answer = await queryRequest(target.endpoint(), { Action: 'SendMessage', MessageBody: 'by path' }, path);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('<SendMessageResponse');
    const { Messages } = await sqs.receiveMessage({ QueueUrl, WaitTimeSeconds: 1 });
    expect(Messages?.map((message) => message.Body)).toEqual(['by path']);
  });

  // The Query API reference's examples send a single list or map entry without an index.
  it('serves list and map parameters sent without an index, as the API reference examples do', async () => {
    const sqs = createSdkClient('query', () => target.endpoint());
    const { QueueUrl } = await sqs.createQueue({ QueueName: uniqueQueueName('unindexed') });
    const path = new URL(QueueUrl!).pathname;
    const set = await queryRequest(
      target.endpoint(),
      { Action: 'SetQueueAttributes', 'Attribute.Name': 'VisibilityTimeout', 'Attribute.Value': '35' },
      path,
    );
    expect(set.status).toBe(200);
    const { Attributes } = await sqs.getQueueAttributes({ QueueUrl, AttributeNames: ['VisibilityTimeout'] });
    expect(Attributes).toEqual({ VisibilityTimeout: '35' });

    await sqs.sendMessage({ QueueUrl, MessageBody: 'with attributes' });
    const received = await queryRequest(target.endpoint(), { Action: 'ReceiveMessage', AttributeName: 'All', WaitTimeSeconds: '1' }, path);
    expect(received.status).toBe(200);
    expect(received.body).toContain('<Body>with attributes</Body>');
    expect(received.body).toContain('<Attribute><Name>SentTimestamp</Name>');
  });

  // botocore's Query serializer (boto3 1.26 / awscli 2.9, as Debian 12 ships them) does not leave an
  // empty list out: it sends the member's own name with an empty value (`AttributeNames=`,
  // `Entries=`), a name that is no Query parameter of SQS. Like any unknown parameter it is
  // ignored, so the call means what JSON's `[]` means.
  it('answers botocore\'s empty-list form (`AttributeNames=`, `Entries=`) as an empty list', async () => {
    const sqs = createSdkClient('query', () => target.endpoint());
    const { QueueUrl } = await sqs.createQueue({ QueueName: uniqueQueueName('botoempty') });
    const attributes = await queryRequest(target.endpoint(), { Action: 'GetQueueAttributes', QueueUrl: QueueUrl!, AttributeNames: '' });
    expect(attributes.status).toBe(200);
    expect(attributes.body).not.toContain('<Attribute>');
    const batch = await queryRequest(target.endpoint(), { Action: 'SendMessageBatch', QueueUrl: QueueUrl!, Entries: '' });
    expect(batch.status).toBe(400);
    expect(batch.body).toContain('<Code>AWS.SimpleQueueService.EmptyBatchRequest</Code>');
    await sqs.sendMessage({ QueueUrl, MessageBody: 'nothing else asked for' });
    const received = await queryRequest(target.endpoint(), {
      Action: 'ReceiveMessage', QueueUrl: QueueUrl!, AttributeNames: '', MessageAttributeNames: '', WaitTimeSeconds: '1',
    });
    expect(received.status).toBe(200);
    expect(received.body).toContain('<Body>nothing else asked for</Body>');
    expect(received.body).not.toContain('<Attribute>');
  });

  it('answers errors as an XML ErrorResponse with Type, Code, Message and RequestId', async () => {
    const sqs = createSdkClient('query', () => proxy.endpoint);
    const first = proxy.exchanges.length;
    await expectSqsError(sqs.getQueueUrl({ QueueName: uniqueQueueName('wiremissing') }), NON_EXISTENT_QUEUE);
    const [exchange] = proxy.exchanges.slice(first);
    expect(exchange!.status).toBe(400);
    const body = exchange!.responseBody;
    expect(body).toContain(`<ErrorResponse xmlns="${SQS_XML_NAMESPACE}">`);
    expect(body).toMatch(/<Type>Sender<\/Type>/);
    expect(body).toMatch(/<Code>AWS\.SimpleQueueService\.NonExistentQueue<\/Code>/);
    expect(body).toMatch(/<Message>[^<]+<\/Message>/);
    expect(body).toMatch(/<RequestId>[^<]+<\/RequestId>/);
  });
});

describe.runIf(FLAVOURS.includes('json'))('JSON flavour on the wire', () => {
  it('sends X-Amz-Target requests in AWS JSON 1.0 and receives JSON', async () => {
    const sqs = createSdkClient('json', () => proxy.endpoint);
    const first = proxy.exchanges.length;
    const name = uniqueQueueName('wirejson');
    await sqs.createQueue({ QueueName: name });
    const [create] = proxy.exchanges.slice(first);
    expect(create!.method).toBe('POST');
    expect(create!.requestHeaders['x-amz-target']).toBe('AmazonSQS.CreateQueue');
    expect(create!.requestHeaders['content-type']).toMatch(/^application\/x-amz-json-1\.0/);
    expect(JSON.parse(create!.requestBody)).toEqual({ QueueName: name });
    expect(create!.responseHeaders['content-type']).toMatch(/^application\/x-amz-json-1\.0/);
    expect(create!.responseHeaders['x-amzn-requestid']).toMatch(/\S/);
    expect(JSON.parse(create!.responseBody)).toEqual({ QueueUrl: expect.stringMatching(new RegExp(`/${name}$`)) });
  });

  it('answers errors with __type, message and the legacy code in x-amzn-query-error', async () => {
    const sqs = createSdkClient('json', () => proxy.endpoint);
    const first = proxy.exchanges.length;
    await expectSqsError(sqs.getQueueUrl({ QueueName: uniqueQueueName('wiremissing') }), NON_EXISTENT_QUEUE);
    const [exchange] = proxy.exchanges.slice(first);
    expect(exchange!.status).toBe(400);
    expect(exchange!.responseHeaders['x-amzn-query-error']).toBe('AWS.SimpleQueueService.NonExistentQueue;Sender');
    const body = JSON.parse(exchange!.responseBody) as { __type?: string; message?: string };
    expect(body.__type).toMatch(/(^|#)QueueDoesNotExist$/);
    expect(body.message).toMatch(/\S/);
  });

  // Recent botocore adds `x-amzn-query-mode: true` to every JSON request of a query-compatible
  // service (awscli 1.45 / boto3 1.43 do); it changes nothing: the legacy code still comes in
  // x-amzn-query-error, which is what botocore reads the error code from.
  it('answers a request carrying x-amzn-query-mode: true like any other', async () => {
    const answer = await rawRequest(target.endpoint(), {
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.GetQueueUrl', 'x-amzn-query-mode': 'true' },
      body: JSON.stringify({ QueueName: uniqueQueueName('querymode') }),
    });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('x-amzn-query-error')).toBe('AWS.SimpleQueueService.NonExistentQueue;Sender');
    expect((JSON.parse(answer.body) as { __type: string }).__type).toBe('com.amazonaws.sqs#QueueDoesNotExist');
  });

  // What real SQS was recorded sending (yavosh/pail test/diff goldens): an empty body for an
  // action without output, `{}` for an empty ReceiveMessage, no empty Failed list, and
  // MalformedInput for a body that is not a JSON object.
  it('answers like SQS: empty bodies for actions without output, no empty lists, MalformedInput', async () => {
    const { QueueUrl } = await createSdkClient('json', () => target.endpoint()).createQueue({ QueueName: uniqueQueueName('wireshape') });
    const url = JSON.stringify(QueueUrl);
    const tagged = await jsonRequest(target.endpoint(), 'TagQueue', `{"QueueUrl":${url},"Tags":{"env":"test"}}`);
    expect({ status: tagged.status, body: tagged.body, type: tagged.headers.get('content-type') }).toEqual({
      status: 200, body: '', type: 'application/x-amz-json-1.0',
    });
    expect(tagged.headers.get('x-amzn-requestid')).toMatch(/\S/);
    expect((await jsonRequest(target.endpoint(), 'ReceiveMessage', `{"QueueUrl":${url}}`)).body).toBe('{}');
    const batch = await jsonRequest(target.endpoint(), 'SendMessageBatch', `{"QueueUrl":${url},"Entries":[{"Id":"a","MessageBody":"x"}]}`);
    expect(Object.keys(JSON.parse(batch.body) as object)).toEqual(['Successful']);
    const malformed = await jsonRequest(target.endpoint(), 'GetQueueUrl', '{');
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('x-amzn-query-error')).toBe('MalformedInput;Sender');
    expect((JSON.parse(malformed.body) as { __type: string }).__type).toBe('com.amazon.coral.service#SerializationException');
  });
});

// An empty map puts nothing on the Query wire (`Attributes: {}` sends no `Attribute.N`), so the
// Query flavour must answer what the JSON flavour answers for `{}`: the engine decides, not the
// wire (SetQueueAttributes with nothing to set succeeds; TagQueue with no tags is MissingParameter).
describe.each(FLAVOURS.map((flavour) => ({ flavour })))('$flavour: an empty required map', ({ flavour }) => {
  it('SetQueueAttributes with nothing to set succeeds, TagQueue with no tags is refused, and neither changes anything', async () => {
    const sqs = createSdkClient(flavour, () => target.endpoint());
    const { QueueUrl } = await sqs.createQueue({ QueueName: uniqueQueueName('emptymap'), tags: { kept: 'yes' } });
    await sqs.setQueueAttributes({ QueueUrl, Attributes: {} });
    await expect(sqs.tagQueue({ QueueUrl, Tags: {} })).rejects.toMatchObject({ code: 'MissingParameter', status: 400 });
    const { Attributes } = await sqs.getQueueAttributes({ QueueUrl, AttributeNames: ['VisibilityTimeout'] });
    expect(Attributes).toEqual({ VisibilityTimeout: '30' });
    expect((await sqs.listQueueTags({ QueueUrl })).Tags).toEqual({ kept: 'yes' });
  });
});

/** Replaces every 32-hex-digit MD5 in an answer with a wrong one, in either protocol. */
function corruptDigests(body: string): string {
  return body.replace(/\b[0-9a-f]{32}\b/g, '0'.repeat(32));
}

describe.each(FLAVOURS.map((flavour) => ({ flavour })))('$flavour SDK verifies MD5 digests', ({ flavour }) => {
  let tampering: RecordingProxy;
  beforeAll(async () => {
    tampering = await startRecordingProxy(target.endpoint(), { rewriteResponse: corruptDigests });
  });
  afterAll(async () => {
    await tampering?.stop();
  });

  // Proves the MD5s of every other test in the suite are really checked by the SDK, not ignored.
  it('rejects a SendMessage answer whose MD5OfMessageBody does not match', async () => {
    const honest = createSdkClient(flavour, () => target.endpoint());
    const { QueueUrl } = await honest.createQueue({ QueueName: uniqueQueueName('tampered') });
    const fooled = createSdkClient(flavour, () => tampering.endpoint);
    const queueUrlViaProxy = QueueUrl!.replace(target.endpoint(), tampering.endpoint);
    await expect(fooled.sendMessage({ QueueUrl: queueUrlViaProxy, MessageBody: 'checked' })).rejects.toThrow(/md5|checksum/i);
  });
});
