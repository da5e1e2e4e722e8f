/**
 * How queues are named on the wire: URLs in answers, ARNs in attributes and policies, and the
 * lenient reading of URLs in requests (any URL whose last path segment is the queue name, or a
 * bare name), so clients that reach the node through port mappings or proxies still work.
 *
 * A queue lives in one account and one region, like in AWS, so the same name in two regions or
 * two accounts is two queues. AWS puts the region in the URL's host (`sqs.<region>.amazonaws.com`);
 * a node answers on one host, so a queue of another region than the node's `--region` carries it
 * in the path instead, as LocalStack's path strategy does: `<base>/queue/<region>/<account>/<name>`.
 * Queues of the node's own region keep the plain `<base>/<account>/<name>` ElasticMQ uses.
 */
import type { EngineOptions } from './queue-engine.js';

/** An account in one region: where a queue lives, and who is calling. */
export interface Account {
  readonly accountId: string;
  readonly region: string;
}

/** A queue's identity across accounts and regions (`<region>:<account>:<name>`, the tail of its
 *  ARN): the key of the engine's queue map and the owner segment of its records. Branded, so a
 *  bare queue name cannot be passed where an identity is meant. */
export type QueueId = string & { readonly __queueId: never };

export function queueId(account: Account, queueName: string): QueueId {
  return `${account.region}:${account.accountId}:${queueName}` as QueueId;
}

/** The account and name of a queue id; undefined for a bare name (records written before
 *  queues had accounts). Queue names contain no `:`, so the last one ends the region/account. */
export function splitQueueId(id: string): { account: Account; name: string } | undefined {
  const second = id.lastIndexOf(':');
  const first = second > 0 ? id.lastIndexOf(':', second - 1) : -1;
  if (first <= 0) return undefined;
  return { account: { region: id.slice(0, first), accountId: id.slice(first + 1, second) }, name: id.slice(second + 1) };
}

export function sameAccount(a: Account, b: Account): boolean {
  return a.accountId === b.accountId && a.region === b.region;
}

/** The queue's URL; `home` is the node's own account and region (no region in the path). */
export function queueUrl(baseUrl: string, account: Account, queueName: string, home?: Account): string {
  const base = baseUrl.replace(/\/+$/, '');
  if (home === undefined || account.region === home.region) return `${base}/${account.accountId}/${queueName}`;
  return `${base}/${REGION_PATH}/${account.region}/${account.accountId}/${queueName}`;
}

export function queueArn(account: Account, queueName: string): string {
  return `arn:aws:sqs:${account.region}:${account.accountId}:${queueName}`;
}

/** What a request's QueueUrl says: always the name; the account and region when it names them. */
export interface QueueAddress {
  readonly name: string;
  /** The 12-digit segment before the name, if any. */
  readonly accountId: string | undefined;
  /** From `/queue/<region>/…` in the path or an `sqs.<region>.` host, if any. */
  readonly region: string | undefined;
}

const REGION_PATH = 'queue';
/** An account id: exactly 12 digits. */
export const ACCOUNT_ID = /^\d{12}$/;
/** What replimq takes for a region name (us-east-1, eu-central-1, …). */
export const REGION = /^[a-z0-9][a-z0-9-]{0,31}$/;
const SQS_HOST = /^sqs\.([a-z0-9-]+)\./;

/** Reads a request's QueueUrl, or undefined when the URL has no usable last segment. */
export function parseQueueUrl(url: string): QueueAddress | undefined {
  // Asked two or three times per request (ack mode, the command, long-poll wake-ups), nearly
  // always for the URL asked last: a pure function, so the last answer is kept.
  if (url === lastUrl) return lastAddress;
  const address = addressOfUrl(url);
  lastUrl = url;
  lastAddress = address;
  return address;
}

let lastUrl: string | undefined;
let lastAddress: QueueAddress | undefined;

/** The queue name a request's QueueUrl designates (its last path segment), or undefined when
 *  the URL has no usable last segment. */
export function queueNameFromUrl(url: string): string | undefined {
  return parseQueueUrl(url)?.name;
}

