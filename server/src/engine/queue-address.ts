/**
 * How queues are named on the wire: URLs in answers, ARNs in attributes and policies, and the
 * lenient reading of URLs in requests (any URL whose last path segment is the queue name, or a
 * bare name), so clients that reach the node through port mappings or proxies still work.
 */
import type { EngineOptions } from './queue-engine.js';

export interface Account {
  readonly accountId: string;
  readonly region: string;
}

export function queueUrl(baseUrl: string, account: Account, queueName: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${account.accountId}/${queueName}`;
}

export function queueArn(account: Account, queueName: string): string {
  return `arn:aws:sqs:${account.region}:${account.accountId}:${queueName}`;
}

/** The queue name a request's QueueUrl designates (its last path segment), or undefined when
 *  the URL has no usable last segment. */
export function queueNameFromUrl(url: string): string | undefined {
  // Asked two or three times per request (ack mode, the command, long-poll wake-ups), nearly
  // always for the URL asked last: a pure function, so the last answer is kept.
  if (url === lastUrl) return lastName;
  const name = nameOfUrl(url);
  lastUrl = url;
  lastName = name;
  return name;
}

let lastUrl: string | undefined;
let lastName: string | undefined;

function nameOfUrl(url: string): string | undefined {
  // Plain index arithmetic rather than splitting or a regex.
  let end = url.length;
  const query = url.indexOf('?');
  if (query >= 0) end = query;
  const fragment = url.indexOf('#');
  if (fragment >= 0 && fragment < end) end = fragment;
  while (end > 0 && url.charCodeAt(end - 1) === 47 /* / */) end--;
  const start = url.lastIndexOf('/', end - 1) + 1;
  const last = url.slice(start, end);
  // `http:` alone (a URL with no path) names no queue.
  if (last.length === 0 || last.endsWith(':')) return undefined;
  return last;
}

/** The queue name of an SQS ARN (`arn:aws:sqs:<region>:<account>:<name>`), or undefined when the
 *  text is not an SQS ARN. */
export function queueNameFromArn(arn: string): string | undefined {
  const parts = arn.split(':');
  if (parts.length !== 6 || parts[0] !== 'arn' || parts[2] !== 'sqs') return undefined;
  const name = parts[5] as string;
  return name.length > 0 ? name : undefined;
}

export function accountOf(options: EngineOptions): Account {
  return { accountId: options.accountId, region: options.region };
}
