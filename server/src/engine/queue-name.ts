/** Queue name rules: 1–80 characters of alphanumerics, hyphens and underscores; FIFO queues
 *  must, and only FIFO queues may, end in `.fifo` (which counts towards the 80). */
import { SqsError } from './errors.js';

export const FIFO_SUFFIX = '.fifo';
const MAX_QUEUE_NAME_LENGTH = 80;
const NAME_BODY = /^[A-Za-z0-9_-]+$/;

export function isFifoName(name: string): boolean {
  return name.endsWith(FIFO_SUFFIX);
}

export function validateQueueName(name: string, fifo: boolean): void {
  const body = isFifoName(name) ? name.slice(0, -FIFO_SUFFIX.length) : name;
  if (name.length === 0 || name.length > MAX_QUEUE_NAME_LENGTH || !NAME_BODY.test(body)) {
    throw new SqsError(
      'InvalidParameterValue',
      'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    );
  }
  if (fifo && !isFifoName(name)) {
    throw new SqsError('InvalidParameterValue', 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.');
  }
  if (!fifo && isFifoName(name)) {
    throw new SqsError('InvalidParameterValue', 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
  }
}
