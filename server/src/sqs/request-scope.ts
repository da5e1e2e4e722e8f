/**
 * The account and region a request is made in, read from its SigV4 credential the way LocalStack
 * and Floci read it (never verified here):
 *
 * - the region is the credential scope's (`Credential=AKID/20261203/eu-central-1/sqs/aws4_request`
 *   in the `Authorization` header, or the `X-Amz-Credential` parameter of a presigned request);
 * - the account is the access key id when that is exactly 12 digits (the LocalStack convention:
 *   such a key *is* the account id).
 *
 * Whatever the credential does not say is the node's own (`--region`, `--account-id`).
 */
import type { IncomingMessage } from 'node:http';
import { ACCOUNT_ID, REGION, type Account } from '../engine/queue-address.js';

/** The parts of a SigV4 credential that matter here. */
export interface RequestCredential {
  readonly accessKeyId: string;
  /** Undefined for a credential without a (well-formed) scope, e.g. a SigV2 `AWSAccessKeyId`. */
  readonly region: string | undefined;
}

const CREDENTIAL_MARKER = 'Credential=';

/** The credential of a SigV4 `Authorization` header or of a presigned Query request
 *  (`X-Amz-Credential`, or SigV2's `AWSAccessKeyId`), if any. */
export function requestCredential(req: IncomingMessage, params?: URLSearchParams): RequestCredential | undefined {
  const authorization = req.headers.authorization;
  if (authorization) {
    const start = authorization.indexOf(CREDENTIAL_MARKER);
    if (start !== -1) {
      const valueStart = start + CREDENTIAL_MARKER.length;
      let valueEnd = authorization.length;
      const comma = authorization.indexOf(',', valueStart);
      if (comma !== -1) valueEnd = comma;
      const space = authorization.indexOf(' ', valueStart);
      if (space !== -1 && space < valueEnd) valueEnd = space;
      const credential = parseCredential(authorization.slice(valueStart, valueEnd));
      if (credential !== undefined) return credential;
    }
  }
  const presigned = params?.get('X-Amz-Credential');
  if (presigned) return parseCredential(presigned);
  const legacy = params?.get('AWSAccessKeyId');
  return legacy ? { accessKeyId: legacy, region: undefined } : undefined;
}

/** The last credential read, and what it read as: an SDK signs every call with the same key and
 *  scope (only the date part changes, once a day), and splitting the scope and testing its
 *  region on each request was a visible share of a signed request's CPU. */
let lastText: string | undefined;
let lastCredential: RequestCredential | undefined;

/** `AKID/date/region/service/aws4_request` (or a bare key id). */
function parseCredential(text: string): RequestCredential | undefined {
  if (text === lastText) return lastCredential;
  const credential = readCredential(text);
  lastText = text;
  lastCredential = credential;
  return credential;
}

function readCredential(text: string): RequestCredential | undefined {
  const parts = text.split('/');
  const accessKeyId = parts[0] ?? '';
  if (accessKeyId.length === 0) return undefined;
  const region = parts[2];
  return { accessKeyId, region: region !== undefined && REGION.test(region) ? region : undefined };
}

/** The account and region of a request with this credential, on a node whose own are `home`. */
export function requestAccount(credential: RequestCredential | undefined, home: Account): Account {
  // The same (cached) credential on the same node: the same answer, without the regex again.
  if (credential !== undefined && lastAccount?.credential === credential && lastAccount.home === home) return lastAccount.account;
  const account = accountOf(credential, home);
  if (credential !== undefined) lastAccount = { credential, home, account };
  return account;
}

let lastAccount: { credential: RequestCredential; home: Account; account: Account } | undefined;

function accountOf(credential: RequestCredential | undefined, home: Account): Account {
  const accountId = credential !== undefined && ACCOUNT_ID.test(credential.accessKeyId) ? credential.accessKeyId : home.accountId;
  const region = credential?.region ?? home.region;
  // The node's own, as it is, for the common case: one shared object rather than one per request.
  return accountId === home.accountId && region === home.region ? home : { accountId, region };
}
