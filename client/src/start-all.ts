/**
 * Starts every node concurrently; if any fails, stops the ones that came up and rethrows the
 * first failure, so a failed cluster start leaves nothing running.
 */
export async function startAllOrNone<T extends { stop(): Promise<unknown> }>(
  numbers: readonly number[],
  start: (number: number) => Promise<T>,
): Promise<T[]> {
  const results = await Promise.allSettled(numbers.map((number) => start(number)));
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (!failure) return results.map((result) => (result as PromiseFulfilledResult<T>).value);
  await Promise.allSettled(
    results.flatMap((result) => (result.status === 'fulfilled' ? [result.value.stop()] : [])),
  );
  throw failure.reason;
}
