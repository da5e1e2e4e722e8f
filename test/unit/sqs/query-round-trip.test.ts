/**
 * Every action through the last Query-protocol release of the AWS SDK (`aws-sdk@2.1490.0`): it
 * must really send `Action=…` forms, the listener must unflatten them into the action's input,
 * and the SDK's own XML parser must read our answers back into the service's output.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { actionFixtures, md5, type ActionFixture } from './action-fixtures.js';
import { useStubSqsServer, type StubSqsServer } from './stub-sqs-server.js';

type QueryCall = (params: Record<string, unknown>) => { promise(): Promise<Record<string, unknown>> };

async function callQuery(stub: StubSqsServer, fixture: ActionFixture): Promise<Record<string, unknown>> {
  const client = stub.queryClient();
  const method = fixture.action[0]!.toLowerCase() + fixture.action.slice(1);
  const call = (client as unknown as Record<string, QueryCall>)[method]!.bind(client);
  return call(fixture.params).promise();
}

describe('Query/XML round trip with aws-sdk v2 (Query release)', () => {
  const started = useStubSqsServer();
  let stub: StubSqsServer;
  beforeAll(() => {
    stub = started();
  });

  for (const { action } of actionFixtures('http://placeholder/000000000000/q1')) {
    it(action, async () => {
      const fixture = actionFixtures(stub.queueUrl()).find((f) => f.action === action)!;
      stub.answer = () => ({ output: fixture.output });
      const { ResponseMetadata, ...parsed } = await callQuery(stub, fixture);

      const raw = stub.raw.at(-1)!;
      expect(raw.method).toBe('POST');
      expect(raw.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
      expect(raw.body).toContain(`Action=${action}&`);
      expect(raw.headers['x-amz-target']).toBeUndefined();
      expect(stub.lastRequest()).toEqual({ action, input: fixture.input ?? fixture.params });
      expect(parsed).toEqual(fixture.queryParsed ?? fixture.parsed ?? fixture.output);
      expect(ResponseMetadata).toEqual({ RequestId: 'req-1' });
    });
  }

  it('decodes binary message attributes as base64 and renders them back', async () => {
    const bytes = Buffer.from([0, 1, 255]);
    stub.answer = () => ({ output: { MessageId: 'm', MD5OfMessageBody: md5('x') } });
    await callQuery(stub, {
      action: 'SendMessage',
      params: { QueueUrl: stub.queueUrl(), MessageBody: 'x', MessageAttributes: { b: { DataType: 'Binary', BinaryValue: bytes } } },
      output: {},
    });
    expect(stub.lastRequest()).toEqual({
      action: 'SendMessage',
      input: { QueueUrl: stub.queueUrl(), MessageBody: 'x', MessageAttributes: { b: { DataType: 'Binary', BinaryValue: bytes.toString('base64') } } },
    });

    stub.answer = () => ({
      output: {
        Messages: [
          {
            MessageId: 'm', ReceiptHandle: 'r', MD5OfBody: md5('x'), Body: 'x',
            MessageAttributes: { b: { DataType: 'Binary', BinaryValue: bytes.toString('base64') } },
          },
        ],
      },
    });
    const received = await callQuery(stub, { action: 'ReceiveMessage', params: { QueueUrl: stub.queueUrl() }, output: {} });
    expect(received).toMatchObject({ Messages: [{ MessageAttributes: { b: { DataType: 'Binary', BinaryValue: bytes } } }] });
  });
});