function addressOfUrl(url: string): QueueAddress | undefined {
  // Plain index arithmetic rather than splitting or a regex: this runs for every request.
  let end = url.length;
  const query = url.indexOf('?');
  if (query >= 0) end = query;
  const fragment = url.indexOf('#');
  if (fragment >= 0 && fragment < end) end = fragment;
  while (end > 0 && url.charCodeAt(end - 1) === 47 /* / */) end--;
  const start = url.lastIndexOf('/', end - 1) + 1;
  const name = url.slice(start, end);
  // `http:` alone (a URL with no path) names no queue.
  if (name.length === 0 || name.endsWith(':')) return undefined;
  if (start === 0) return { name, accountId: undefined, region: undefined };
  const accountStart = url.lastIndexOf('/', start - 2) + 1;
  const accountId = url.slice(accountStart, start - 1);
  if (!ACCOUNT_ID.test(accountId)) return { name, accountId: undefined, region: undefined };
  return { name, accountId, region: regionOfUrl(url, accountStart) };
}

/** `…/queue/<region>/<account>/…` before the account segment, else an `sqs.<region>.` host. */
function regionOfUrl(url: string, accountStart: number): string | undefined {
  if (accountStart >= 2) {
    const regionStart = url.lastIndexOf('/', accountStart - 2) + 1;
    const region = url.slice(regionStart, accountStart - 1);
    const marker = url.slice(url.lastIndexOf('/', regionStart - 2) + 1, regionStart - 1);
    if (marker === REGION_PATH && REGION.test(region)) return region;
  }
  const scheme = url.indexOf('://');
  if (scheme < 0) return undefined;
  return SQS_HOST.exec(url.slice(scheme + 3, accountStart))?.[1];
}

/** The queue a URL names for a caller — in the account and region the URL names, the caller's
 *  where it names none — and whether that account is another than the caller's. */
export function resolveQueueUrl(url: string, caller: Account): ResolvedQueueUrl | undefined {
  // Asked twice per request (the ack mode, then the command) for the same URL and caller: the
  // last answer is kept, which spares building the id string again and hashing it anew in the
  // queue map's lookup. A pure function; the caller is compared by identity (same object, same
  // answer), any other caller is simply resolved again.
  if (url === lastResolvedUrl && caller === lastResolvedCaller) return lastResolved;
  const resolved = resolveAgain(url, caller);
  lastResolvedUrl = url;
  lastResolvedCaller = caller;
  lastResolved = resolved;
  return resolved;
}

export interface ResolvedQueueUrl {
  readonly id: QueueId;
  /** The URL names another account than the caller's. */
  readonly foreign: boolean;
}

let lastResolvedUrl: string | undefined;
let lastResolvedCaller: Account | undefined;
let lastResolved: ResolvedQueueUrl | undefined;

function resolveAgain(url: string, caller: Account): ResolvedQueueUrl | undefined {
  const address = parseQueueUrl(url);
  if (address === undefined) return undefined;
  const accountId = address.accountId ?? caller.accountId;
  return {
    id: queueId({ accountId, region: address.region ?? caller.region }, address.name),
    foreign: accountId !== caller.accountId,
  };
}

/** The account and region that own the queue a URL names — those the URL names, `fallback`'s
 *  where it names none. For operators' tools (the admin page, the developer endpoint), which
 *  act on a queue as its owner rather than as a caller from another account. */
export function ownerOf(url: string, fallback: Account): Account {
  const address = parseQueueUrl(url);
  const accountId = address?.accountId ?? fallback.accountId;
  const region = address?.region ?? fallback.region;
  return accountId === fallback.accountId && region === fallback.region ? fallback : { accountId, region };
}

/** The parts of an SQS ARN (`arn:aws:sqs:<region>:<account>:<name>`), or undefined when the text
 *  is not an SQS ARN. */
export function parseQueueArn(arn: string): { account: Account; name: string } | undefined {
  const parts = arn.split(':');
  if (parts.length !== 6 || parts[0] !== 'arn' || parts[2] !== 'sqs') return undefined;
  const name = parts[5] as string;
  if (name.length === 0) return undefined;
  return { account: { region: parts[3] as string, accountId: parts[4] as string }, name };
}

/** The queue name of an SQS ARN, or undefined when the text is not an SQS ARN. */
export function queueNameFromArn(arn: string): string | undefined {
  return parseQueueArn(arn)?.name;
}

export function accountOf(options: EngineOptions): Account {
  return { accountId: options.accountId, region: options.region };
}
