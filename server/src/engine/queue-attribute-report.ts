/** GetQueueAttributes: which names exist, and the value of each for a queue at `now`. */
import type { EngineState } from './engine-state.js';
import type { Queue } from './queue.js';
import { unknownAttribute } from './queue-settings.js';

const COMPUTED = [
  'QueueArn', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed', 'CreatedTimestamp', 'LastModifiedTimestamp',
] as const;
const SETTABLE = [
  'VisibilityTimeout', 'MaximumMessageSize', 'MessageRetentionPeriod', 'DelaySeconds',
  'ReceiveMessageWaitTimeSeconds', 'Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled', 'FifoQueue', 'ContentBasedDeduplication',
  'DeduplicationScope', 'FifoThroughputLimit',
] as const;
const KNOWN = new Set<string>(['All', ...COMPUTED, ...SETTABLE]);
/** Names a standard queue does not know: asking one for them is InvalidAttributeName
 *  (aws-sdk-ruby#1350, confirmed by AWS). */
const FIFO_ONLY = new Set<string>(['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']);

export function reportQueueAttributes(
  state: EngineState,
  queue: Queue,
  requested: readonly string[] | undefined,
  now: number,
): Record<string, string> | undefined {
  if (requested === undefined || requested.length === 0) return undefined;
  for (const name of requested) {
    if (!KNOWN.has(name) || (!queue.fifo && FIFO_ONLY.has(name))) throw unknownAttribute(name);
  }
  const all = requested.includes('All');
  const wanted = (name: string): boolean => all || requested.includes(name);
  const report: Record<string, string> = {};
  const counts = queue.store.countsAt(now);
  const computed: Record<(typeof COMPUTED)[number], () => string> = {
    QueueArn: () => state.arnOf(queue),
    ApproximateNumberOfMessages: () => String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: () => String(counts.inFlight),
    ApproximateNumberOfMessagesDelayed: () => String(counts.delayed),
    CreatedTimestamp: () => String(Math.floor(queue.createdAt / 1000)),
    LastModifiedTimestamp: () => String(Math.floor(queue.modifiedAt / 1000)),
  };
  for (const name of COMPUTED) if (wanted(name)) report[name] = computed[name]();
  const settings = queue.attributes;
  for (const name of SETTABLE) {
    const value = name === 'FifoQueue' ? (queue.fifo ? 'true' : undefined) : settings[name];
    if (value !== undefined && wanted(name) && reported(name, settings)) report[name] = value;
  }
  return report;
}

/** The data key reuse period belongs to KMS encryption: set back to its default 300 without a
 *  KmsMasterKeyId, recorded SQS no longer reports it (LocalStack's AWS-validated
 *  test_set_queue_attributes_default_values: after KmsMasterKeyId '' and
 *  KmsDataKeyReusePeriodSeconds 300, GetQueueAttributes(All) shows neither). A period set to
 *  anything else, or next to a key, is reported. */
function reported(name: string, settings: Readonly<Record<string, string | undefined>>): boolean {
  if (name !== 'KmsDataKeyReusePeriodSeconds') return true;
  return (settings['KmsMasterKeyId'] ?? '') !== '' || settings[name] !== DEFAULT_KMS_REUSE_SECONDS;
}

const DEFAULT_KMS_REUSE_SECONDS = '300';
