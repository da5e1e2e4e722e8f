/**
 * Set-up helpers shared by the workloads: naming, creating and filling the round's queues.
 */
import { BATCH_IDS, fixedBody } from '../message-body.js';
import type { BatchEntry, SqsCaller } from '../loader/sqs-caller.js';
import type { WorkloadParams } from './workload.js';

/** Set-up runs this many calls at once: enough to fill quickly without swamping 2 cores. */
const SETUP_CONCURRENCY = 8;

/** Valid SQS queue name (≤ 80 characters) unique to the round. */
export function queueName(workload: string, params: WorkloadParams, index = 0, fifo = false): string {
  return `b-${params.roundTag}-${workload}-${index}`.slice(0, 75) + (fifo ? '.fifo' : '');
}

export const FIFO_ATTRIBUTES: Readonly<Record<string, string>> = { FifoQueue: 'true' };
export const FIFO_GROUPS = 10;

export async function createQueues(caller: SqsCaller, names: readonly string[], attributes?: Record<string, string>): Promise<string[]> {
  const urls: string[] = new Array<string>(names.length);
  await forEachConcurrently(names.length, async (index) => {
    urls[index] = await caller.createQueue(names[index]!, attributes);
  });
  return urls;
}

export async function deleteQueues(caller: SqsCaller, urls: readonly string[]): Promise<void> {
  await forEachConcurrently(urls.length, (index) => caller.deleteQueue(urls[index]!).catch(() => undefined));
}

/** Sends `count` messages in batches of 10; for FIFO queues spread over `FIFO_GROUPS` groups. */
export async function fillQueue(caller: SqsCaller, queueUrl: string, count: number, bodyBytes: number, fifoTag?: string): Promise<void> {
  const body = fixedBody(bodyBytes);
  const batches = Math.ceil(count / BATCH_IDS.length);
  await forEachConcurrently(batches, async (batch) => {
    const size = Math.min(BATCH_IDS.length, count - batch * BATCH_IDS.length);
    const entries: BatchEntry[] = BATCH_IDS.slice(0, size).map((id, index) => ({
      id,
      body,
      ...(fifoTag ? { fifo: { groupId: `g${index % FIFO_GROUPS}`, deduplicationId: `${fifoTag}-${batch}-${id}` } } : {}),
    }));
    await caller.sendMessageBatch(queueUrl, entries);
  });
}

async function forEachConcurrently(count: number, task: (index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(SETUP_CONCURRENCY, count) }, worker));
}
