/**
 * A fingerprint of a node's whole state (`GET /state/digest`): a SHA-256 over its records in key
 * order. Two nodes at the same applied index must show the same digest; tests compare them to
 * see that replication left every node with identical queues and messages, without forwarding.
 */
import { createHash } from 'node:crypto';
import type { QueueEngine } from '../engine/queue-engine.js';

export interface StateDigest {
  digest: string;
  records: number;
}

export function stateDigest(engine: QueueEngine): StateDigest {
  const records = [...engine.exportRecords()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const hash = createHash('sha256');
  for (const [key, value] of records) hash.update(key).update('\u0000').update(value).update('\u0001');
  return { digest: hash.digest('hex'), records: records.length };
}
