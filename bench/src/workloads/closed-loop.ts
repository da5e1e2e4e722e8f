/**
 * `concurrency` workers each repeating one call as soon as the previous answered (closed loop),
 * until the window ends or the workload says it is done. Latency is recorded per successful call that moved messages.
 */
import { performance } from 'node:perf_hooks';
import { LatencyRecorder } from '../latency-recorder.js';
import { ErrorTally } from './error-tally.js';
import type { Measurement } from './workload.js';

/** A broken server should end the round, not spin: stop after this many errors and no success. */
const ERRORS_BEFORE_GIVING_UP = 200;

export interface ClosedLoopOptions {
  concurrency: number;
  durationMs: number;
  /** One call; resolves with the messages it moved. `sequence` counts calls across workers. */
  iteration(sequence: number): Promise<number>;
  /** Checked before every call: true ends the worker early (drains). */
  done?(messagesSoFar: number): boolean;
}

export async function closedLoop(options: ClosedLoopOptions): Promise<Measurement> {
  const recorder = new LatencyRecorder();
  let messages = 0;
  const errors = new ErrorTally();
  let sequence = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;

  const worker = async (): Promise<void> => {
    while (performance.now() < deadline && !options.done?.(messages)) {
      if (errors.count >= ERRORS_BEFORE_GIVING_UP && messages === 0) return;
      const callStarted = performance.now();
      try {
        const moved = await options.iteration(sequence++);
        // Empty receives at the end of a drain are not the per-message cost being measured.
        if (moved > 0) recorder.record(performance.now() - callStarted);
        messages += moved;
      } catch (error) {
        errors.record(error);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { messages, errors: errors.count, firstError: errors.first, elapsedMs: performance.now() - started, latency: recorder.summary() };
}
