/**
 * Queues a node creates at start-up, written into the node's config file (`--config`), like
 * ElasticMQ's `queues {}` block.
 */
import { InvalidOptionError } from './errors.js';

export interface QueueConfig {
  /** 1-80 characters: letters, digits, `-`, `_`; FIFO queues end in `.fifo`. */
  name: string;
  /** CreateQueue attributes (`VisibilityTimeout`, `FifoQueue`, …), as strings like SQS takes them. */
  attributes?: Record<string, string>;
  tags?: Record<string, string>;
  /** This queue's dead-letter queue (another queue of the same config). */
  deadLetterQueue?: { name: string; maxReceiveCount: number };
}

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

export function validateQueues(queues: readonly QueueConfig[]): QueueConfig[] {
  const names = new Set<string>();
  for (const queue of queues) {
    checkQueueName(queue.name);
    if (names.has(queue.name)) throw new InvalidOptionError(`queue "${queue.name}" is configured twice`);
    names.add(queue.name);
    for (const [key, value] of Object.entries({ ...queue.attributes, ...queue.tags })) {
      if (typeof value !== 'string') {
        throw new InvalidOptionError(`queue "${queue.name}": "${key}" must be a string, as SQS takes it`);
      }
    }
  }
  for (const queue of queues) {
    const dlq = queue.deadLetterQueue;
    if (!dlq) continue;
    if (!names.has(dlq.name)) {
      throw new InvalidOptionError(`queue "${queue.name}": dead-letter queue "${dlq.name}" is not configured`);
    }
    if (!Number.isInteger(dlq.maxReceiveCount) || dlq.maxReceiveCount < 1 || dlq.maxReceiveCount > 1000) {
      throw new InvalidOptionError(`queue "${queue.name}": maxReceiveCount must be an integer from 1 to 1000`);
    }
  }
  return queues.map((queue) => structuredClone(queue));
}

/** The config file's text (JSON, which is also YAML). */
export function renderConfigFile(queues: readonly QueueConfig[]): string {
  const definitions = queues.map((queue) => ({
    name: queue.name,
    attributes: queue.attributes ?? {},
    tags: queue.tags ?? {},
    ...(queue.deadLetterQueue ? { deadLetterQueue: queue.deadLetterQueue } : {}),
  }));
  return `${JSON.stringify({ queues: definitions }, null, 2)}\n`;
}

function checkQueueName(name: string): void {
  const base = name.endsWith('.fifo') ? name.slice(0, -'.fifo'.length) : name;
  if (!QUEUE_NAME.test(base) || name.length > 80) {
    throw new InvalidOptionError(
      `queue name "${name}" must be 1-80 letters, digits, "-" or "_" (FIFO: ending in ".fifo")`,
    );
  }
}
