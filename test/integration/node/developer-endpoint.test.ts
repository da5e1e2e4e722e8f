/**
 * `/_aws/sqs/messages` on the SQS port, as LocalStack documents it (and Floci copies it): a look
 * at a queue's messages that consumes nothing, in XML, LocalStack's JSON rendering of that XML,
 * or the JSON protocol; `DELETE` purges.
 */
import { describe, expect, it } from 'vitest';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import SQSv2 from 'aws-sdk-query/clients/sqs.js';
import { useNode } from './node-fixture.js';

describe('developer endpoint /_aws/sqs/messages', () => {
  const target = useNode();
  let counter = 0;

  async function queueWith(...bodies: string[]): Promise<string> {
    const { QueueUrl } = await target.sqs().send(new CreateQueueCommand({ QueueName: `peek-${++counter}`, Attributes: { VisibilityTimeout: '60' } }));
    for (const body of bodies) {
      await target.sqs().send(new SendMessageCommand({
        QueueUrl: QueueUrl!,
        MessageBody: body,
        MessageAttributes: { kind: { DataType: 'String', StringValue: `k-${body}` } },
      }));
    }
    return QueueUrl!;
  }

  const endpoint = (query: string, path = ''): string => `${target.node().sqsEndpoint}/_aws/sqs/messages${path}${query}`;
  const peekUrl = (queueUrl: string, extra = ''): string => endpoint(`?QueueUrl=${encodeURIComponent(queueUrl)}${extra}`);

  async function receiveCount(queueUrl: string): Promise<string | undefined> {
    const { Attributes } = await target.sqs().send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    return Attributes?.ApproximateNumberOfMessages;
  }

  it('answers ReceiveMessage XML by default, with every attribute, and consumes nothing', async () => {
    const queueUrl = await queueWith('hello <world> & more');
    const response = await fetch(peekUrl(queueUrl));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/xml');
    const xml = await response.text();
    expect(xml).toContain('<ReceiveMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><ReceiveMessageResult><Message>');
    expect(xml).toContain('<Body>hello &lt;world&gt; &amp; more</Body>');
    expect(xml).toContain('<ReceiptHandle>SQS/BACKDOOR/ACCESS</ReceiptHandle>');
    expect(xml).toContain('<Attribute><Name>ApproximateReceiveCount</Name><Value>0</Value></Attribute>');
    expect(xml).toContain('<MessageAttribute><Name>kind</Name><Value><StringValue>k-hello &lt;world&gt; &amp; more</StringValue><DataType>String</DataType></Value></MessageAttribute>');

    // Still visible, never received: a receive gets it as its first delivery.
    expect(await receiveCount(queueUrl)).toBe('1');
    const { Messages } = await target.sqs().send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    expect(Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('1');
  });

  it('renders that XML as JSON for Accept: application/json, the shape LocalStack users read', async () => {
    const queueUrl = await queueWith('one', 'two');
    const response = await fetch(peekUrl(queueUrl), { headers: { accept: 'application/json' } });
    expect(response.headers.get('content-type')).toBe('application/json');
    const json = (await response.json()) as { ReceiveMessageResponse: { ReceiveMessageResult: { Message: unknown[] }; ResponseMetadata: { RequestId: string } } };
    const messages = json.ReceiveMessageResponse.ReceiveMessageResult.Message as Record<string, unknown>[];
    expect(messages.map((message) => message.Body)).toEqual(['one', 'two']);
    expect(messages[0]).toMatchObject({
      ReceiptHandle: 'SQS/BACKDOOR/ACCESS',
      MessageAttribute: { Name: 'kind', Value: { StringValue: 'k-one', DataType: 'String' } },
    });
    expect(messages[0]!.Attribute).toEqual(expect.arrayContaining([{ Name: 'ApproximateReceiveCount', Value: '0' }]));
    expect(json.ReceiveMessageResponse.ResponseMetadata.RequestId).toBe(response.headers.get('x-amzn-requestid'));

    // One message is an object, none is null: xmltodict's rendering, as LocalStack's.
    const single = await queueWith('only');
    const one = (await (await fetch(peekUrl(single), { headers: { accept: 'application/json' } })).json()) as { ReceiveMessageResponse: { ReceiveMessageResult: { Message: { Body: string } } } };
    expect(one.ReceiveMessageResponse.ReceiveMessageResult.Message.Body).toBe('only');
    const empty = await queueWith();
    const none = (await (await fetch(peekUrl(empty), { headers: { accept: 'application/json' } })).json()) as { ReceiveMessageResponse: { ReceiveMessageResult: unknown } };
    expect(none.ReceiveMessageResponse.ReceiveMessageResult).toBeNull();
  });

  it('picks the XML type a browser prefers, and the JSON rendering for a JSON Content-Type without Accept', async () => {
    const queueUrl = await queueWith('negotiated');
    const browser = await fetch(peekUrl(queueUrl), { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
    expect(browser.headers.get('content-type')).toBe('application/xml');
    const posted = await fetch(endpoint(''), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: '*/*' },
      body: new URLSearchParams({ QueueUrl: queueUrl }).toString(),
    });
    expect(posted.headers.get('content-type')).toBe('text/xml');
    expect(await posted.text()).toContain('<Body>negotiated</Body>');
  });

  it('names the queue by path /<region>/<account>/<queue> too', async () => {
    const queueUrl = await queueWith('by path');
    const name = queueUrl.split('/').pop()!;
    const response = await fetch(endpoint('', `/us-east-1/000000000000/${name}`), { headers: { accept: 'application/json' } });
    expect(response.status).toBe(200);
    expect(JSON.stringify(await response.json())).toContain('"Body":"by path"');
  });

  it('shows in-flight messages with ShowInvisible and delayed ones with ShowDelayed, each saying so', async () => {
    const queueUrl = await queueWith('taken');
    await target.sqs().send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));
    await target.sqs().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'later', DelaySeconds: 900 }));
    await target.sqs().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'waiting' }));

    const bodies = async (extra: string): Promise<string[]> => {
      const xml = await (await fetch(peekUrl(queueUrl, extra))).text();
      return [...xml.matchAll(/<Body>([^<]*)<\/Body>/g)].map((match) => match[1]!);
    };
    expect(await bodies('')).toEqual(['waiting']);
    expect(await bodies('&ShowInvisible=true')).toEqual(['taken', 'waiting']);
    expect(await bodies('&ShowDelayed=1')).toEqual(['later', 'waiting']);
    const all = await (await fetch(peekUrl(queueUrl, '&ShowInvisible=True&ShowDelayed=true'))).text();
    expect(all).toContain('<Body>taken</Body>');
    expect(all).toMatch(/<Body>taken<\/Body>.*<Name>IsVisible<\/Name><Value>false<\/Value>.*<Name>IsDelayed<\/Name><Value>false<\/Value>/);
    expect(all).toMatch(/<Body>later<\/Body>.*<Name>IsDelayed<\/Name><Value>true<\/Value>/);
    // The in-flight message stayed in flight: nothing to receive but 'waiting'.
    const { Messages } = await target.sqs().send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    expect(Messages?.map((message) => message.Body)).toEqual(['waiting']);
  });

  it('serves an SDK that uses the endpoint as its endpoint: ReceiveMessage there is a peek', async () => {
    const queueUrl = await queueWith('sdk peek');
    const peeking = new SQSClient({
      endpoint: `${target.node().sqsEndpoint}/_aws/sqs/messages`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    try {
      for (let i = 0; i < 2; i++) {
        const { Messages } = await peeking.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));
        expect(Messages?.map((message) => [message.Body, message.ReceiptHandle])).toEqual([['sdk peek', 'SQS/BACKDOOR/ACCESS']]);
      }
    } finally {
      peeking.destroy();
    }
    const query = new SQSv2({
      endpoint: `${target.node().sqsEndpoint}/_aws/sqs/messages`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxRetries: 0,
    });
    const viaQuery = await query.receiveMessage({ QueueUrl: queueUrl }).promise();
    expect(viaQuery.Messages?.map((message) => message.Body)).toEqual(['sdk peek']);
    await expect(query.sendMessage({ QueueUrl: queueUrl, MessageBody: 'no' }).promise()).rejects.toMatchObject({ code: 'InvalidAction' });
    expect(await receiveCount(queueUrl)).toBe('1');
  });

  it('answers a queue that does not exist, or none named, with QueueDoesNotExist in the asked format', async () => {
    const missing = await fetch(peekUrl(`${target.node().sqsEndpoint}/000000000000/nope`));
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('<Code>AWS.SimpleQueueService.NonExistentQueue</Code>');
    const unnamed = await fetch(endpoint(''), { headers: { accept: 'application/json' } });
    expect(unnamed.status).toBe(400);
    expect(await unnamed.json()).toMatchObject({ ErrorResponse: { Error: { Code: 'AWS.SimpleQueueService.NonExistentQueue', Type: 'Sender' } } });
  });

  it('purges on DELETE and answers HEAD like GET without a body; other methods get 405 with Allow', async () => {
    const queueUrl = await queueWith('a', 'b');
    const head = await fetch(peekUrl(queueUrl), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await head.text()).toBe('');

    const purged = await fetch(peekUrl(queueUrl), { method: 'DELETE' });
    expect(purged.status).toBe(200);
    expect(await purged.text()).toContain('<PurgeQueueResponse');
    expect(await receiveCount(queueUrl)).toBe('0');

    const put = await fetch(peekUrl(queueUrl), { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST, DELETE, OPTIONS');
  });
});
