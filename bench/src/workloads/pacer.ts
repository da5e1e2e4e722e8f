/**
 * Open-loop load: calls started at a fixed rate whether or not earlier ones have answered, so a
 * slow server shows as latency (and lag) rather than as a lower offered load.
 */
import { performance } from 'node:perf_hooks';

const TICK_MS = 5;

export interface PaceOptions {
  ratePerSecond: number;
  durationMs: number;
  /** Beyond this many outstanding calls a due call is not started: `overloaded` is told. */
  maxInFlight: number;
  call(): Promise<void>;
  overloaded(): void;
}

/** Resolves when the window has closed and every started call has settled; returns the window. */
export async function pace(options: PaceOptions): Promise<{ elapsedMs: number }> {
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  let due = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - started;
      if (elapsed >= options.durationMs) {
        clearInterval(timer);
        resolve();
        return;
      }
      for (const target = Math.floor((options.ratePerSecond * elapsed) / 1000); due < target; due++) {
        if (inFlight.size >= options.maxInFlight) {
          options.overloaded();
          continue;
        }
        const call: Promise<void> = options.call().finally(() => inFlight.delete(call));
        inFlight.add(call);
      }
    }, TICK_MS);
  });
  const elapsedMs = performance.now() - started;
  await Promise.allSettled(inFlight);
  return { elapsedMs };
}
