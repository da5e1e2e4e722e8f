/**
 * Every action through `@aws-sdk/client-sqs` v3 (AWS JSON 1.0): the listener must decode what the
 * SDK really sends into the action's input, and the SDK must parse our answer back into the
 * service's output.
 */
import * as sqs from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTION_NAMES } from '../../../server/src/engine/actions.js';
import { actionFixtures, md5, type ActionFixture } from './action-fixtures.js';
import { useStubSqsServer, type StubSqsServer } from './stub-sqs-server.js';

type CommandClass = new (input: Record<string, unknown>) => sqs.SQSClient extends { send(command: infer C): unknown } ? C : never;

function commandFor(fixture: ActionFixture): Parameters<sqs.SQSClient['send']>[0] {
  const Command = (sqs as unknown as Record<string, CommandClass>)[`${fixture.action}Command`];
  if (!Command) throw new Error(`no v3 command for ${fixture.action}`);
  return new Command(fixture.params) as Parameters<sqs.SQSClient['send']>[0];
}

describe('AWS JSON 1.0 round trip with @aws-sdk/client-sqs v3', () => {
  const started = useStubSqsServer();
  let stub: StubSqsServer;
  let client: sqs.SQSClient;
  beforeAll(() => {
    stub = started();
    client = stub.jsonClient();
  });

  it('has a fixture for every action', () => {
    expect(actionFixtures(stub.queueUrl()).map((f) => f.action).sort()).toEqual([...ACTION_NAMES].sort());
  });

  for (const { action } of actionFixtures('http://placeholder/000000000000/q1')) {
    it(action, async () => {
      const fixture = actionFixtures(stub.queueUrl()).find((f) => f.action === action)!;
      stub.answer = () => ({ output: fixture.output });
      const { $metadata, ...parsed } = (await client.send(commandFor(fixture))) as { $metadata: unknown };

      const raw = stub.raw.at(-1)!;
      expect(raw.headers['x-amz-target']).toBe(`AmazonSQS.${action}`);
      expect(raw.headers['content-type']).toBe('application/x-amz-json-1.0');
      expect(stub.lastRequest()).toEqual({ action, input: fixture.input ?? fixture.params });
      expect(parsed).toEqual(fixture.parsed ?? fixture.output);
      expect($metadata).toMatchObject({ httpStatusCode: 200, requestId: 'req-1' });
    });
  }

  // Real SQS leaves empty lists out (Java SDK v2's hasFailed() depends on it) and answers an
  // action without output with an empty body (recorded: yavosh/pail test/diff goldens).
  it('leaves empty lists out of answers and answers actions without output with an empty body', async () => {
    async function answerText(target: string, body: string): Promise<{ status: number; text: string; type: string | null }> {
      const response = await fetch(`${stub.endpoint}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${target}` },
        body,
      });
      return { status: response.status, text: await response.text(), type: response.headers.get('content-type') };
    }
    const url = stub.queueUrl();
    stub.answer = () => ({ output: { Successful: [{ Id: 'a' }], Failed: [] } });
    const batch = `{"QueueUrl":"${url}","Entries":[{"Id":"a","MessageBody":"x"}]}`;
    expect((await answerText('SendMessageBatch', batch)).text).toBe('{"Successful":[{"Id":"a"}]}');
    stub.answer = () => ({ output: { queueUrls: [] } });
    expect((await answerText('ListDeadLetterSourceQueues', `{"QueueUrl":"${url}"}`)).text).toBe('{}');
    stub.answer = () => ({ output: {} });
    expect(await answerText('DeleteMessage', `{"QueueUrl":"${url}","ReceiptHandle":"r"}`)).toEqual({
      status: 200, text: '', type: 'application/x-amz-json-1.0',
    });
    expect((await answerText('ListQueueTags', `{"QueueUrl":"${url}"}`)).text).toBe('{}');
  });

  it('passes MessageSystemAttributeNames and binary attributes through as base64', async () => {
    const body = 'binary';
    stub.answer = () => ({
      output: {
        Messages: [
          {
            MessageId: 'm', ReceiptHandle: 'r', MD5OfBody: md5(body), Body: body,
            MessageAttributes: { b: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 255]).toString('base64') } },
          },
        ],
      },
    });
    const received = await client.send(
      new sqs.ReceiveMessageCommand({ QueueUrl: stub.queueUrl(), MessageSystemAttributeNames: ['SenderId', 'SequenceNumber'] }),
    );
    expect(stub.lastRequest()).toEqual({
      action: 'ReceiveMessage',
      input: { QueueUrl: stub.queueUrl(), MessageSystemAttributeNames: ['SenderId', 'SequenceNumber'] },
    });
    expect(received.Messages?.[0]?.MessageAttributes?.b?.BinaryValue).toEqual(new Uint8Array([0, 1, 255]));
  });
});
