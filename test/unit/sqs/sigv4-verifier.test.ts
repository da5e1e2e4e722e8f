/**
 * The SigV4 verifier on its own, with an injected clock: requests signed by the SDK's signer
 * (@smithy/signature-v4) at a fixed date, checked at chosen moments — the 15-minute skew on both
 * sides, presigned expiry, scope checks — and the identity it answers.
 */
import { describe, expect, it } from 'vitest';
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { isSqsError } from '../../../server/src/engine/errors.js';
import { createSigV4Verifier } from '../../../server/src/sqs/sigv4/verifier.js';
import type { SignableRequest } from '../../../server/src/sqs/sigv4/signable-request.js';

/** The request shape the signer takes (from its own signature: @smithy/types is not ours to import). */
type HttpRequest = Parameters<SignatureV4['presign']>[0];

const KEY = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', accountId: '111122223333' };
const SIGNED_AT = Date.UTC(2026, 0, 2, 3, 4, 5);
const MINUTE = 60_000;

const bytes = (data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array =>
  typeof data === 'string' ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {}
}

function signer(service = 'sqs', region = 'eu-central-1'): SignatureV4 {
  return new SignatureV4({ service, region, credentials: KEY, sha256: Sha256 });
}

const BODY = 'Action=ListQueues&Version=2012-11-05';

function baseRequest(): HttpRequest {
  return {
    method: 'POST',
    protocol: 'http:',
    hostname: 'localhost',
    port: 9324,
    path: '/',
    query: {},
    headers: { host: 'localhost:9324', 'content-type': 'application/x-www-form-urlencoded' },
    body: BODY,
  };
}

function asSignable(request: HttpRequest, body = BODY): SignableRequest {
  const headers = new Map(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]));
  return {
    method: request.method,
    rawPath: request.path,
    query: Object.entries(request.query ?? {}).map(([name, value]) => [name, String(value)] as const),
    header: (name) => headers.get(name),
    body: Buffer.from(body),
  };
}

function failure(action: () => unknown): { code: string; status: number; message: string } {
  try {
    action();
  } catch (error) {
    if (!isSqsError(error)) throw error;
    return { code: error.code, status: error.status, message: error.message };
  }
  throw new Error('verified');
}

describe('SigV4 verifier', () => {
  it('answers the signer: access key id, its account, and the region of the credential scope', async () => {
    const signed = await signer().sign(baseRequest(), { signingDate: new Date(SIGNED_AT) });
    const verifier = createSigV4Verifier([KEY], () => SIGNED_AT + 14 * MINUTE);
    expect(verifier.verify(asSignable(signed))).toEqual({ accessKeyId: KEY.accessKeyId, accountId: KEY.accountId, region: 'eu-central-1' });
  });

  it('allows 15 minutes of skew either way, and words the refusal as SQS does beyond it', async () => {
    const signed = asSignable(await signer().sign(baseRequest(), { signingDate: new Date(SIGNED_AT) }));
    expect(() => createSigV4Verifier([KEY], () => SIGNED_AT - 15 * MINUTE).verify(signed)).not.toThrow();
    expect(failure(() => createSigV4Verifier([KEY], () => SIGNED_AT + 16 * MINUTE).verify(signed))).toEqual({
      code: 'SignatureDoesNotMatch',
      status: 403,
      message: 'Signature expired: 20260102T030405Z is now earlier than 20260102T030505Z (20260102T032005Z - 15 min.)',
    });
    expect(failure(() => createSigV4Verifier([KEY], () => SIGNED_AT - 16 * MINUTE).verify(signed))).toEqual({
      code: 'SignatureDoesNotMatch',
      status: 403,
      message: 'Signature not yet current: 20260102T030405Z is still later than 20260102T030305Z (20260102T024805Z + 15 min.)',
    });
  });

  it('accepts a presigned request until X-Amz-Expires, then answers RequestExpired', async () => {
    const presigned = asSignable(await signer().presign({ ...baseRequest(), method: 'GET', body: undefined }, { signingDate: new Date(SIGNED_AT), expiresIn: 3600 }), '');
    expect(createSigV4Verifier([KEY], () => SIGNED_AT + 59 * MINUTE).verify(presigned).accountId).toBe(KEY.accountId);
    expect(failure(() => createSigV4Verifier([KEY], () => SIGNED_AT + 61 * MINUTE).verify(presigned))).toEqual({
      code: 'RequestExpired',
      status: 400,
      message: 'Request has expired',
    });
  });

  it('refuses a signature scoped to another service', async () => {
    const signed = asSignable(await signer('sns').sign(baseRequest(), { signingDate: new Date(SIGNED_AT) }));
    expect(failure(() => createSigV4Verifier([KEY], () => SIGNED_AT).verify(signed))).toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 });
  });

  it('refuses a body other than the one signed', async () => {
    const signed = asSignable(await signer().sign(baseRequest(), { signingDate: new Date(SIGNED_AT) }), `${BODY}&QueueNamePrefix=x`);
    expect(failure(() => createSigV4Verifier([KEY], () => SIGNED_AT).verify(signed))).toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 });
  });

  it('refuses presigned parameters that are missing, naming them', () => {
    const request: SignableRequest = {
      method: 'GET',
      rawPath: '/',
      query: [['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'], ['X-Amz-Signature', 'abc']],
      header: () => undefined,
      body: Buffer.alloc(0),
    };
    expect(failure(() => createSigV4Verifier([KEY], () => SIGNED_AT).verify(request))).toEqual({
      code: 'IncompleteSignature',
      status: 400,
      message: "AWS query-string parameters must include 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Expires'. Re-examine the query-string parameters.",
    });
  });
});
