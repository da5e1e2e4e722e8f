/**
 * Small tools the conformance files share: unique names, error assertions, bounded polling, and
 * the MD5 digests exactly as the SQS developer guide defines them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { expect, vi } from 'vitest';
import type { MessageAttributeValue, Message } from '@aws-sdk/client-sqs';
import { SqsCallError, type SqsTestClient } from './sdk-clients.js';

/** A queue name no other test (or flavour, or earlier run) uses: `[a-zA-Z0-9_-]`, ≤ 80 chars. */
export function uniqueQueueName(label: string, suffix: '' | '.fifo' = ''): string {
  return `${label}-${randomBytes(5).toString('hex')}${suffix}`;
}

export interface ExpectedError {
  /** Legacy Query code, e.g. `AWS.SimpleQueueService.NonExistentQueue`. */
  code: string;
  status: number;
}

/** Awaits `call` and asserts it failed with this SQS error (in either SDK's shape). */
export async function expectSqsError(call: Promise<unknown>, expected: ExpectedError): Promise<SqsCallError> {
  const outcome = await call.then(
    (value) => ({ resolved: value }),
    (error: unknown) => ({ rejected: error }),
  );
  if (!('rejected' in outcome)) {
    expect.fail(`expected ${expected.code} (${expected.status}) but the call succeeded: ${JSON.stringify(outcome.resolved)}`);
  }
  const error = outcome.rejected;
  if (!(error instanceof SqsCallError)) throw error;
  expect({ code: error.code, status: error.status }, error.message).toEqual(expected);
  return error;
}

export const NON_EXISTENT_QUEUE: ExpectedError = { code: 'AWS.SimpleQueueService.NonExistentQueue', status: 400 };

/**
 * Retries `call` until it fails with `expected`, within a bound. For effects AWS documents as
 * eventual, e.g. a deleted queue ("the deletion process takes up to 60 seconds").
 */
export async function eventuallySqsError(call: () => Promise<unknown>, expected: ExpectedError): Promise<void> {
  await vi.waitFor(() => expectSqsError(call(), expected), EVENTUALLY);
}

/** How long a test waits for something the server must do "soon" (a few seconds at most). */
export const EVENTUALLY = { timeout: 8_000, interval: 100 };

/**
 * Receives (short poll) until at least `count` messages arrived in total, within a bound.
 * Short polls may legitimately return fewer messages than available, so one call proves nothing.
 */
export async function receiveAtLeast(
  sqs: SqsTestClient,
  queueUrl: string,
  count: number,
  options: {
    MessageSystemAttributeNames?: string[];
    AttributeNames?: string[];
    MessageAttributeNames?: string[];
    VisibilityTimeout?: number;
  } = {},
): Promise<Message[]> {
  const received: Message[] = [];
  await vi.waitFor(async () => {
    const { Messages } = await sqs.receiveMessage({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      ...options,
    });
    received.push(...(Messages ?? []));
    expect(received.length).toBeGreaterThanOrEqual(count);
  }, EVENTUALLY);
  return received;
}

/** The one message a single-message queue holds, once it is visible. */
export async function receiveOne(
  sqs: SqsTestClient,
  queueUrl: string,
  options: Parameters<typeof receiveAtLeast>[3] = {},
): Promise<Message> {
  const [message] = await receiveAtLeast(sqs, queueUrl, 1, options);
  return message!;
}

/** Asserts the queue hands out nothing right now (several short polls, as SQS samples servers). */
export async function expectNothingVisible(sqs: SqsTestClient, queueUrl: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const { Messages } = await sqs.receiveMessage({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 });
    expect(Messages ?? []).toEqual([]);
  }
}

export async function queueAttributes(sqs: SqsTestClient, queueUrl: string, names: string[] = ['All']) {
  const { Attributes } = await sqs.getQueueAttributes({ QueueUrl: queueUrl, AttributeNames: names });
  return Attributes ?? {};
}

export function md5Hex(data: string | Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

/**
 * MD5OfMessageAttributes as the developer guide defines it: attributes sorted by name; each
 * encoded as name, data type (each a 4-byte big-endian length + UTF-8 bytes), one transport byte
 * (1 for String/Number and their custom subtypes, 2 for Binary), then the value (length + bytes).
 * The same encoding gives MD5OfMessageSystemAttributes.
 */
export function md5OfMessageAttributes(attributes: Record<string, MessageAttributeValue>): string {
  const chunks: Buffer[] = [];
  for (const name of Object.keys(attributes).sort()) {
    const attribute = attributes[name]!;
    const dataType = attribute.DataType ?? '';
    chunks.push(lengthPrefixed(Buffer.from(name, 'utf8')), lengthPrefixed(Buffer.from(dataType, 'utf8')));
    if (dataType.startsWith('Binary')) {
      chunks.push(Buffer.of(2), lengthPrefixed(Buffer.from(attribute.BinaryValue ?? new Uint8Array())));
    } else {
      chunks.push(Buffer.of(1), lengthPrefixed(Buffer.from(attribute.StringValue ?? '', 'utf8')));
    }
  }
  return md5Hex(Buffer.concat(chunks));
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** The queue's ARN, read from the server rather than guessed. */
export async function queueArn(sqs: SqsTestClient, queueUrl: string): Promise<string> {
  const attributes = await queueAttributes(sqs, queueUrl, ['QueueArn']);
  expect(attributes['QueueArn']).toMatch(/^arn:aws:sqs:/);
  return attributes['QueueArn']!;
}

/** Creates a queue with a fresh name and answers its URL. */
export async function createQueue(
  sqs: SqsTestClient,
  label: string,
  attributes: Record<string, string> = {},
): Promise<string> {
  const fifo = attributes['FifoQueue'] === 'true';
  const { QueueUrl } = await sqs.createQueue({
    QueueName: uniqueQueueName(label, fifo ? '.fifo' : ''),
    Attributes: attributes,
  });
  expect(QueueUrl).toBeTruthy();
  return QueueUrl!;
}
