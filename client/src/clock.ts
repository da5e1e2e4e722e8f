/**
 * Time behind every wait of the testkit, injectable so that the waiting logic is tested without
 * real time passing.
 */
import { WaitTimeoutError } from './errors.js';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  clock?: Clock;
}

/**
 * Polls `check` until it returns a value other than `undefined`, and returns it. On timeout,
 * throws a `WaitTimeoutError` naming `what` and, if given, what the last poll saw.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  { timeoutMs, intervalMs = 100, clock = systemClock }: WaitOptions,
  describeLastSeen?: () => string,
): Promise<T> {
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== undefined) return result;
    if (clock.now() >= deadline) {
      const seen = describeLastSeen ? `; last seen: ${describeLastSeen()}` : '';
      throw new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${what}${seen}`);
    }
    await clock.sleep(intervalMs);
  }
}
