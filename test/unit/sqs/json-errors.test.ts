/**
 * Errors in AWS JSON 1.0: body `{"__type", "message"}`, legacy code in `x-amzn-query-error`, and
 * what `@aws-sdk/client-sqs` v3 makes of them (error class, `name`, `Code`, fault).
 */
import * as sqs from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SQS_ERRORS, SqsError, type SqsErrorCode } from '../../../server/src/engine/errors.js';
import { useStubSqsServer, type StubSqsServer } from './stub-sqs-server.js';

interface SdkError {
  name: string;
  message: string;
  Code?: string;
  Type?: string;
  $fault: string;
  $metadata: { httpStatusCode?: number; requestId?: string };
}

async function failure(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('the call succeeded');
}

describe('AWS JSON 1.0 errors', () => {
  const started = useStubSqsServer();
  let stub: StubSqsServer;
  let client: sqs.SQSClient;
  beforeAll(() => {
    stub = started();
    client = stub.jsonClient();
  });

  async function post(target: string | undefined, body: string): Promise<{ status: number; queryError: string | null; body: Record<string, unknown> }> {
    const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.0' };
    if (target !== undefined) headers['x-amz-target'] = target;
    const response = await fetch(`${stub.endpoint}/`, { method: 'POST', headers, body });
    const text = await response.text();
    // Actions without output answer with an empty body, as SQS does.
    const parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    return { status: response.status, queryError: response.headers.get('x-amzn-query-error'), body: parsed };
  }

  it('renders a modeled error the way SQS does and the SDK throws its class', async () => {
    stub.answer = () => {
      throw new SqsError('QueueDoesNotExist', 'The specified queue does not exist.');
    };
    const error = await failure(client.send(new sqs.GetQueueUrlCommand({ QueueName: 'missing' })));
    expect(error).toBeInstanceOf(sqs.QueueDoesNotExist);
    expect(error).toMatchObject({
      name: 'QueueDoesNotExist',
      message: 'The specified queue does not exist.',
      Code: 'AWS.SimpleQueueService.NonExistentQueue',
      Type: 'Sender',
      $fault: 'client',
      $metadata: { httpStatusCode: 400, requestId: 'req-1' },
    });

    const raw = await post('AmazonSQS.GetQueueUrl', '{"QueueName":"missing"}');
    expect(raw).toEqual({
      status: 400,
      queryError: 'AWS.SimpleQueueService.NonExistentQueue;Sender',
      body: { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' },
    });
  });

  it('renders unmodeled errors with the request framework type the SDK reports by their Query code', async () => {
    stub.answer = () => {
      throw new SqsError('InvalidParameterValue', 'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.');
    };
    const error = await failure(client.send(new sqs.ReceiveMessageCommand({ QueueUrl: stub.queueUrl(), MaxNumberOfMessages: 11 })));
    expect(error).toBeInstanceOf(sqs.SQSServiceException);
    expect(error).toMatchObject({ name: 'InvalidParameterValue', Code: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 } });

    const raw = await post('AmazonSQS.ReceiveMessage', `{"QueueUrl":"${stub.queueUrl()}"}`);
    expect(raw.body.__type).toBe('com.amazon.coral.service#InvalidParameterValueException');
    expect(raw.queryError).toBe('InvalidParameterValue;Sender');
  });

  for (const code of Object.keys(SQS_ERRORS) as SqsErrorCode[]) {
    it(`${code} reaches the SDK with status ${SQS_ERRORS[code].status} and code ${SQS_ERRORS[code].queryCode}`, async () => {
      const entry = SQS_ERRORS[code];
      stub.answer = () => {
        throw new SqsError(code, `failure ${code}`);
      };
      const error = await failure(client.send(new sqs.PurgeQueueCommand({ QueueUrl: stub.queueUrl() })));
      const SdkClass = (sqs as unknown as Record<string, unknown>)[code];
      if (entry.modeled && typeof SdkClass === 'function') {
        expect(error).toBeInstanceOf(SdkClass);
        expect(error.name).toBe(code);
      } else {
        expect(error.name).toBe(entry.queryCode);
      }
      expect(error).toMatchObject({
        message: `failure ${code}`,
        Code: entry.queryCode,
        Type: entry.sender ? 'Sender' : 'Receiver',
        $fault: entry.status < 500 ? 'client' : 'server',
        $metadata: { httpStatusCode: entry.status },
      });
    });
  }

  it('answers an unknown or missing X-Amz-Target with UnknownOperationException', async () => {
    const expected = { __type: 'com.amazon.coral.service#UnknownOperationException', message: 'An unknown operation was requested.' };
    expect(await post('AmazonSQS.FlyToTheMoon', '{}')).toEqual({ status: 400, queryError: 'InvalidAction;Sender', body: expected });
    expect(await post('AmazonSNS.Publish', '{}')).toMatchObject({ status: 400, body: expected });
    expect(await post(undefined, '{}')).toMatchObject({ status: 400, body: expected });
  });

  // Real SQS was recorded answering a truncated body, `[]` and `"x"` with this type and
  // `x-amzn-query-error: MalformedInput;Sender` (yavosh/pail test/diff golden sqs-errors, sqs-edge-cases).
  it('answers malformed JSON with SerializationException and the MalformedInput query code', async () => {
    const raw = await post('AmazonSQS.SendMessage', '{"QueueUrl": ');
    expect(raw).toMatchObject({ status: 400, queryError: 'MalformedInput;Sender' });
    expect(raw.body.__type).toBe('com.amazon.coral.service#SerializationException');
    for (const body of ['[]', '"x"']) {
      expect(await post('AmazonSQS.GetQueueUrl', body), body).toMatchObject({ status: 400, queryError: 'MalformedInput;Sender' });
    }
  });

  it('answers a member of the wrong type with SerializationException and never calls the service', async () => {
    const calls = stub.calls.length;
    for (const body of [
      `{"QueueUrl":"u","MessageBody":"b","DelaySeconds":"5"}`,
      `{"QueueUrl":"u","MessageBody":"b","DelaySeconds":1.5}`,
      `{"QueueUrl":7,"MessageBody":"b"}`,
      `{"QueueUrl":"u","MessageBody":"b","MessageAttributes":{"a":"not a structure"}}`,
      `{"QueueUrl":"u","MessageBody":"b","MessageAttributes":[]}`,
      `["QueueUrl"]`,
      `"text"`,
    ]) {
      const raw = await post('AmazonSQS.SendMessage', body);
      expect(raw, body).toMatchObject({ status: 400, body: { __type: 'com.amazon.coral.service#SerializationException' } });
    }
    // A blob that is not base64 cannot be decoded; stored, it would break every SDK that receives it.
    for (const binary of ['!!!', 'AQI', 'A===', 'AQ==AQ==']) {
      const raw = await post('AmazonSQS.SendMessage', `{"QueueUrl":"u","MessageBody":"b","MessageAttributes":{"a":{"DataType":"Binary","BinaryValue":"${binary}"}}}`);
      expect(raw, binary).toMatchObject({ status: 400, body: { __type: 'com.amazon.coral.service#SerializationException' } });
    }
    const batch = await post('AmazonSQS.DeleteMessageBatch', `{"QueueUrl":"u","Entries":[{"Id":"a","ReceiptHandle":["r"]}]}`);
    expect(batch.status).toBe(400);
    expect(stub.calls.length).toBe(calls);
  });

  it('names where the wrong-typed member is, however deep', async () => {
    const cases: [string, string, string][] = [
      ['AmazonSQS.SendMessage', `{"QueueUrl":"u","MessageBody":"b","DelaySeconds":"5"}`, `STRING_VALUE can not be converted to an Integer at 'DelaySeconds'.`],
      ['AmazonSQS.DeleteMessageBatch', `{"QueueUrl":"u","Entries":[{"Id":"a","ReceiptHandle":"r"},{"Id":"b","ReceiptHandle":["r"]}]}`,
        `START_ARRAY can not be converted to a String at 'Entries.2.ReceiptHandle'.`],
      ['AmazonSQS.DeleteMessageBatch', `{"QueueUrl":"u","Entries":[{"Id":"a","ReceiptHandle":"r"},null]}`, `NULL_VALUE can not be converted to a List member at 'Entries.2'.`],
      ['AmazonSQS.SendMessage', `{"QueueUrl":"u","MessageBody":"b","MessageAttributes":{"a":{"DataType":7}}}`,
        `NUMBER_VALUE can not be converted to a String at 'MessageAttributes.a.DataType'.`],
      ['AmazonSQS.SendMessage', `{"QueueUrl":"u","MessageBody":"b","MessageAttributes":{"a":{"DataType":"Binary","BinaryValue":"!!!"}}}`,
        `Failed to decode the base64 value at 'MessageAttributes.a.BinaryValue'.`],
    ];
    for (const [target, body, message] of cases) {
      expect((await post(target, body)).body, body).toMatchObject({ message });
    }
  });

  it('answers a missing required member with MissingParameter', async () => {
    const raw = await post('AmazonSQS.DeleteMessage', `{"QueueUrl":"u"}`);
    expect(raw).toEqual({
      status: 400,
      queryError: 'MissingParameter;Sender',
      body: { __type: 'com.amazon.coral.service#MissingRequiredParameterException', message: 'The request must contain the parameter ReceiptHandle.' },
    });
    const entry = await post('AmazonSQS.DeleteMessageBatch', `{"QueueUrl":"u","Entries":[{"Id":"a"}]}`);
    expect(entry.body.message).toBe('The request must contain the parameter ReceiptHandle.');
  });

  // Recorded from real SQS: SendMessage without QueueUrl is QueueDoesNotExist and GetQueueUrl
  // without QueueName is InvalidParameterValue, not MissingParameter (yavosh/pail test/diff
  // goldens sqs-edge-cases and sqs-errors).
  it('answers a missing QueueUrl with QueueDoesNotExist and a missing QueueName with InvalidParameterValue', async () => {
    const calls = stub.calls.length;
    for (const [target, body] of [['AmazonSQS.SendMessage', '{"MessageBody":"b"}'], ['AmazonSQS.PurgeQueue', '{"QueueUrl":null}']] as const) {
      expect(await post(target, body), target).toEqual({
        status: 400,
        queryError: 'AWS.SimpleQueueService.NonExistentQueue;Sender',
        body: { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' },
      });
    }
    for (const target of ['AmazonSQS.GetQueueUrl', 'AmazonSQS.CreateQueue']) {
      expect(await post(target, '{}'), target).toEqual({
        status: 400,
        queryError: 'InvalidParameterValue;Sender',
        body: {
          __type: 'com.amazon.coral.service#InvalidParameterValueException',
          message: 'Value for parameter QueueName is invalid. Reason: Must specify a queue name.',
        },
      });
    }
    expect(stub.calls.length).toBe(calls);
  });

  // As in Query, where an empty list cannot be told from an absent one: the engine judges an
  // absent batch as empty (EmptyBatchRequest), not as a missing parameter.
  it('hands an absent required list to the service as an empty one', async () => {
    stub.answer = () => ({ output: {} });
    await post('AmazonSQS.SendMessageBatch', '{"QueueUrl":"u"}');
    expect(stub.lastRequest()).toEqual({ action: 'SendMessageBatch', input: { QueueUrl: 'u', Entries: [] } });
    await post('AmazonSQS.UntagQueue', '{"QueueUrl":"u","TagKeys":null}');
    expect(stub.lastRequest()).toEqual({ action: 'UntagQueue', input: { QueueUrl: 'u', TagKeys: [] } });
  });

  it('treats null members as absent and ignores members the model does not know', async () => {
    stub.answer = () => ({ output: {} });
    const raw = await post('AmazonSQS.DeleteQueue', `{"QueueUrl":"u","Extra":{"x":1},"NextToken":null}`);
    expect(raw).toEqual({ status: 200, queryError: null, body: {} });
    expect(stub.lastRequest()).toEqual({ action: 'DeleteQueue', input: { QueueUrl: 'u' } });
  });

  it('keeps a "__proto__" map key as data, never as a prototype', async () => {
    stub.answer = () => ({ output: {} });
    await post('AmazonSQS.TagQueue', `{"QueueUrl":"u","Tags":{"__proto__":"x","a":"b"}}`);
    const request = stub.lastRequest();
    expect(request.action).toBe('TagQueue');
    const tags = (request.input as { Tags: Record<string, string> }).Tags;
    expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
    expect(Object.keys(tags)).toEqual(['__proto__', 'a']);
  });

  it('turns an unexpected failure into 500 InternalFailure and logs it', async () => {
    const logged = stub.logged.length;
    stub.answer = () => {
      throw new TypeError('engine bug');
    };
    const raw = await post('AmazonSQS.DeleteQueue', `{"QueueUrl":"u"}`);
    expect(raw).toEqual({
      status: 500,
      queryError: 'InternalFailure;Receiver',
      body: { __type: 'com.amazon.coral.service#InternalFailure', message: 'We encountered an internal error. Please try again.' },
    });
    expect(stub.logged.slice(logged)).toEqual([new TypeError('engine bug')]);
  });
});
