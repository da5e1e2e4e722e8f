/**
 * What an experiment reports while it runs (`onProgress`), and the one-line form the command line
 * prints: `workload 12.0/30.0 s  ops 1432 (ok 1390, unknown 30, fail 12)  fault 3: paused n2 for 4000 ms`.
 */
export type ExperimentPhase = 'setup' | 'workload' | 'heal-and-drain' | 'convergence' | 'done';

export interface ExperimentProgress {
  phase: ExperimentPhase;
  /** ms since the workload started (0 during setup). */
  elapsedMs: number;
  durationMs: number;
  operations: number;
  ok: number;
  fail: number;
  unknown: number;
  /** Faults started so far. */
  faults: number;
  /** The fault in force now, in words. */
  fault?: string;
}

export function formatProgress(progress: ExperimentProgress): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(1);
  const clock = progress.phase === 'workload' ? ` ${seconds(Math.min(progress.elapsedMs, progress.durationMs))}/${seconds(progress.durationMs)} s` : ` ${seconds(progress.elapsedMs)} s`;
  const fault = progress.fault ? `  fault ${progress.faults}: ${progress.fault}` : progress.faults ? `  ${progress.faults} faults` : '';
  return `${progress.phase}${clock}  ops ${progress.operations} (ok ${progress.ok}, unknown ${progress.unknown}, fail ${progress.fail})${fault}`;
}
