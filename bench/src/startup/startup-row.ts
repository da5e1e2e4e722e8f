/**
 * One start-up row: how long a system takes from spawn to serving, over a few fresh starts, and
 * how many elections it held beyond the one a fresh cluster needs.
 */
export type StartupSubject = 'single' | 'process-cluster' | 'container-cluster';

export interface StartupRow {
  kind: 'startup';
  group: 'startup';
  system: string;
  subject: StartupSubject;
  nodes: number;
  /** `loaded`: one busy-looping process per core ran beside the start (a busy 2-core CI box). */
  load: 'idle' | 'loaded';
  samples: number;
  /** Spawn → ready (single: first SQS answer; cluster: every node's /health 200), median. */
  readyMs: number;
  minMs: number;
  maxMs: number;
  /**
   * Elections beyond the first, summed over the samples: the highest term any node reported a
   * settle period after ready, minus the term a first election gives.
   */
  spuriousElections: number;
  /** Share of the machine's CPU used by others while starting (busy loops included when loaded). */
  backgroundCpuPercent?: number;
  /** What else the row depends on (containers: the image and when it was built). */
  note?: string;
  skipped?: string;
}

/**
 * Elections beyond the first: terms are 0 before any election and the first one wins term 1, so
 * every term above 1 is an election that should not have happened on a fresh start.
 */
export function spuriousElections(terms: readonly number[]): number {
  const highest = Math.max(0, ...terms);
  return Math.max(0, highest - 1);
}
