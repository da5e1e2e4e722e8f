/**
 * SigV4's canonical request and string to sign (AWS General Reference, "Create a canonical
 * request"): method, URI-encoded path, sorted URI-encoded query, the signed headers' trimmed
 * values, the signed header list and the payload hash, each on its own line.
 */
import { createHash } from 'node:crypto';
import { decode, type SignableRequest } from './signable-request.js';
import { ALGORITHM, type SignatureClaim } from './signature-claim.js';

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

export function stringToSign(request: SignableRequest, claim: SignatureClaim, payloadHash: string): string {
  return [ALGORITHM, claim.amzDate, claim.scopeText, sha256Hex(canonicalRequest(request, claim, payloadHash))].join('\n');
}

export function canonicalRequest(request: SignableRequest, claim: SignatureClaim, payloadHash: string): string {
  return [
    request.method,
    canonicalPath(request.rawPath),
    canonicalQuery(request, claim),
    ...claim.signedHeaders.map((name) => `${name}:${canonicalHeaderValue(request.header(name) ?? '')}`),
    '',
    claim.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Each segment decoded and encoded again, so `%7e` and `~` sign alike, as the SDKs send them. */
function canonicalPath(rawPath: string): string {
  if (rawPath === '' || rawPath === '/') return '/';
  return rawPath.split('/').map((segment) => uriEncode(decode(segment))).join('/');
}

function canonicalQuery(request: SignableRequest, claim: SignatureClaim): string {
  const pairs = request.query
    .filter(([name]) => claim.kind === 'header' || name !== 'X-Amz-Signature')
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const);
  pairs.sort(([nameA, valueA], [nameB, valueB]) => compare(nameA, nameB) || compare(valueA, valueB));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

function canonicalHeaderValue(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

/** RFC 3986: everything but A-Z a-z 0-9 - _ . ~ percent-encoded, upper-case hex. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
