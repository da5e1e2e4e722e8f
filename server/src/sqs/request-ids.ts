/**
 * Request ids (`x-amzn-RequestId`, `<RequestId>`): UUID-shaped like SQS's, unique, but not random
 * each time. A random UUID per request drew from the crypto pool and built its string piece by
 * piece on every call; here a source takes the first 24 characters (through the version and
 * variant) of one random UUID and counts in the last 12 hex digits, so an id is one number
 * formatted and two strings joined. A new random prefix per source (i.e. per process) keeps ids
 * distinct across restarts.
 */
import { randomUUID } from 'node:crypto';

const PREFIX_LENGTH = 24; // "xxxxxxxx-xxxx-4xxx-yxxx-"
const COUNTER_DIGITS = 12;
const ZEROS = '0'.repeat(COUNTER_DIGITS);
const COUNTER_LIMIT = 16 ** COUNTER_DIGITS;

export function requestIdSource(random: () => string = randomUUID): () => string {
  let prefix = random().slice(0, PREFIX_LENGTH);
  let counter = 0;
  return () => {
    if (counter === COUNTER_LIMIT) {
      prefix = random().slice(0, PREFIX_LENGTH);
      counter = 0;
    }
    const hex = (counter++).toString(16);
    return prefix + ZEROS.slice(hex.length) + hex;
  };
}
