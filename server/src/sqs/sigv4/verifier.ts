/**
 * Verifies AWS Signature Version 4 on SQS requests (`--auth sigv4`): header-signed (the SDKs) and
 * presigned (`X-Amz-*` query parameters), JSON and Query alike, since both sign the same way.
 * A verified request yields who signed it; anything else is the `SqsError` SQS answers with:
 *
 *   no signature                      MissingAuthenticationToken  403
 *   malformed signature               IncompleteSignature         400
 *   unknown access key id             InvalidClientTokenId        403
 *   date more than 15 min off         SignatureDoesNotMatch       403  "Signature expired: …"
 *   presigned URL past X-Amz-Expires  RequestExpired              400  "Request has expired"
 *   wrong signature                   SignatureDoesNotMatch       403
 *
 * The 15 minutes are the skew SQS allows (its answers read "… (20150619T102213Z - 15 min.)").
 * The clock is injected; nothing else here does I/O.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SqsError } from '../../engine/errors.js';
import type { Clock } from '../../service/clock.js';
import { UNSIGNED_PAYLOAD, sha256Hex, stringToSign } from './canonical-request.js';
import type { SigV4Credential } from './credentials.js';
import type { SignableRequest } from './signable-request.js';
import { basicFormat, readSignatureClaim, type SignatureClaim } from './signature-claim.js';

/** Who signed a verified request. */
export interface VerifiedIdentity {
  accessKeyId: string;
  accountId: string;
  /** The region of the credential scope the client signed for. */
  region: string;
}

export const ALLOWED_SKEW_MS = 15 * 60_000;
const SERVICE = 'sqs';

export const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

export interface SigV4Verifier {
  /** The signer of `request`, or throws the `SqsError` SQS answers with. */
  verify(request: SignableRequest): VerifiedIdentity;
}

export function createSigV4Verifier(credentials: readonly SigV4Credential[], clock: Clock): SigV4Verifier {
  const byKeyId = new Map(credentials.map((credential) => [credential.accessKeyId, credential]));
  const signingKeys = new SigningKeyCache();

  return {
    verify(request) {
      const claim = readSignatureClaim(request);
      if (claim === undefined) throw new SqsError('MissingAuthenticationToken', 'Request is missing Authentication Token');
      checkTime(claim, clock());
      const credential = byKeyId.get(claim.scope.accessKeyId);
      if (credential === undefined) throw new SqsError('InvalidClientTokenId', 'The security token included in the request is invalid.');
      checkScope(claim);

      const expected = createHmac('sha256', signingKeys.get(credential.secretAccessKey, claim))
        .update(stringToSign(request, claim, payloadHash(request, claim)))
        .digest();
      if (!sameSignature(claim.signature, expected)) throw new SqsError('SignatureDoesNotMatch', SIGNATURE_MISMATCH_MESSAGE);
      return { accessKeyId: credential.accessKeyId, accountId: credential.accountId, region: claim.scope.region };
    },
  };
}

function checkTime(claim: SignatureClaim, now: number): void {
  if (claim.signedAt - now > ALLOWED_SKEW_MS) {
    throw new SqsError(
      'SignatureDoesNotMatch',
      `Signature not yet current: ${claim.amzDate} is still later than ${basicFormat(now + ALLOWED_SKEW_MS)} (${basicFormat(now)} + 15 min.)`,
    );
  }
  if (claim.kind === 'presigned') {
    if (now > claim.signedAt + claim.expiresSeconds! * 1000) throw new SqsError('RequestExpired', 'Request has expired');
  } else if (now - claim.signedAt > ALLOWED_SKEW_MS) {
    throw new SqsError(
      'SignatureDoesNotMatch',
      `Signature expired: ${claim.amzDate} is now earlier than ${basicFormat(now - ALLOWED_SKEW_MS)} (${basicFormat(now)} - 15 min.)`,
    );
  }
}

function checkScope({ scope, amzDate }: SignatureClaim): void {
  if (scope.terminator !== 'aws4_request') {
    throw new SqsError('SignatureDoesNotMatch', `Credential should be scoped with a valid terminator: 'aws4_request', not '${scope.terminator}'.`);
  }
  if (scope.service !== SERVICE) {
    throw new SqsError('SignatureDoesNotMatch', `Credential should be scoped to correct service: '${SERVICE}'. `);
  }
  if (scope.date !== amzDate.slice(0, 8)) {
    throw new SqsError(
      'SignatureDoesNotMatch',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
}

/**
 * The body's hash: computed here, so a body changed in transit never verifies. A client may
 * declare it (`x-amz-content-sha256`); a declared hash that is not the body's is refused, and
 * `UNSIGNED-PAYLOAD` (presigned URLs) signs the literal.
 */
function payloadHash(request: SignableRequest, claim: SignatureClaim): string {
  const declared = request.header('x-amz-content-sha256') ?? (claim.kind === 'presigned' ? queryValue(request, 'X-Amz-Content-Sha256') : undefined);
  if (declared === UNSIGNED_PAYLOAD) return UNSIGNED_PAYLOAD;
  const actual = sha256Hex(request.body);
  if (declared !== undefined && declared.toLowerCase() !== actual) {
    throw new SqsError('SignatureDoesNotMatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  return actual;
}

function queryValue(request: SignableRequest, name: string): string | undefined {
  return request.query.find(([candidate]) => candidate === name)?.[1];
}

function sameSignature(given: string, expected: Buffer): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(given)) return false;
  return timingSafeEqual(Buffer.from(given.toLowerCase(), 'hex'), expected);
}

/** kSigning = HMAC chain over date, region, service: the same for a key all day, so kept. */
class SigningKeyCache {
  private readonly keys = new Map<string, Buffer>();

  get(secret: string, { scope }: SignatureClaim): Buffer {
    const id = `${secret}\u0000${scope.date}\u0000${scope.region}\u0000${scope.service}`;
    let key = this.keys.get(id);
    if (key === undefined) {
      const hmac = (data: string, signingKey: string | Buffer): Buffer => createHmac('sha256', signingKey).update(data).digest();
      key = hmac('aws4_request', hmac(scope.service, hmac(scope.region, hmac(scope.date, `AWS4${secret}`))));
      if (this.keys.size >= 256) this.keys.clear();
      this.keys.set(id, key);
    }
    return key;
  }
}
