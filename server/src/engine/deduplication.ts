/** FIFO deduplication: which key a send is deduplicated under, per the queue's settings. */
import { createHash } from 'node:crypto';
import { SqsError } from './errors.js';
import type { Queue } from './queue.js';

/** The key under which a FIFO send is remembered for five minutes, or throws when the queue
 *  has no way to deduplicate it. */
export function deduplicationKey(queue: Queue, body: string, groupId: string, deduplicationId: string | undefined): { key: string; id: string } {
  let id = deduplicationId;
  if (id === undefined) {
    if (!queue.contentBasedDeduplication) {
      throw new SqsError(
        'InvalidParameterValue',
        'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      );
    }
    id = createHash('sha256').update(body, 'utf8').digest('hex');
  }
  // Group ids and deduplication ids cannot contain a newline, so the pair is unambiguous.
  return { key: queue.deduplicationPerGroup ? `${groupId}\n${id}` : id, id };
}

/** SQS sequence numbers are 128-bit decimals shown with at least 20 digits. */
export function formatSequenceNumber(seq: number): string {
  return String(seq).padStart(20, '0');
}
