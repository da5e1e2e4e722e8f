/**
 * The engine accepts a queue as any URL whose last path segment is its name (or the bare name),
 * so two clients may spell the same queue differently. Waiters and wake-ups key by the queue's
 * id as the engine resolves the URL for the caller (`resolveQueueUrl`: account and region from
 * the URL or the caller; trailing slashes, query and fragment ignored), so a waiter and the
 * command that fills its queue always meet under one key, and the same name in two accounts or
 * regions never does. A URL that names no queue keys as itself: the receive parked on it fails
 * at once anyway.
 */
import { resolveQueueUrl, type Account } from '../engine/queue-address.js';

export function queueKeyOf(queueUrl: string, account: Account): string {
  return resolveQueueUrl(queueUrl, account)?.id ?? queueUrl;
}
