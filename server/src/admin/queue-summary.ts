/**
 * A compact view of every queue and its message counts, read from the engine's current state:
 * `GET /queues` shows it and `/metrics` turns it into gauges.
 */
import { isFifoName } from '../engine/queue-name.js';
import type { QueueEngine } from '../engine/queue-engine.js';
import type { Account } from '../engine/queue-address.js';
import type { Clock } from '../service/clock.js';

export interface QueueSummary {
  name: string;
  /** The account and region the queue lives in. */
  accountId: string;
  region: string;
  url: string;
  arn: string | undefined;
  fifo: boolean;
  visible: number;
  inFlight: number;
  delayed: number;
  deadLetterTargetArn: string | undefined;
}

const SUMMARY_ATTRIBUTES = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'RedrivePolicy',
];

/** Base URL for the URLs in the summary: the admin API has no SQS Host header to echo.
 *  Every account's and region's queues, each read as its own account would read it. */
export function summarizeQueues(engine: QueueEngine, clock: Clock, baseUrl: string): QueueSummary[] {
  const summaries: QueueSummary[] = [];
  const accounts = engine.queueAccounts().sort((a, b) => compare(a.accountId, b.accountId) || compare(a.region, b.region));
  for (const account of accounts) {
    for (const url of listAllQueueUrls(engine, clock, baseUrl, account)) {
      const summary = summarizeQueue(engine, clock, baseUrl, account, url);
      if (summary !== undefined) summaries.push(summary);
    }
  }
  return summaries;
}

function summarizeQueue(engine: QueueEngine, clock: Clock, baseUrl: string, account: Account, url: string): QueueSummary | undefined {
  let attributes: Record<string, string>;
  try {
    attributes = engine.read({
      action: 'GetQueueAttributes',
      input: { QueueUrl: url, AttributeNames: SUMMARY_ATTRIBUTES },
      now: clock(),
      baseUrl,
      account,
    }).Attributes ?? {};
  } catch {
    return undefined; // deleted between the listing and this read
  }
  const name = url.slice(url.lastIndexOf('/') + 1);
  return {
    name,
    accountId: account.accountId,
    region: account.region,
    url,
    arn: attributes['QueueArn'],
    // Not asked as FifoQueue: a standard queue answers that name with InvalidAttributeName.
    fifo: isFifoName(name),
    visible: Number(attributes['ApproximateNumberOfMessages'] ?? 0),
    inFlight: Number(attributes['ApproximateNumberOfMessagesNotVisible'] ?? 0),
    delayed: Number(attributes['ApproximateNumberOfMessagesDelayed'] ?? 0),
    deadLetterTargetArn: deadLetterTarget(attributes['RedrivePolicy']),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function* listAllQueueUrls(engine: QueueEngine, clock: Clock, baseUrl: string, account: Account): Generator<string> {
  let nextToken: string | undefined;
  do {
    const page = engine.read({
      action: 'ListQueues',
      input: { MaxResults: 1000, ...(nextToken === undefined ? {} : { NextToken: nextToken }) },
      now: clock(),
      baseUrl,
      account,
    });
    yield* page.QueueUrls ?? [];
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
}

function deadLetterTarget(redrivePolicy: string | undefined): string | undefined {
  if (redrivePolicy === undefined) return undefined;
  try {
    const parsed = JSON.parse(redrivePolicy) as { deadLetterTargetArn?: unknown };
    return typeof parsed.deadLetterTargetArn === 'string' ? parsed.deadLetterTargetArn : undefined;
  } catch {
    return undefined;
  }
}
