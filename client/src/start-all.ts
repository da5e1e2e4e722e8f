import { WaitTimeoutError } from './errors.js';

/**
 * Starts every node concurrently; if any fails, stops the ones that came up and rethrows the
 * most telling failure, so a failed cluster start leaves nothing running: a node that crashed or
 * exited explains the others' timeouts (they waited for a leader it would have helped elect), so
 * it is named before any node that only ran out of time.
 */
export async function startAllOrNone<T extends { stop(): Promise<unknown> }>(
  numbers: readonly number[],
  start: (number: number) => Promise<T>,
): Promise<T[]> {
  const results = await Promise.allSettled(numbers.map((number) => start(number)));
  const failures = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  const failure = failures.find((result) => !timedOut(result.reason)) ?? failures[0];
  if (!failure) return results.map((result) => (result as PromiseFulfilledResult<T>).value);
  await Promise.allSettled(
    results.flatMap((result) => (result.status === 'fulfilled' ? [result.value.stop()] : [])),
  );
  throw failure.reason;
}

function timedOut(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof WaitTimeoutError) return true;
  }
  return false;
}
