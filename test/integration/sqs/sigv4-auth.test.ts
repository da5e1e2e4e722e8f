/**
 * `--auth sigv4`: the SQS port checks AWS Signature V4 against the credentials file, over both
 * wire protocols, with the real SDKs signing (v3 for JSON, v2 for Query) and a presigned URL made
 * by the SDK's own signer (@smithy/signature-v4). Each refusal is the code, status and wording
 * SQS answers with.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, createHmac } from 'node:crypto';
import * as v3 from '@aws-sdk/client-sqs';
import SQSv2 from 'aws-sdk-query/clients/sqs.js';
import { SignatureV4 } from '@smithy/signature-v4';
import { startNode, type StartedNode } from '../../support/start-node.js';

const KEY = { accessKeyId: 'AKIDREPLIMQTEST00001', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', accountId: '123456789012' };
const OTHER_KEY = { accessKeyId: 'AKIDREPLIMQTEST00002', secretAccessKey: 'second/secret/key', accountId: '210987654321' };
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const TWENTY_MINUTES = 20 * 60_000;

let node: StartedNode;
const clients: { destroy(): void }[] = [];

beforeAll(async () => {
  node = await startNode({ config: { auth: 'sigv4', credentials: [KEY, OTHER_KEY] } });
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await node.stop();
});

function v3Client(credentials: { accessKeyId: string; secretAccessKey: string }, extra: Partial<v3.SQSClientConfig> = {}): v3.SQSClient {
  const client = new v3.SQSClient({ endpoint: node.sqsEndpoint, region: 'eu-west-1', credentials, maxAttempts: 1, ...extra });
  clients.push(client);
  return client;
}

function v2Client(credentials: { accessKeyId: string; secretAccessKey: string }, extra: Record<string, unknown> = {}): SQSv2 {
  return new SQSv2({ endpoint: node.sqsEndpoint, region: 'eu-west-1', credentials, maxRetries: 0, ...extra });
}

async function v3Failure(call: Promise<unknown>): Promise<{ name: string; code: unknown; status: number | undefined; message: string }> {
  const error = (await call.then(() => undefined, (failure: unknown) => failure)) as v3.SQSServiceException | undefined;
  if (error === undefined) throw new Error('the call succeeded');
  return { name: error.name, code: (error as { Code?: unknown }).Code, status: error.$metadata?.httpStatusCode, message: error.message };
}

async function v2Failure(call: Promise<unknown>): Promise<{ code: unknown; status: unknown; message: string }> {
  const error = (await call.then(() => undefined, (failure: unknown) => failure)) as { code?: unknown; statusCode?: unknown; message: string } | undefined;
  if (error === undefined) throw new Error('the call succeeded');
  return { code: error.code, status: error.statusCode, message: error.message };
}

describe('SigV4 on the SQS port, AWS JSON (SDK v3)', () => {
  it('serves requests signed with a listed key, and the key\'s account is the SenderId', async () => {
    const sqs = v3Client(KEY);
    const { QueueUrl } = await sqs.send(new v3.CreateQueueCommand({ QueueName: 'signed-json' }));
    await sqs.send(new v3.SendMessageCommand({ QueueUrl, MessageBody: 'hello' }));
    const { Messages } = await sqs.send(new v3.ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['SenderId'] }));
    expect(Messages?.[0]?.Body).toBe('hello');
    expect(Messages?.[0]?.Attributes?.SenderId).toBe(KEY.accountId);
  });

  it('refuses a wrong secret with SignatureDoesNotMatch (403)', async () => {
    const sqs = v3Client({ accessKeyId: KEY.accessKeyId, secretAccessKey: 'not-the-secret' });
    expect(await v3Failure(sqs.send(new v3.ListQueuesCommand({})))).toEqual({
      name: 'SignatureDoesNotMatch',
      code: 'SignatureDoesNotMatch',
      status: 403,
      message: SIGNATURE_MISMATCH,
    });
  });

  it('refuses an unknown access key id with InvalidClientTokenId (403)', async () => {
    const sqs = v3Client({ accessKeyId: 'AKIDNOBODYKNOWS00000', secretAccessKey: KEY.secretAccessKey });
    expect(await v3Failure(sqs.send(new v3.ListQueuesCommand({})))).toEqual({
      name: 'InvalidClientTokenId',
      code: 'InvalidClientTokenId',
      status: 403,
      message: 'The security token included in the request is invalid.',
    });
  });

  it('refuses a signature dated 20 minutes ago (a skewed clock) with "Signature expired"', async () => {
    const sqs = v3Client(KEY, { systemClockOffset: -TWENTY_MINUTES });
    const failure = await v3Failure(sqs.send(new v3.ListQueuesCommand({})));
    expect(failure).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
    expect(failure.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
  });

  it('refuses an unsigned request with MissingAuthenticationToken (403), in the JSON error shape', async () => {
    const response = await fetch(node.sqsEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' },
      body: '{}',
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-query-error')).toBe('MissingAuthenticationToken;Sender');
    expect(await response.json()).toEqual({
      __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
      message: 'Request is missing Authentication Token',
    });
  });

  it('refuses a signed request whose body was changed on the way', async () => {
    const sqs = v3Client(KEY);
    sqs.middlewareStack.add(
      (next) => async (args) => {
        // Same length, other bytes: the name the client signed is not the one that arrives.
        const request = args.request as { body?: Uint8Array };
        request.body = Buffer.from(Buffer.from(request.body!).toString('utf8').replace('tampered-', 'tamperex-'));
        return next(args);
      },
      // The deserialize step wraps the send itself: the request is signed by then.
      { step: 'deserialize', name: 'tamperAfterSigning' },
    );
    const failure = await v3Failure(sqs.send(new v3.CreateQueueCommand({ QueueName: 'tampered-name' })));
    expect(failure).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
  });
});

describe('SigV4 on the SQS port, Query (SDK v2)', () => {
  it('serves requests signed with a listed key, and the key\'s account is the SenderId', async () => {
    const sqs = v2Client(OTHER_KEY);
    const { QueueUrl } = await sqs.createQueue({ QueueName: 'signed-query' }).promise();
    await sqs.sendMessage({ QueueUrl: QueueUrl!, MessageBody: 'hello' }).promise();
    const { Messages } = await sqs.receiveMessage({ QueueUrl: QueueUrl!, AttributeNames: ['SenderId'] }).promise();
    expect(Messages?.[0]?.Body).toBe('hello');
    expect(Messages?.[0]?.Attributes?.SenderId).toBe(OTHER_KEY.accountId);
  });

  it('refuses a wrong secret, an unknown key and a stale date in the XML error shape', async () => {
    expect(await v2Failure(v2Client({ ...KEY, secretAccessKey: 'wrong' }).listQueues().promise())).toEqual({
      code: 'SignatureDoesNotMatch',
      status: 403,
      message: SIGNATURE_MISMATCH,
    });
    expect(await v2Failure(v2Client({ ...KEY, accessKeyId: 'AKIDNOBODYKNOWS00000' }).listQueues().promise())).toEqual({
      code: 'InvalidClientTokenId',
      status: 403,
      message: 'The security token included in the request is invalid.',
    });
    const stale = await v2Failure(v2Client(KEY, { systemClockOffset: -TWENTY_MINUTES, correctClockSkew: false }).listQueues().promise());
    expect(stale).toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 });
    expect(stale.message).toMatch(/^Signature expired: .* - 15 min\.\)$/);
  });

  it('refuses an unsigned form request with MissingAuthenticationToken (403)', async () => {
    const response = await fetch(node.sqsEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListQueues&Version=2012-11-05',
    });
    expect(response.status).toBe(403);
    const xml = await response.text();
    expect(xml).toContain('<Code>MissingAuthenticationToken</Code>');
    expect(xml).toContain('<Message>Request is missing Authentication Token</Message>');
    expect(xml).toContain('<Type>Sender</Type>');
  });

  it('refuses a malformed Authorization header with IncompleteSignature (400)', async () => {
    const response = await fetch(`${node.sqsEndpoint}/?Action=ListQueues&Version=2012-11-05`, { headers: { authorization: 'AWS4-HMAC-SHA256 Nonsense' } });
    expect(response.status).toBe(400);
    const xml = await response.text();
    expect(xml).toContain('<Code>IncompleteSignature</Code>');
    expect(xml).toContain('Authorization header requires &apos;Credential&apos; parameter.');
  });
});

describe('SigV4 presigned URLs (query-string signatures)', () => {
  /** The SDK's Checksum shape over node:crypto (what @smithy/hash-node does). */
  const bytes = (data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array =>
    typeof data === 'string' ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
  const sha256 = class {
    private readonly hash = createHash('sha256');
    private readonly hmac;
    constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
      this.hmac = secret === undefined ? undefined : createHmac('sha256', bytes(secret));
    }
    update(data: string | ArrayBuffer | ArrayBufferView): void {
      (this.hmac ?? this.hash).update(bytes(data));
    }
    digest(): Promise<Uint8Array> {
      return Promise.resolve(new Uint8Array((this.hmac ?? this.hash).digest()));
    }
    reset(): void {}
  };

  async function presignedUrl(
    key: { accessKeyId: string; secretAccessKey: string },
    query: Record<string, string>,
    options: { expiresIn: number; signingDate?: Date },
  ): Promise<string> {
    const endpoint = new URL(node.sqsEndpoint);
    const signer = new SignatureV4({ service: 'sqs', region: 'ap-south-1', credentials: key, sha256 });
    const signed = await signer.presign(
      { method: 'GET', protocol: 'http:', hostname: endpoint.hostname, port: Number(endpoint.port), path: '/', query, headers: { host: endpoint.host } },
      options,
    );
    const search = new URLSearchParams(signed.query as Record<string, string>).toString().replace(/\+/g, '%20');
    return `${node.sqsEndpoint}/?${search}`;
  }

  it('serves a presigned Query GET, with the signer\'s account as SenderId', async () => {
    // The signer's own queue: another account's would be AccessDenied (accounts are isolated).
    const { QueueUrl } = await v3Client(OTHER_KEY).send(new v3.CreateQueueCommand({ QueueName: 'presigned' }));
    const send = await presignedUrl(
      OTHER_KEY,
      { Action: 'SendMessage', Version: '2012-11-05', QueueUrl: QueueUrl!, MessageBody: 'via a presigned URL' },
      { expiresIn: 300 },
    );
    const sent = await fetch(send);
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain('<SendMessageResponse');
    const { Messages } = await v3Client(OTHER_KEY).send(new v3.ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['SenderId'] }));
    expect(Messages?.[0]?.Body).toBe('via a presigned URL');
    expect(Messages?.[0]?.Attributes?.SenderId).toBe(OTHER_KEY.accountId);
  });

  it('refuses a presigned URL past its X-Amz-Expires with RequestExpired "Request has expired"', async () => {
    const url = await presignedUrl(KEY, { Action: 'ListQueues', Version: '2012-11-05' }, { expiresIn: 60, signingDate: new Date(Date.now() - 120_000) });
    const response = await fetch(url);
    expect(response.status).toBe(400);
    const xml = await response.text();
    expect(xml).toContain('<Code>RequestExpired</Code>');
    expect(xml).toContain('<Message>Request has expired</Message>');
  });

  it('refuses a presigned URL whose parameters were changed after signing', async () => {
    const url = await presignedUrl(KEY, { Action: 'ListQueues', Version: '2012-11-05', QueueNamePrefix: 'a' }, { expiresIn: 300 });
    const response = await fetch(url.replace('QueueNamePrefix=a', 'QueueNamePrefix=b'));
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});
