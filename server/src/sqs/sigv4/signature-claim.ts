/**
 * What a request claims about its SigV4 signature, from the `Authorization` header or from a
 * presigned URL's `X-Amz-*` query parameters, before anything is checked against a key.
 * Malformed claims are `IncompleteSignature` with AWS's wording.
 */
import { SqsError } from '../../engine/errors.js';
import type { SignableRequest } from './signable-request.js';

export const ALGORITHM = 'AWS4-HMAC-SHA256';

export interface CredentialScope {
  accessKeyId: string;
  /** `YYYYMMDD` */
  date: string;
  region: string;
  service: string;
  terminator: string;
}

export interface SignatureClaim {
  kind: 'header' | 'presigned';
  scope: CredentialScope;
  /** The scope as signed: `date/region/service/aws4_request`. */
  scopeText: string;
  /** Lower-case names, in the order given. */
  signedHeaders: string[];
  signature: string;
  /** `YYYYMMDDTHHMMSSZ` as the string to sign carries it. */
  amzDate: string;
  /** Milliseconds since the epoch of `amzDate`. */
  signedAt: number;
  /** Presigned only: seconds the URL stays valid after `signedAt`. */
  expiresSeconds?: number;
}

/** `undefined`: the request carries no SigV4 signature at all. */
export function readSignatureClaim(request: SignableRequest): SignatureClaim | undefined {
  const authorization = request.header('authorization');
  if (authorization !== undefined) return readAuthorizationHeader(authorization, request);
  if (request.query.some(([name]) => name === 'X-Amz-Algorithm' || name === 'X-Amz-Signature' || name === 'X-Amz-Credential')) {
    return readPresignedQuery(request);
  }
  return undefined;
}

function readAuthorizationHeader(authorization: string, request: SignableRequest): SignatureClaim {
  const trimmed = authorization.trim();
  const fields = new Map<string, string>();
  if (trimmed.startsWith(`${ALGORITHM} `)) {
    for (const part of trimmed.slice(ALGORITHM.length).split(',')) {
      const equals = part.indexOf('=');
      if (equals !== -1) fields.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
    }
  }
  const dateHeader = request.header('x-amz-date') ?? request.header('date');
  const missing: string[] = [];
  for (const name of ['Credential', 'Signature', 'SignedHeaders']) {
    if (!fields.get(name)) missing.push(`Authorization header requires '${name}' parameter.`);
  }
  if (dateHeader === undefined) missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (missing.length > 0) throw new SqsError('IncompleteSignature', `${missing.join(' ')} Authorization=${trimmed}`);

  const signedAt = parseDate(dateHeader!);
  if (signedAt === undefined) {
    throw new SqsError('IncompleteSignature', `Date must be in ISO-8601 'basic format'. Got '${dateHeader}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  }
  return {
    kind: 'header',
    ...scopeOf(fields.get('Credential')!),
    signedHeaders: fields.get('SignedHeaders')!.split(';').map((name) => name.trim().toLowerCase()),
    signature: fields.get('Signature')!,
    amzDate: basicFormat(signedAt),
    signedAt,
  };
}

const PRESIGNED_PARAMETERS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Expires'];

function readPresignedQuery(request: SignableRequest): SignatureClaim {
  const value = (name: string): string | undefined => request.query.find(([candidate]) => candidate === name)?.[1];
  const missing = PRESIGNED_PARAMETERS.filter((name) => !value(name));
  if (missing.length > 0) {
    throw new SqsError(
      'IncompleteSignature',
      `AWS query-string parameters must include ${missing.map((name) => `'${name}'`).join(', ')}. Re-examine the query-string parameters.`,
    );
  }
  if (value('X-Amz-Algorithm') !== ALGORITHM) {
    throw new SqsError('IncompleteSignature', `X-Amz-Algorithm only supports '${ALGORITHM}'`);
  }
  const amzDate = value('X-Amz-Date')!;
  const signedAt = /^\d{8}T\d{6}Z$/.test(amzDate) ? parseDate(amzDate) : undefined;
  if (signedAt === undefined) {
    throw new SqsError('IncompleteSignature', `Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  }
  const expires = value('X-Amz-Expires')!;
  if (!/^\d{1,6}$/.test(expires) || Number(expires) < 1 || Number(expires) > 604_800) {
    throw new SqsError('IncompleteSignature', 'X-Amz-Expires must be a number of seconds from 1 to 604800 (seven days).');
  }
  return {
    kind: 'presigned',
    ...scopeOf(value('X-Amz-Credential')!),
    signedHeaders: value('X-Amz-SignedHeaders')!.split(';').map((name) => name.trim().toLowerCase()),
    signature: value('X-Amz-Signature')!,
    amzDate,
    signedAt,
    expiresSeconds: Number(expires),
  };
}

function scopeOf(credential: string): { scope: CredentialScope; scopeText: string } {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts.some((part) => part === '')) {
    throw new SqsError(
      'IncompleteSignature',
      `Credential should be scoped to a valid region, not '${parts[2] ?? ''}'. Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  return { scope: { accessKeyId, date, region, service, terminator }, scopeText: parts.slice(1).join('/') };
}

/** `20240102T030405Z` (X-Amz-Date) or an HTTP date (`Date`). */
function parseDate(text: string): number | undefined {
  const basic = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text.trim());
  if (basic) {
    const [, year, month, day, hour, minute, second] = basic.map(Number) as [number, number, number, number, number, number, number];
    const time = Date.UTC(year, month - 1, day, hour, minute, second);
    return Number.isNaN(time) ? undefined : time;
  }
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}

export function basicFormat(time: number): string {
  return new Date(time).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
