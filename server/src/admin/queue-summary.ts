/**
 * A compact view of every queue and its message counts, read from the engine's current state:
 * `GET /queues` shows it and `/metrics` turns it into gauges.
 */
import { isFifoName } from '../engine/queue-name.js';
import type { QueueEngine } from '../engine/queue-engine.js';
import type { Clock } from '../service/clock.js';

export interface QueueSummary {
  name: string;
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

/** Base URL for the URLs in the summary: the admin API has no SQS Host header to echo. */
export function summarizeQueues(engine: QueueEngine, clock: Clock, baseUrl: string): QueueSummary[] {
  const summaries: QueueSummary[] = [];
  for (const url of listAllQueueUrls(engine, clock, baseUrl)) {
    let attributes: Record<string, string>;
    try {
      attributes = engine.read({
        action: 'GetQueueAttributes',
        input: { QueueUrl: url, AttributeNames: SUMMARY_ATTRIBUTES },
        now: clock(),
        baseUrl,
      }).Attributes ?? {};
    } catch {
      continue; // deleted between the listing and this read
    }
    const name = url.slice(url.lastIndexOf('/') + 1);
    summaries.push({
      name,
      url,
      arn: attributes['QueueArn'],
      // Not asked as FifoQueue: a standard queue answers that name with InvalidAttributeName.
      fifo: isFifoName(name),
      visible: Number(attributes['ApproximateNumberOfMessages'] ?? 0),
      inFlight: Number(attributes['ApproximateNumberOfMessagesNotVisible'] ?? 0),
      delayed: Number(attributes['ApproximateNumberOfMessagesDelayed'] ?? 0),
      deadLetterTargetArn: deadLetterTarget(attributes['RedrivePolicy']),
    });
  }
  return summaries;
}

function* listAllQueueUrls(engine: QueueEngine, clock: Clock, baseUrl: string): Generator<string> {
  let nextToken: string | undefined;
  do {
    const page = engine.read({
      action: 'ListQueues',
      input: { MaxResults: 1000, ...(nextToken === undefined ? {} : { NextToken: nextToken }) },
      now: clock(),
      baseUrl,
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
