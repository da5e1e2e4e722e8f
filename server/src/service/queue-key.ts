/**
 * The engine accepts a queue as any URL whose last path segment is its name (or the bare name),
 * so two clients may spell the same queue differently. Waiters and wake-ups key by the name, as
 * the engine reads it (`queueNameFromUrl`: trailing slashes, query and fragment ignored), so a
 * waiter and the command that fills its queue always meet under one key. A URL that names no
 * queue keys as itself: the receive parked on it fails at once anyway.
 */
import { queueNameFromUrl } from '../engine/queue-address.js';

export function queueKeyOf(queueUrl: string): string {
  return queueNameFromUrl(queueUrl) ?? queueUrl;
}
