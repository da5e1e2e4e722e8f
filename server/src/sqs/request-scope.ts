/**
 * Who a request is made by and in which account and region, read from its SigV4 credential the
 * way LocalStack and Floci read it (never verified here):
 *
 * - the region is the credential scope's (`Credential=AKID/20261203/eu-central-1/sqs/aws4_request`
 *   in the `Authorization` header, or the `X-Amz-Credential` parameter of a presigned request);
 * - the account is the access key id when that is exactly 12 digits (the LocalStack convention:
 *   such a key *is* the account id);
 * - the SenderId is the access key id (SigV2's `AWSAccessKeyId` too), or an anonymous one.
 *
 * Whatever the credential does not say is the node's own (`--region`, `--account-id`).
 */
import type { IncomingMessage } from 'node:http';
import { ACCOUNT_ID, REGION, type Account } from '../engine/queue-address.js';
import { ANONYMOUS_SENDER_ID } from './request-origin.js';

/** The request context's caller: what the service needs from the credential. */
export interface RequestScope {
  readonly senderId: string;
  readonly account: Account;
}

const CREDENTIAL_MARKER = 'Credential=';

/** The scope of a request with a SigV4 `Authorization` header, a presigned Query request
 *  (`X-Amz-Credential`, or SigV2's `AWSAccessKeyId`), or neither, on a node whose own account
 *  and region are `home`. */
export function requestScope(req: IncomingMessage, home: Account, params?: URLSearchParams): RequestScope {
  const authorization = req.headers.authorization;
  if (authorization) {
    const scope = signedScope(authorizationCredential(authorization), home);
    if (scope !== undefined) return scope;
  }
  const presigned = params?.get('X-Amz-Credential');
  if (presigned) return signedScope(presigned, home) ?? anonymousScope(home);
  const legacy = params?.get('AWSAccessKeyId');
  return legacy ? scopeOf(legacy, undefined, home) : anonymousScope(home);
}

/** The `Credential=` value of an `Authorization` header (empty when it has none). */
function authorizationCredential(authorization: string): string {
  const start = authorization.indexOf(CREDENTIAL_MARKER);
  if (start === -1) return '';
  const valueStart = start + CREDENTIAL_MARKER.length;
  let valueEnd = authorization.length;
  const comma = authorization.indexOf(',', valueStart);
  if (comma !== -1) valueEnd = comma;
  const space = authorization.indexOf(' ', valueStart);
  if (space !== -1 && space < valueEnd) valueEnd = space;
  return authorization.slice(valueStart, valueEnd);
}

/**
 * The last credential text read, on which node, and its scope: an SDK signs every call with the
 * same key and scope (only the date part changes, once a day), and splitting the scope and
 * testing its key and region on each request was a visible share of a signed request's CPU.
 */
let lastText: string | undefined;
let lastHome: Account | undefined;
let lastScope: RequestScope | undefined;

/** `AKID/date/region/service/aws4_request` (or a bare key id); undefined without a key id. */
function signedScope(text: string, home: Account): RequestScope | undefined {
  if (text === lastText && home === lastHome) return lastScope;
  const parts = text.split('/');
  const accessKeyId = parts[0] ?? '';
  const region = parts[2];
  const scope = accessKeyId.length === 0 ? undefined : scopeOf(accessKeyId, region !== undefined && REGION.test(region) ? region : undefined, home);
  lastText = text;
  lastHome = home;
  lastScope = scope;
  return scope;
}

function scopeOf(accessKeyId: string, region: string | undefined, home: Account): RequestScope {
  return { senderId: accessKeyId, account: accountIn(ACCOUNT_ID.test(accessKeyId) ? accessKeyId : home.accountId, region, home) };
}

/** The account `accountId` in `region` (the node's own region when undefined), as the node's
 *  own `home` object when it is that one: one shared object rather than one per request. */
export function accountIn(accountId: string, region: string | undefined, home: Account): Account {
  const inRegion = region ?? home.region;
  return accountId === home.accountId && inRegion === home.region ? home : { accountId, region: inRegion };
}

let lastAnonymous: RequestScope | undefined;

/** A request without a credential: the node's own account and region, one object per node. */
function anonymousScope(home: Account): RequestScope {
  if (lastAnonymous?.account !== home) lastAnonymous = { senderId: ANONYMOUS_SENDER_ID, account: home };
  return lastAnonymous;
}
