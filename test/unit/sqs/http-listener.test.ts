/**
 * The listener's HTTP behaviour around the protocols: queue URLs from the path and the Host,
 * sender ids, replication headers, body limits, and a body that must survive XML unchanged.
 */
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS_SENDER_ID } from '../../../server/src/sqs/request-origin.js';
import { md5 } from './action-fixtures.js';
import { useStubSqsServer, type StubSqsServer } from './stub-sqs-server.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const JSON_HEADERS = { 'content-type': 'application/x-amz-json-1.0' };

describe('SQS request listener', () => {
  const started = useStubSqsServer({ maxBodyBytes: 64 * 1024 });
  let stub: StubSqsServer;
  beforeAll(() => {
    stub = started();
  });

  it('takes QueueUrl from the path of a Query request sent to a queue URL', async () => {
    stub.answer = () => ({ output: {} });
    await fetch(`${stub.endpoint}/000000000000/orders`, { method: 'POST', headers: FORM, body: 'Action=PurgeQueue&Version=2012-11-05' });
    expect(stub.lastRequest()).toEqual({ action: 'PurgeQueue', input: { QueueUrl: `${stub.endpoint}/000000000000/orders` } });

    await fetch(`${stub.endpoint}/000000000000/orders?Action=DeleteQueue&QueueUrl=explicit`);
    expect(stub.lastRequest()).toEqual({ action: 'DeleteQueue', input: { QueueUrl: 'explicit' } });
  });

  it('reads GET query strings like form bodies', async () => {
    stub.answer = () => ({ output: { QueueUrls: [] } });
    const response = await fetch(`${stub.endpoint}/?Action=ListQueues&QueueNamePrefix=a%20b&MaxResults=5`);
    expect(response.status).toBe(200);
    expect(stub.lastRequest()).toEqual({ action: 'ListQueues', input: { QueueNamePrefix: 'a b', MaxResults: 5 } });
  });

  it('decodes the MessageSystemAttributeName list of newer Query clients', async () => {
    stub.answer = () => ({ output: {} });
    await fetch(`${stub.endpoint}/`, {
      method: 'POST',
      headers: FORM,
      body: 'Action=ReceiveMessage&QueueUrl=u&MessageSystemAttributeName.2=SequenceNumber&MessageSystemAttributeName.1=SenderId',
    });
    expect(stub.lastRequest()).toEqual({ action: 'ReceiveMessage', input: { QueueUrl: 'u', MessageSystemAttributeNames: ['SenderId', 'SequenceNumber'] } });
  });

  it('gives the service the Host the client called as base URL', async () => {
    stub.answer = () => ({ output: {} });
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${stub.endpoint}/`, { method: 'POST', headers: { ...JSON_HEADERS, host: 'sqs.example:4566', 'x-amz-target': 'AmazonSQS.DeleteQueue' } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end('{"QueueUrl":"u"}');
    });
    expect(stub.calls.at(-1)?.context.baseUrl).toBe('http://sqs.example:4566');
  });

  it('falls back to the local address when an HTTP/1.0 client sends no Host', async () => {
    stub.answer = () => ({ output: {} });
    const { port } = new URL(stub.endpoint);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.end('GET /?Action=DeleteQueue&QueueUrl=u HTTP/1.0\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply.startsWith('HTTP/1.1 200')).toBe(true);
    expect(stub.calls.at(-1)?.context.baseUrl).toBe(stub.endpoint);
  });

  it('takes the sender id from the SigV4 credential, or a default without one', async () => {
    stub.answer = () => ({ output: {} });
    await stub.jsonClient().send(new DeleteQueueCommand({ QueueUrl: 'u' }));
    expect(stub.calls.at(-1)?.context.senderId).toBe('AKIDJSONCLIENT');
    await stub.queryClient().deleteQueue({ QueueUrl: stub.queueUrl() }).promise();
    expect(stub.calls.at(-1)?.context.senderId).toBe('AKIDQUERYCLIENT');
    await fetch(`${stub.endpoint}/?Action=DeleteQueue&QueueUrl=u`);
    expect(stub.calls.at(-1)?.context.senderId).toBe(ANONYMOUS_SENDER_ID);
  });

  it('sends the replication headers when the answer has them, in both protocols', async () => {
    stub.answer = () => ({ output: {}, logIndex: 42, replicas: 3 });
    const json = await fetch(`${stub.endpoint}/`, { method: 'POST', headers: { ...JSON_HEADERS, 'x-amz-target': 'AmazonSQS.DeleteQueue' }, body: '{"QueueUrl":"u"}' });
    expect(json.headers.get('x-replimq-log-index')).toBe('42');
    expect(json.headers.get('x-replimq-replicas')).toBe('3');
    expect(json.headers.get('x-amzn-requestid')).toBe('req-1');
    expect(await json.text()).toBe(''); // SQS answers an action without output with an empty body
    const query = await fetch(`${stub.endpoint}/?Action=DeleteQueue&QueueUrl=u`);
    expect(query.headers.get('x-replimq-log-index')).toBe('42');
    expect(await query.text()).toBe(
      '<?xml version="1.0"?><DeleteQueueResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">' +
        '<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DeleteQueueResponse>',
    );

    stub.answer = () => ({ output: { QueueUrl: 'u' } });
    const read = await fetch(`${stub.endpoint}/?Action=GetQueueUrl&QueueName=q`);
    expect(read.headers.has('x-replimq-log-index')).toBe(false);
    expect(read.headers.has('x-replimq-replicas')).toBe(false);
  });

  it('gives the service a signal that aborts once the client leaves, and not for an answered request', async () => {
    stub.answer = () => ({ output: {} });
    await fetch(`${stub.endpoint}/000000000000/orders?Action=PurgeQueue`);
    const answered = stub.calls.at(-1)!.context;
    let release: (() => void) | undefined;
    stub.answer = () => new Promise((resolve) => (release = () => resolve({ output: {} })));
    const leaving = httpRequest(`${stub.endpoint}/000000000000/orders?Action=PurgeQueue`);
    leaving.on('error', () => undefined);
    leaving.end();
    while (release === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    const parked = stub.calls.at(-1)!.context;
    leaving.destroy();
    // Made on first use, possibly after the client left: aborted either way.
    while (!parked.signal?.aborted) await new Promise((resolve) => setTimeout(resolve, 5));
    release();
    expect(parked.signal?.aborted).toBe(true);
    expect(answered.signal?.aborted).toBe(false);
  });

  it('writes CR as a character reference so that XML parsers keep it', async () => {
    const body = 'line1\r\nline2\r';
    stub.answer = () => ({ output: { Messages: [{ MessageId: 'm', ReceiptHandle: 'r', MD5OfBody: md5(body), Body: body }] } });
    const xml = await (await fetch(`${stub.endpoint}/?Action=ReceiveMessage&QueueUrl=u`)).text();
    expect(xml).toContain('<Body>line1&#xD;\nline2&#xD;</Body>');
  });

  it('refuses a body over the limit with an error in the caller protocol, and keeps serving', async () => {
    const calls = stub.calls.length;
    const big = 'x'.repeat(100 * 1024);
    const json = await fetch(`${stub.endpoint}/`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, 'x-amz-target': 'AmazonSQS.SendMessage' },
      body: `{"QueueUrl":"u","MessageBody":"${big}"}`,
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toEqual({
      __type: 'com.amazon.coral.service#InvalidParameterValueException',
      message: 'Request body must be shorter than 65536 bytes.',
    });
    const query = await fetch(`${stub.endpoint}/`, { method: 'POST', headers: FORM, body: `Action=SendMessage&QueueUrl=u&MessageBody=${big}` });
    expect(query.status).toBe(400);
    expect(await query.text()).toContain('<Code>InvalidParameterValue</Code>');
    expect(stub.calls.length).toBe(calls);

    stub.answer = () => ({ output: {} });
    expect((await fetch(`${stub.endpoint}/?Action=DeleteQueue&QueueUrl=u`)).status).toBe(200);
  });

  it('refuses a chunked body over the limit too', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${stub.endpoint}/`, { method: 'POST', headers: FORM }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write(`Action=SendMessage&Pad${i}=${'y'.repeat(10 * 1024)}&`);
      req.end();
    });
    expect(status).toBe(400);
  });
});

describe('SQS request listener with a fixed base URL', () => {
  const started = useStubSqsServer({ fixedBaseUrl: 'https://queues.internal:8443' });

  it('hands the fixed base URL to the service whatever the Host', async () => {
    const stub = started();
    stub.answer = () => ({ output: {} });
    await fetch(`${stub.endpoint}/000000000000/orders?Action=PurgeQueue`);
    expect(stub.calls.at(-1)?.context.baseUrl).toBe('https://queues.internal:8443');
    expect(stub.lastRequest()).toEqual({ action: 'PurgeQueue', input: { QueueUrl: 'https://queues.internal:8443/000000000000/orders' } });
  });
});
