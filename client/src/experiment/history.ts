/**
 * What happened in an experiment, as recorded: every operation with its invocation and completion
 * time, the node it went to, its outcome and the replication headers of its answer; every fault
 * with its start and end. Times are ms since the workload started. The checker reads only this.
 */
import type { NemesisKind } from './options.js';
import type { OperationKind } from './plan.js';

/**
 * - `ok`: the answer said it happened.
 * - `fail`: it certainly did not happen (the request never reached a node, or a 4xx error).
 * - `unknown`: it may or may not have happened (a timeout, a 5xx such as 503, a connection cut
 *   after the request was sent). Never counted as a failure.
 */
export type Outcome = 'ok' | 'fail' | 'unknown';

export type RecordedKind = OperationKind | 'delete' | 'delete-batch';

/** One message of a send (or a delete's target), with its own outcome: batches answer per entry. */
export interface SentEntry {
  id: string;
  outcome: Outcome;
  group?: string;
  dedupId?: string;
  seq?: number;
  /** SQS MessageId of an `ok` send. */
  messageId?: string;
  /** FIFO: SequenceNumber of an `ok` send. */
  sequenceNumber?: string;
  error?: string;
}

/** One message as a receive returned it. */
export interface Delivery {
  /** The experiment's own message id, read from the body; absent if the body is not one of ours. */
  id?: string;
  messageId: string;
  /** The body is exactly the one sent (length and content). */
  intact: boolean;
  group?: string;
  sequenceNumber?: string;
  receiveCount?: number;
}

/** A delete's target: the message and which delivery's receipt handle it used. */
export interface DeletedEntry {
  id?: string;
  messageId: string;
  /** `operation id:position` of the delivery whose receipt handle was used. */
  delivery: string;
  outcome: Outcome;
  error?: string;
}

export interface OperationRecord {
  /** Unique, in invocation order. */
  id: number;
  worker: string;
  kind: RecordedKind;
  queue: string;
  node: number;
  invokeMs: number;
  completeMs: number;
  outcome: Outcome;
  /** The SQS error code or the network error, for `fail` and `unknown`. */
  error?: string;
  /** `x-replimq-log-index` and `x-replimq-replicas` of the answer (writes). */
  logIndex?: number;
  replicas?: number;
  /** `true` for the heal-and-drain phase's operations. */
  drain?: boolean;
  sent?: SentEntry[];
  received?: Delivery[];
  deleted?: DeletedEntry[];
}

export interface FaultRecord {
  index: number;
  kind: NemesisKind;
  /** The nodes it hit (a resolved leader included). */
  nodes: number[];
  /** What was done, in words: `killed n2 (the leader)`. */
  description: string;
  startMs: number;
  /** When it was healed; absent if healing failed (see `error`). */
  endMs?: number;
  error?: string;
}

export interface History {
  operations: OperationRecord[];
  faults: FaultRecord[];
  /** When the workload stopped, the heal-and-drain phase started and ended. */
  workloadEndMs: number;
  drainStartMs: number;
  drainEndMs: number;
}
