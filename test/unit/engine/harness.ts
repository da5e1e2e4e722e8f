/**
 * Drives an engine the way the leader does — with a fake clock and counter-made ids — so tests
 * read as sequences of SQS calls.
 */
import type { ActionInput, ActionOutput } from '../../../server/src/engine/actions.js';
import type { CommandName, CommandOutput, CommandInput, ReadOnlyActionName } from '../../../server/src/engine/command.js';
import { createEngine } from '../../../server/src/engine/engine.js';
import { SqsError, type SqsErrorCode } from '../../../server/src/engine/errors.js';
import type { QueueEngine } from '../../../server/src/engine/queue-engine.js';
import type { Account } from '../../../server/src/engine/queue-address.js';

export const BASE_URL = 'http://localhost:9324';
export const ACCOUNT = '000000000000';
export const START = Date.UTC(2026, 0, 1);
/** The engine's own account and region. */
export const HOME: Account = { accountId: ACCOUNT, region: 'us-east-1' };

export class Harness {
  readonly engine: QueueEngine;
  now = START;
  /** The account and region the next calls are made in. */
  caller: Account = HOME;
  private idCounter = 0;

  constructor(trackChanges = false, enforceCooldowns?: boolean) {
    this.engine = createEngine({ accountId: ACCOUNT, region: 'us-east-1', trackChanges, ...(enforceCooldowns === undefined ? {} : { enforceCooldowns }) });
  }

  advance(ms: number): void {
    this.now += ms;
  }

  /** The URL of the caller's queue of this name. */
  url(name: string): string {
    const account = this.caller.accountId;
    return this.caller.region === HOME.region ? `${BASE_URL}/${account}/${name}` : `${BASE_URL}/queue/${this.caller.region}/${account}/${name}`;
  }

  /** The ARN of the caller's queue of this name. */
  arn(name: string): string {
    return `arn:aws:sqs:${this.caller.region}:${this.caller.accountId}:${name}`;
  }

  apply<C extends CommandName>(action: C, input: CommandInput<C>): CommandOutput<C> {
    const needed = action === 'Housekeeping' ? 0 : this.engine.randomValuesNeeded(action as never, input as never);
    const ids = Array.from({ length: needed }, () => this.nextId());
    return this.engine.apply({ action, input, now: this.now, ids, baseUrl: BASE_URL, senderId: 'AIDTEST', account: this.caller } as never);
  }

  read<A extends ReadOnlyActionName>(action: A, input: ActionInput<A>): ActionOutput<A> {
    return this.engine.read({ action, input, now: this.now, baseUrl: BASE_URL, account: this.caller } as never);
  }

  createQueue(name: string, attributes?: Record<string, string>, tags?: Record<string, string>): string {
    const input: ActionInput<'CreateQueue'> = { QueueName: name };
    if (attributes !== undefined) input.Attributes = attributes;
    if (tags !== undefined) input.tags = tags;
    return this.apply('CreateQueue', input).QueueUrl;
  }

  send(name: string, body: string, extra: Partial<ActionInput<'SendMessage'>> = {}): ActionOutput<'SendMessage'> {
    return this.apply('SendMessage', { QueueUrl: this.url(name), MessageBody: body, ...extra });
  }

  receive(name: string, extra: Partial<ActionInput<'ReceiveMessage'>> = {}): NonNullable<ActionOutput<'ReceiveMessage'>['Messages']> {
    return this.apply('ReceiveMessage', { QueueUrl: this.url(name), ...extra }).Messages ?? [];
  }

  attributes(name: string, names: string[] = ['All']): Record<string, string> {
    return this.read('GetQueueAttributes', { QueueUrl: this.url(name), AttributeNames: names }).Attributes ?? {};
  }

  counts(name: string): [number, number, number] {
    const attributes = this.attributes(name);
    return [
      Number(attributes.ApproximateNumberOfMessages),
      Number(attributes.ApproximateNumberOfMessagesNotVisible),
      Number(attributes.ApproximateNumberOfMessagesDelayed),
    ];
  }

  records(): Map<string, string> {
    return new Map(this.engine.exportRecords());
  }

  private nextId(): string {
    const n = (++this.idCounter).toString(16).padStart(12, '0');
    return `00000000-0000-4000-8000-${n}`;
  }
}

/** Runs `action` expecting an SqsError with `code`; returns it for further checks. */
export function expectSqsError(action: () => unknown, code: SqsErrorCode): SqsError {
  try {
    action();
  } catch (error) {
    if (error instanceof SqsError) {
      if (error.code !== code) throw new Error(`expected ${code}, got ${error.code}: ${error.message}`);
      return error;
    }
    throw error;
  }
  throw new Error(`expected ${code}, but nothing was thrown`);
}

/** Asserts `action` is rejected with `code` and leaves the exported state exactly as it was. */
export function expectRejectedUnchanged(harness: Harness, action: () => unknown, code: SqsErrorCode): SqsError {
  const before = harness.records();
  const error = expectSqsError(action, code);
  const after = harness.records();
  if (JSON.stringify([...before].sort()) !== JSON.stringify([...after].sort())) {
    throw new Error(`state changed by a rejected ${code}`);
  }
  return error;
}
