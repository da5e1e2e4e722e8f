/**
 * What a workload is: `prepare` builds the round's queues (and fills them, for drains) outside
 * the measured window; the returned round's `measure` is the measured window itself.
 */
import type { LatencySummary } from '../latency-recorder.js';
import type { LoaderKind, SqsCaller } from '../loader/sqs-caller.js';

export type WorkloadName =
  | 'send' | 'send-batch' | 'receive-delete' | 'fifo-send' | 'fifo-receive-delete' | 'long-poll' | 'send-paced'
  | 'send-query' | 'idle-long-polls' | 'hold';

/** Everything that shapes a round; plain data, so it crosses to the loader process as JSON. */
export interface WorkloadParams {
  concurrency: number;
  /** Length of the measured window for timed workloads; the time cap for drains. */
  durationMs: number;
  bodyBytes: number;
  /** Queues the sends spread over (round-robin). */
  queues: number;
  /** Messages waiting in the queue when a drain starts. */
  depth: number;
  /** Messages a drain takes off the backlog before it stops (≤ depth). */
  drainCount: number;
  /** Long-poll: messages per second the producers send while consumers wait. */
  longPollRate: number;
  /** send-paced: messages per second offered. */
  pacedRate: number;
  /** Unique per round, so rounds never share queues: `[a-z0-9-]`. */
  roundTag: string;
}

export interface Measurement {
  /** Messages sent, or received and deleted, successfully. */
  messages: number;
  /** Failed calls (each counted once, never retried). */
  errors: number;
  firstError?: string;
  elapsedMs: number;
  /** Per call (send, batch) or per receive+delete pair; send→receive for long-poll. */
  latency: LatencySummary;
}

export interface WorkloadContext {
  endpoint: string;
  loader: LoaderKind;
  /** The loader under test, with `concurrency` keep-alive connections. */
  caller: SqsCaller;
  /** A raw-HTTP caller for set-up (queue creation, prefill): fast, and never measured. */
  setupCaller: SqsCaller;
  /** Another caller of the loader under test (long-poll producers need their own connections). */
  makeCaller(connections: number): SqsCaller;
  params: WorkloadParams;
}

export interface PreparedRound {
  measure(): Promise<Measurement>;
  cleanup(): Promise<void>;
}

export interface Workload {
  readonly name: WorkloadName;
  prepare(context: WorkloadContext): Promise<PreparedRound>;
}
