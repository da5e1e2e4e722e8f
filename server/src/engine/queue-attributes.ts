/**
 * Settable attributes in context: defaults at creation, merging on SetQueueAttributes, and the
 * rules that involve other queues (a redrive target must exist, be of the same type and accept
 * this source).
 */
import type { EngineState } from './engine-state.js';
import { SqsError } from './errors.js';
import { queueArn, sameAccount, type Account } from './queue-address.js';
import { FIFO_DEFAULTS, QUEUE_DEFAULTS, invalidAttributeValue, normaliseSettableAttributes } from './queue-settings.js';
import {
  allowsSource, formatRedrivePolicy, invalidParameter, parseRedriveAllowPolicy, parseRedrivePolicy,
} from './redrive-policy.js';

/** The queue the settings are for (it may not exist yet). */
export interface QueueOwner {
  readonly account: Account;
  readonly name: string;
}

/** Attributes that a blank value removes. */
const REMOVABLE = new Set(['Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId']);
const DEFAULT_KMS_REUSE_PERIOD = '300';

/** The full settings of a new queue (`current` undefined) or of an existing one after an update. */
export function resolveSettings(
  state: EngineState,
  queue: QueueOwner,
  fifo: boolean,
  given: Readonly<Record<string, string>>,
  current: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const changes = normaliseSettableAttributes(given, fifo, current === undefined);
  const settings: Record<string, string> = current === undefined
    ? { ...QUEUE_DEFAULTS, ...(fifo ? FIFO_DEFAULTS : {}) }
    : { ...current };
  for (const [name, value] of Object.entries(changes)) {
    if (REMOVABLE.has(name) && value === '') delete settings[name];
    else settings[name] = value;
  }
  if (fifo) checkThroughputPairing(settings, changes);
  if (changes.Policy) checkPolicyDocument(changes.Policy);
  if (changes.RedriveAllowPolicy) {
    const allow = parseRedriveAllowPolicy(changes.RedriveAllowPolicy);
    settings.RedriveAllowPolicy = JSON.stringify(
      allow.redrivePermission === 'byQueue' ? allow : { redrivePermission: allow.redrivePermission },
    );
  }
  if (changes.RedrivePolicy) {
    settings.RedrivePolicy = checkRedriveTarget(state, queue, fifo, changes.RedrivePolicy);
  }
  if (changes.KmsMasterKeyId) {
    if (changes.SqsManagedSseEnabled === 'true') {
      throw new SqsError('InvalidAttributeName', 'You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.');
    }
    settings.SqsManagedSseEnabled = 'false';
    settings.KmsDataKeyReusePeriodSeconds ??= DEFAULT_KMS_REUSE_PERIOD;
  }
  if (changes.SqsManagedSseEnabled === 'true') delete settings.KmsMasterKeyId;
  return settings;
}

/** API reference: "The perMessageGroupId value is allowed only when the value for
 *  DeduplicationScope is messageGroup." Checked on the merged settings, so either attribute may
 *  be the one that breaks the pair; the error names the one this request changed. */
function checkThroughputPairing(settings: Readonly<Record<string, string>>, changes: Readonly<Record<string, string>>): void {
  if (settings.FifoThroughputLimit !== 'perMessageGroupId' || settings.DeduplicationScope === 'messageGroup') return;
  const culprit = changes.FifoThroughputLimit !== undefined ? 'FifoThroughputLimit' : 'DeduplicationScope';
  throw invalidAttributeValue(culprit, 'perMessageGroupId is allowed only when DeduplicationScope is messageGroup.');
}

function checkPolicyDocument(text: string): void {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw invalidAttributeValue('Policy');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw invalidAttributeValue('Policy');
}

/** Returns the normalised policy text once the target fits. */
function checkRedriveTarget(state: EngineState, source: QueueOwner, fifo: boolean, text: string): string {
  const policy = parseRedrivePolicy(text);
  const target = state.queueByArn(policy.deadLetterTargetArn);
  // A dead-letter queue is in its source's account and region (Developer Guide).
  if (target === undefined || !sameAccount(target.account, source.account)) throw invalidParameter('RedrivePolicy', text, 'Dead letter target does not exist.');
  if (target.fifo !== fifo) {
    throw invalidParameter('RedrivePolicy', text, 'Dead-letter queue must be same type of queue as the source.');
  }
  const allowText = target.attributes.RedriveAllowPolicy;
  const sourceArn = queueArn(source.account, source.name);
  if (allowText !== undefined && !allowsSource(parseRedriveAllowPolicy(allowText), sourceArn)) {
    throw invalidParameter('RedrivePolicy', text, `Queue ${sourceArn} is not allowed to use ${policy.deadLetterTargetArn} as its dead-letter queue.`);
  }
  return formatRedrivePolicy(policy);
}
