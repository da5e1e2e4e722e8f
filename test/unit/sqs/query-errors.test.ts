/**
 * Errors in the Query protocol: `<ErrorResponse>` documents with the legacy code, and what the
 * Query release of aws-sdk v2 makes of them; plus the decoding errors only Query has.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SQS_ERRORS, SqsError, type SqsErrorCode } from '../../../server/src/engine/errors.js';
import { useStubSqsServer, type StubSqsServer } from './stub-sqs-server.js';

interface V2Error {
  code: string;
  message: string;
  statusCode: number;
  requestId: string;
}

async function failure(promise: Promise<unknown>): Promise<V2Error> {
  try {
    await promise;
  } catch (error) {
    return error as V2Error;
  }
  throw new Error('the call succeeded');
}

describe('Query errors', () => {
  const started = useStubSqsServer();
  let stub: StubSqsServer;
  beforeAll(() => {
    stub = started();
  });

  async function send(form: string, init: { method?: string; path?: string } = {}): Promise<{ status: number; contentType: string | null; body: string }> {
    const method = init.method ?? 'POST';
    const url = `${stub.endpoint}${init.path ?? '/'}${method === 'GET' ? `?${form}` : ''}`;
    const response = await fetch(url, {
      method,
      headers: method === 'GET' ? {} : { 'content-type': 'application/x-www-form-urlencoded' },
      body: method === 'GET' ? undefined : form,
    });
    return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
  }

  it('renders an error document exactly like SQS', async () => {
    stub.answer = () => {
      throw new SqsError('QueueDoesNotExist', 'The specified queue does not exist for this wsdl version.');
    };
    const raw = await send('Action=GetQueueUrl&QueueName=missing&Version=2012-11-05');
    expect(raw).toEqual({
      status: 400,
      contentType: 'text/xml',
      body:
        '<?xml version="1.0"?><ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type>' +
        '<Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The specified queue does not exist for this wsdl version.</Message>' +
        '<Detail/></Error><RequestId>req-1</RequestId></ErrorResponse>',
    });
  });

  it('words a missing queue as SQS does in XML, whatever the JSON wording the error carries', async () => {
    // Recorded SQS (LocalStack's AWS-validated test_non_existent_queue).
    stub.answer = () => {
      throw new SqsError('QueueDoesNotExist', 'The specified queue does not exist.');
    };
    const raw = await send('Action=GetQueueUrl&QueueName=missing&Version=2012-11-05');
    expect(raw.body).toContain('<Message>The specified queue does not exist for this wsdl version.</Message>');
  });

  it('escapes the message', async () => {
    stub.answer = () => {
      throw new SqsError('InvalidParameterValue', 'Value <a&b> is invalid.');
    };
    const raw = await send('Action=DeleteQueue&QueueUrl=u');
    expect(raw.body).toContain('<Message>Value &lt;a&amp;b&gt; is invalid.</Message>');
  });

  // UnrecognizedRequest answers a request with no parameters, which no SDK sends; its bare
  // `<UnknownOperationException/>` body is checked below.
  for (const code of (Object.keys(SQS_ERRORS) as SqsErrorCode[]).filter((name) => name !== 'UnrecognizedRequest')) {
    it(`${code} reaches the SDK as ${SQS_ERRORS[code].queryCode} with status ${SQS_ERRORS[code].status}`, async () => {
      stub.answer = () => {
        throw new SqsError(code, `failure <${code}>`);
      };
      const error = await failure(stub.queryClient().purgeQueue({ QueueUrl: stub.queueUrl() }).promise());
      expect(error).toMatchObject({
        code: SQS_ERRORS[code].queryCode,
        message: new SqsError(code, `failure <${code}>`).queryMessage,
        statusCode: SQS_ERRORS[code].status,
        requestId: 'req-1',
      });
    });
  }

  it('answers an unknown action with InvalidAction', async () => {
    const raw = await send('Action=FlyToTheMoon&Version=2012-11-05');
    expect(raw.status).toBe(400);
    expect(raw.body).toContain('<Code>InvalidAction</Code><Message>The action FlyToTheMoon is not valid for this endpoint.</Message>');
  });

  // A request with nothing in it: recorded SQS answers a bare GET of a queue URL with 404
  // `<UnknownOperationException/>` (LocalStack's AWS-validated test_get_without_query_returns_unknown_operation,
  // with or without Accept: application/json).
  it('answers a request without any parameter (a bare GET, say) with 404 <UnknownOperationException/>', async () => {
    for (const path of ['/', '/000000000000/q', '/favicon.ico']) {
      const raw = await send('', { method: 'GET', path });
      expect(raw, path).toEqual({ status: 404, contentType: 'text/xml', body: '<UnknownOperationException/>' });
    }
  });

  // The SQS API reference's common errors: MissingAction (400), "The request is missing an action
  // or a required parameter." InvalidAction is for an action that is there but unknown.
  it('answers parameters without an action with MissingAction, not a crash', async () => {
    const raw = await send('QueueName=q&Version=2012-11-05');
    expect(raw.status).toBe(400);
    expect(raw.body).toContain('<Type>Sender</Type><Code>MissingAction</Code><Message>The request must contain an Action parameter.</Message>');
    const emptyAction = await send('Action=&QueueName=q');
    expect(emptyAction.status).toBe(400);
    expect(emptyAction.body).toContain('<Code>MissingAction</Code>');
  });

  it('answers a number that is not one with InvalidParameterValue and never calls the service', async () => {
    const calls = stub.calls.length;
    for (const bad of ['abc', '1.5', '', '99999999999999999999']) {
      const raw = await send(`Action=ReceiveMessage&QueueUrl=u&MaxNumberOfMessages=${bad}`);
      expect(raw.status, bad).toBe(400);
      expect(raw.body).toContain('<Code>InvalidParameterValue</Code>');
      expect(raw.body).toContain(`Value ${bad} for parameter MaxNumberOfMessages is invalid.`);
    }
    expect(stub.calls.length).toBe(calls);
  });

  it('answers a missing required parameter with MissingParameter', async () => {
    const raw = await send('Action=SendMessage&QueueUrl=u');
    expect(raw.status).toBe(400);
    expect(raw.body).toContain('<Code>MissingParameter</Code><Message>The request must contain the parameter MessageBody.</Message>');
    const entry = await send('Action=DeleteMessageBatch&QueueUrl=u&DeleteMessageBatchRequestEntry.1.Id=a');
    expect(entry.body).toContain('The request must contain the parameter DeleteMessageBatchRequestEntry.1.ReceiptHandle.');
    const mapValue = await send('Action=TagQueue&QueueUrl=u&Tag.1.Key=a');
    expect(mapValue.body).toContain('The request must contain the parameter Tag.1.Value.');
  });

  it('leaves an empty batch to the engine (EmptyBatchRequest), since Query cannot tell empty from absent', async () => {
    stub.answer = () => ({ output: { Successful: [], Failed: [] } });
    await send('Action=SendMessageBatch&QueueUrl=u');
    expect(stub.lastRequest()).toEqual({ action: 'SendMessageBatch', input: { QueueUrl: 'u', Entries: [] } });
  });

  it('answers an unexpected failure with 500 InternalFailure', async () => {
    stub.answer = () => {
      throw new RangeError('engine bug');
    };
    const raw = await send('Action=DeleteQueue&QueueUrl=u');
    expect(raw.status).toBe(500);
    expect(raw.body).toContain('<Type>Receiver</Type><Code>InternalFailure</Code>');
  });
});
