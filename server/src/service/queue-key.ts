/**
 * The engine accepts a queue as any URL whose last path segment is its name (or the bare name),
 * so two clients may spell the same queue differently. Waiters and wake-ups key by the name.
 */
export function queueKeyOf(queueUrl: string): string {
  // Asked for every command applied: no regex unless the URL ends in a slash.
  const trimmed = queueUrl.endsWith('/') ? queueUrl.replace(/\/+$/, '') : queueUrl;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
