/**
 * The engine accepts a queue as any URL whose last path segment is its name (or the bare name),
 * so two clients may spell the same queue differently. Waiters and wake-ups key by the name.
 */
export function queueKeyOf(queueUrl: string): string {
  const trimmed = queueUrl.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
