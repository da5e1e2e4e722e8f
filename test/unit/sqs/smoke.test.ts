import { createHash } from 'node:crypto';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StubSqsServer } from './stub-sqs-server.js';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('smoke', () => {
  let stub: StubSqsServer;
  beforeAll(async () => { stub = await StubSqsServer.start(); });
  afterAll(async () => { await stub.stop(); });

  it('json', async () => {
    const client = stub.jsonClient();
    stub.answer = () => ({ output: { QueueUrl: stub.queueUrl() } });
    expect(await client.send(new CreateQueueCommand({ QueueName: 'q1', Attributes: { DelaySeconds: '1' } }))).toMatchObject({ QueueUrl: stub.queueUrl() });
    expect(stub.lastRequest()).toEqual({ action: 'CreateQueue', input: { QueueName: 'q1', Attributes: { DelaySeconds: '1' } } });
    stub.answer = () => ({ output: { MessageId: 'm1', MD5OfMessageBody: md5('hi') }, logIndex: 7, replicas: 3 });
    expect(await client.send(new SendMessageCommand({ QueueUrl: stub.queueUrl(), MessageBody: 'hi', DelaySeconds: 2 }))).toMatchObject({ MessageId: 'm1' });
    stub.answer = () => ({ output: { Messages: [{ MessageId: 'm1', ReceiptHandle: 'rh', MD5OfBody: md5('a\r\nb'), Body: 'a\r\nb', Attributes: { SenderId: 'x' } }] } });
    const received = await client.send(new ReceiveMessageCommand({ QueueUrl: stub.queueUrl(), MaxNumberOfMessages: 2 }));
    expect(received.Messages?.[0]?.Body).toBe('a\r\nb');
  });

  it('query', async () => {
    const client = stub.queryClient();
    stub.answer = () => ({ output: { QueueUrl: stub.queueUrl() } });
    expect(await client.createQueue({ QueueName: 'q1', Attributes: { DelaySeconds: '1' } }).promise()).toMatchObject({ QueueUrl: stub.queueUrl() });
    expect(stub.lastRequest()).toEqual({ action: 'CreateQueue', input: { QueueName: 'q1', Attributes: { DelaySeconds: '1' } } });
    stub.answer = () => ({ output: { MessageId: 'm1', MD5OfMessageBody: md5('hi') } });
    expect(await client.sendMessage({ QueueUrl: stub.queueUrl(), MessageBody: 'hi', DelaySeconds: 2 }).promise()).toMatchObject({ MessageId: 'm1' });
    expect(stub.lastRequest()).toEqual({ action: 'SendMessage', input: { QueueUrl: stub.queueUrl(), MessageBody: 'hi', DelaySeconds: 2 } });
    stub.answer = () => ({ output: { Messages: [{ MessageId: 'm1', ReceiptHandle: 'rh', MD5OfBody: md5('a\r\nb'), Body: 'a\r\nb', Attributes: { SenderId: 'x' } }] } });
    const received = await client.receiveMessage({ QueueUrl: stub.queueUrl(), MaxNumberOfMessages: 2 }).promise();
    expect(received.Messages?.[0]).toMatchObject({ Body: 'a\r\nb', Attributes: { SenderId: 'x' } });
  });
});
