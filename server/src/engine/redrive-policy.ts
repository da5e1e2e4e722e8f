/**
 * RedrivePolicy (source → dead-letter queue) and RedriveAllowPolicy (which sources a
 * dead-letter queue accepts): parsing and the checks that need no other queue.
 */
import { SqsError } from './errors.js';
import { queueNameFromArn } from './queue-address.js';

export interface RedrivePolicy {
  readonly deadLetterTargetArn: string;
  readonly targetName: string;
  readonly maxReceiveCount: number;
}

export interface RedriveAllowPolicy {
  readonly redrivePermission: 'allowAll' | 'denyAll' | 'byQueue';
  readonly sourceQueueArns: readonly string[];
}

const MAX_RECEIVE_COUNT = 1000;
const MAX_ALLOWED_SOURCES = 10;

export function invalidParameter(parameter: string, value: string, reason: string): SqsError {
  return new SqsError('InvalidParameterValue', `Value ${value} for parameter ${parameter} is invalid. Reason: ${reason}`);
}

/** Parses a RedrivePolicy value; the caller checks that the target exists and fits. */
export function parseRedrivePolicy(text: string): RedrivePolicy {
  const reject = (reason: string): SqsError => invalidParameter('RedrivePolicy', text, reason);
  const json = parseJsonObject(text);
  if (json === undefined) throw reject('Redrive policy is not a valid JSON map.');
  const arn = json.deadLetterTargetArn;
  if (arn === undefined) throw reject('Redrive policy does not contain mandatory attribute: deadLetterTargetArn.');
  if (json.maxReceiveCount === undefined) throw reject('Redrive policy does not contain mandatory attribute: maxReceiveCount.');
  const targetName = typeof arn === 'string' ? queueNameFromArn(arn) : undefined;
  if (typeof arn !== 'string' || targetName === undefined) throw reject('Invalid value for deadLetterTargetArn.');
  const count = Number(json.maxReceiveCount);
  if (!Number.isInteger(count) || count < 1 || count > MAX_RECEIVE_COUNT) {
    throw reject(`Invalid value for maxReceiveCount: ${String(json.maxReceiveCount)}, valid values are from 1 to ${MAX_RECEIVE_COUNT} both inclusive.`);
  }
  return { deadLetterTargetArn: arn, targetName, maxReceiveCount: count };
}

/** The normalised text SQS reports for a redrive policy. */
export function formatRedrivePolicy(policy: RedrivePolicy): string {
  return JSON.stringify({ deadLetterTargetArn: policy.deadLetterTargetArn, maxReceiveCount: policy.maxReceiveCount });
}

export function parseRedriveAllowPolicy(text: string): RedriveAllowPolicy {
  const reject = (reason: string): SqsError => invalidParameter('RedriveAllowPolicy', text, reason);
  const json = parseJsonObject(text);
  if (json === undefined) throw reject('Redrive allow policy is not a valid JSON map.');
  const permission = json.redrivePermission;
  if (permission !== 'allowAll' && permission !== 'denyAll' && permission !== 'byQueue') {
    throw reject('Invalid value for redrivePermission. Valid values are allowAll, denyAll and byQueue.');
  }
  const sources = json.sourceQueueArns;
  if (permission !== 'byQueue') {
    if (sources !== undefined) throw reject(`sourceQueueArns is only allowed when redrivePermission is byQueue.`);
    return { redrivePermission: permission, sourceQueueArns: [] };
  }
  if (!Array.isArray(sources) || sources.length === 0 || sources.length > MAX_ALLOWED_SOURCES
    || !sources.every((arn) => typeof arn === 'string' && queueNameFromArn(arn) !== undefined)) {
    throw reject(`sourceQueueArns must list 1 to ${MAX_ALLOWED_SOURCES} queue ARNs when redrivePermission is byQueue.`);
  }
  return { redrivePermission: permission, sourceQueueArns: sources as string[] };
}

export function allowsSource(policy: RedriveAllowPolicy, sourceArn: string): boolean {
  if (policy.redrivePermission === 'allowAll') return true;
  if (policy.redrivePermission === 'denyAll') return false;
  return policy.sourceQueueArns.includes(sourceArn);
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
