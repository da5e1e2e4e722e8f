/**
 * The settable attributes of a queue, their defaults and their validation.
 *
 * Settings are kept as the normalised strings SQS reports (so GetQueueAttributes and the stored
 * record are trivial) plus the numbers the hot path needs, parsed once.
 */
import { SqsError } from './errors.js';
import { hasInvalidCharacters } from './message-validation.js';

export const QUEUE_DEFAULTS = {
  DelaySeconds: '0',
  // Raised from 256 KiB to 1 MiB by AWS in August 2025, for new queues as well as the range.
  MaximumMessageSize: '1048576',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  // SSE-SQS is on by default for queues created since late 2022.
  SqsManagedSseEnabled: 'true',
} as const;

export const FIFO_DEFAULTS = {
  FifoQueue: 'true',
  ContentBasedDeduplication: 'false',
  DeduplicationScope: 'queue',
  FifoThroughputLimit: 'perQueue',
} as const;

interface IntegerRule {
  kind: 'integer';
  min: number;
  max: number;
}
type AttributeRule =
  | IntegerRule
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'text' };

const COMMON_RULES: Record<string, AttributeRule> = {
  DelaySeconds: { kind: 'integer', min: 0, max: 900 },
  MaximumMessageSize: { kind: 'integer', min: 1024, max: 1048576 },
  MessageRetentionPeriod: { kind: 'integer', min: 60, max: 1209600 },
  ReceiveMessageWaitTimeSeconds: { kind: 'integer', min: 0, max: 20 },
  VisibilityTimeout: { kind: 'integer', min: 0, max: 43200 },
  KmsDataKeyReusePeriodSeconds: { kind: 'integer', min: 60, max: 86400 },
  SqsManagedSseEnabled: { kind: 'boolean' },
  KmsMasterKeyId: { kind: 'text' },
  // Policy documents and redrive policies are checked by their own modules.
  Policy: { kind: 'text' },
  RedrivePolicy: { kind: 'text' },
  RedriveAllowPolicy: { kind: 'text' },
};

const FIFO_RULES: Record<string, AttributeRule> = {
  ContentBasedDeduplication: { kind: 'boolean' },
  DeduplicationScope: { kind: 'enum', values: ['messageGroup', 'queue'] },
  FifoThroughputLimit: { kind: 'enum', values: ['perQueue', 'perMessageGroupId'] },
};

export function invalidAttributeValue(name: string, reason?: string): SqsError {
  return new SqsError(
    'InvalidAttributeValue',
    reason === undefined ? `Invalid value for the parameter ${name}.` : `Invalid value for the parameter ${name}. Reason: ${reason}`,
  );
}

export function unknownAttribute(name: string): SqsError {
  return new SqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
}

/**
 * Checks names and value formats of attributes given to CreateQueue (`creating`) or
 * SetQueueAttributes, and returns them normalised. Cross-queue rules (redrive targets) are
 * checked by the caller, which knows the other queues.
 */
export function normaliseSettableAttributes(
  attributes: Readonly<Record<string, string>>,
  fifo: boolean,
  creating: boolean,
): Record<string, string> {
  const normalised: Record<string, string> = {};
  for (const [name, rawValue] of Object.entries(attributes)) {
    if (name === 'FifoQueue') {
      if (creating) continue; // decided by the caller together with the queue name
      if (!fifo) throw unknownAttribute(name);
      // Recorded SQS: FifoQueue=true on a FIFO queue is a no-op that succeeds; only a change is refused.
      const lower = String(rawValue).trim().toLowerCase();
      if (lower === 'true') continue;
      if (lower === 'false') throw invalidAttributeValue(name, 'Modifying queue type is not supported.');
      throw invalidAttributeValue(name);
    }
    // Own properties only: `constructor` or `__proto__` must not find what every object inherits.
    const rule = Object.hasOwn(COMMON_RULES, name) ? COMMON_RULES[name] : fifo && Object.hasOwn(FIFO_RULES, name) ? FIFO_RULES[name] : undefined;
    if (rule === undefined) throw unknownAttribute(name);
    normalised[name] = normaliseValue(name, String(rawValue), rule);
  }
  // The DeduplicationScope / FifoThroughputLimit pairing needs the merged settings: checked by
  // resolveSettings.
  return normalised;
}

function normaliseValue(name: string, value: string, rule: AttributeRule): string {
  switch (rule.kind) {
    case 'integer': {
      // As strict as SQS (Java's Integer.parseInt): no blanks, signs other than `-`, or decimals.
      if (!/^-?\d+$/.test(value)) throw invalidAttributeValue(name);
      const number = Number(value);
      if (number < rule.min || number > rule.max) throw invalidAttributeValue(name);
      return String(number);
    }
    case 'boolean': {
      const lower = value.trim().toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw invalidAttributeValue(name);
      return lower;
    }
    case 'enum':
      if (!rule.values.includes(value)) throw invalidAttributeValue(name);
      return value;
    case 'text':
      if (hasInvalidCharacters(value)) throw invalidAttributeValue(name);
      return value;
  }
}

/** Whether CreateQueue's attributes ask for a FIFO queue (`FifoQueue=true`). */
export function requestsFifo(attributes: Readonly<Record<string, string>> | undefined): boolean {
  const value = attributes?.FifoQueue;
  if (value === undefined) return false;
  const lower = String(value).trim().toLowerCase();
  if (lower !== 'true' && lower !== 'false') throw invalidAttributeValue('FifoQueue');
  return lower === 'true';
}
