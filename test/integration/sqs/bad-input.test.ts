/**
 * Unknown actions and malformed requests get a client error in the caller's protocol and never
 * hurt the node: every case is followed by a successful SDK call. Also missing required
 * parameters, sent through the SDKs (neither validates them client-side in this suite).
 */
import { expect, it } from 'vitest';
import { describeEachFlavour, FLAVOURS, useConformanceTarget } from '../../support/conformance-target.js';
import { createQueue, expectSqsError, NON_EXISTENT_QUEUE, receiveOne } from '../../support/conformance-helpers.js';
import { createSdkClient } from '../../support/sdk-clients.js';
import { jsonRequest, queryRequest, rawRequest, type RawAnswer } from '../../support/conformance-wire.js';

const MISSING = { code: 'MissingParameter', status: 400 };

describeEachFlavour('missing parameters', (sqs) => {
  // Over AWS JSON, real SQS answers a missing QueueName with InvalidParameterValue and a missing
  // QueueUrl with QueueDoesNotExist (recorded on the wire: yavosh/pail test/diff goldens).
  it('CreateQueue and GetQueueUrl without QueueName fail (InvalidParameterValue over JSON)', async () => {
    const expected = sqs.flavour === 'json' ? { code: 'InvalidParameterValue', status: 400 } : MISSING;
    await expectSqsError(sqs.createQueue({} as never), expected);
    await expectSqsError(sqs.getQueueUrl({} as never), expected);
  });

  it.runIf(sqs.flavour === 'json')('SendMessage without QueueUrl fails with QueueDoesNotExist', async () => {
    await expectSqsError(sqs.sendMessage({ MessageBody: 'x' } as never), NON_EXISTENT_QUEUE);
  });

  it('SendMessage without MessageBody fails with MissingParameter', async () => {
    const url = await createQueue(sqs, 'nobody');
    await expectSqsError(sqs.sendMessage({ QueueUrl: url } as never), MISSING);
  });

  it('DeleteMessage without ReceiptHandle fails with MissingParameter', async () => {
    const url = await createQueue(sqs, 'nohandle');
    await expectSqsError(sqs.deleteMessage({ QueueUrl: url } as never), MISSING);
  });
});

const target = useConformanceTarget();

/** The node still answers: a real round trip through the SDK right after the bad request. */
async function expectStillServing(): Promise<void> {
  const sqs = createSdkClient(FLAVOURS[0]!, () => target.endpoint());
  const url = await createQueue(sqs, 'afterbad');
  await sqs.sendMessage({ QueueUrl: url, MessageBody: 'still alive' });
  expect((await receiveOne(sqs, url)).Body).toBe('still alive');
}

function expectClientError(answer: RawAnswer): void {
  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
}

it.runIf(FLAVOURS.includes('query'))('Query: an unknown Action is InvalidAction in an XML ErrorResponse', async () => {
  const answer = await queryRequest(target.endpoint(), { Action: 'MakeCoffee' });
  expect(answer.status).toBe(400);
  expect(answer.body).toContain('<ErrorResponse');
  expect(answer.body).toMatch(/<Code>InvalidAction<\/Code>/);
  await expectStillServing();
});

it.runIf(FLAVOURS.includes('query'))('Query: a request without Action is MissingAction in an XML ErrorResponse', async () => {
  const answer = await queryRequest(target.endpoint(), { QueueName: 'x' });
  expect(answer.status).toBe(400);
  expect(answer.body).toContain('<ErrorResponse');
  expect(answer.body).toMatch(/<Code>MissingAction<\/Code>/);
  await expectStillServing();
});

it.runIf(FLAVOURS.includes('query'))('Query: GET with the parameters in the query string is served', async () => {
  const name = `get-${Date.now()}`;
  const path = `/?${new URLSearchParams({ Action: 'CreateQueue', QueueName: name, Version: '2012-11-05' })}`;
  const answer = await rawRequest(target.endpoint(), { method: 'GET', path });
  expect(answer.status).toBe(200);
  expect(answer.body).toContain('<CreateQueueResponse');
  expect(answer.body).toContain(`/${name}</QueueUrl>`);
});

it.runIf(FLAVOURS.includes('query'))('Query: a non-numeric MaxNumberOfMessages is a client error', async () => {
  const sqs = createSdkClient('query', () => target.endpoint());
  const url = await createQueue(sqs, 'badnumber');
  expectClientError(await queryRequest(target.endpoint(), { Action: 'ReceiveMessage', QueueUrl: url, MaxNumberOfMessages: 'ten' }));
  await expectStillServing();
});

it.runIf(FLAVOURS.includes('json'))('JSON: an unknown X-Amz-Target is a client error', async () => {
  const answer = await jsonRequest(target.endpoint(), 'MakeCoffee', '{}');
  expect(answer.status).toBe(400);
  await expectStillServing();
});

it.runIf(FLAVOURS.includes('json'))('JSON: a body that is not JSON is a client error', async () => {
  expectClientError(await jsonRequest(target.endpoint(), 'ListQueues', '{"QueueNamePrefix": '));
  await expectStillServing();
});

it.runIf(FLAVOURS.includes('json'))('JSON: a member of the wrong type is a client error', async () => {
  expectClientError(await jsonRequest(target.endpoint(), 'CreateQueue', '{"QueueName": 42}'));
  expectClientError(await jsonRequest(target.endpoint(), 'ListQueues', '{"MaxResults": "many"}'));
  expectClientError(await jsonRequest(target.endpoint(), 'SendMessageBatch', '{"QueueUrl": "x", "Entries": {"Id": 1}}'));
  await expectStillServing();
});

it.runIf(FLAVOURS.includes('json'))('JSON: a JSON array or null body is a client error', async () => {
  expectClientError(await jsonRequest(target.endpoint(), 'CreateQueue', '[]'));
  expectClientError(await jsonRequest(target.endpoint(), 'CreateQueue', 'null'));
  await expectStillServing();
});

it('a request with an unknown content type and no action is a client error', async () => {
  expectClientError(
    await rawRequest(target.endpoint(), { headers: { 'content-type': 'application/octet-stream' }, body: Uint8Array.from([0, 255, 1, 2]) }),
  );
  await expectStillServing();
});

it('a burst of garbage requests leaves the node serving', async () => {
  const garbage = Array.from({ length: 20 }, (_, i) =>
    rawRequest(target.endpoint(), {
      headers: { 'content-type': i % 2 === 0 ? 'application/x-amz-json-1.0' : 'application/x-www-form-urlencoded' },
      body: `%%%{{{${'\u0000'.repeat(i)}`,
    }),
  );
  for (const answer of await Promise.all(garbage)) expectClientError(answer);
  await expectStillServing();
});
