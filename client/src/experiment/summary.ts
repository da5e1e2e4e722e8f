/**
 * The verdict of an experiment: per ack mode what the checker counted, the mode's promise and
 * whether it was kept; whether every node converged to the same state; and the totals.
 */
import type { AckMode } from '../node-options.js';
import { checkHistory } from './checker.js';
import type { DeliveryCounts } from './checker.js';
import type { NodeDigest } from './digests.js';
import type { History } from './history.js';
import type { PlannedQueue } from './plan.js';
import { ACK_MODE_PROMISES, brokenPromises } from './promises.js';

export interface AckModeSummary extends DeliveryCounts {
  ackMode: AckMode;
  promise: string;
  kept: boolean;
  /** What broke the promise, in words; empty when kept. */
  broken: string[];
}

export interface ExperimentSummary {
  byAckMode: Partial<Record<AckMode, AckModeSummary>>;
  /** Every node answered the same state digest at the same applied index after heal-and-drain. */
  converged: boolean;
  digests: NodeDigest[];
  /** Every queue was empty at the end of the drain (else `lost` may count messages still queued). */
  drained: boolean;
  undrainedQueues: string[];
  /** Every ack mode kept its promise and the cluster converged. */
  promisesKept: boolean;
  operations: { total: number; ok: number; fail: number; unknown: number };
  faults: number;
}

export interface SummaryInput {
  queues: readonly PlannedQueue[];
  history: History;
  visibilityTimeoutMs: number;
  digests: NodeDigest[];
  undrainedQueues: string[];
}

export function summarize({ queues, history, visibilityTimeoutMs, digests, undrainedQueues }: SummaryInput): ExperimentSummary {
  const counted = checkHistory(queues, history, { visibilityTimeoutMs });
  const byAckMode: Partial<Record<AckMode, AckModeSummary>> = {};
  for (const [ackMode, counts] of Object.entries(counted) as [AckMode, DeliveryCounts][]) {
    const broken = brokenPromises(ackMode, counts);
    byAckMode[ackMode] = { ackMode, ...counts, promise: ACK_MODE_PROMISES[ackMode].promise, kept: broken.length === 0, broken };
  }
  const converged = digestsAgree(digests);
  const outcomes = history.operations.map((operation) => operation.outcome);
  return {
    byAckMode,
    converged,
    digests,
    drained: undrainedQueues.length === 0,
    undrainedQueues,
    promisesKept: converged && Object.values(byAckMode).every((mode) => mode.kept),
    operations: {
      total: outcomes.length,
      ok: outcomes.filter((outcome) => outcome === 'ok').length,
      fail: outcomes.filter((outcome) => outcome === 'fail').length,
      unknown: outcomes.filter((outcome) => outcome === 'unknown').length,
    },
    faults: history.faults.length,
  };
}

/** Every node answered, at the same applied index, with the same digest. */
export function digestsAgree(digests: readonly NodeDigest[]): boolean {
  if (digests.length === 0 || digests.some((node) => node.digest === undefined)) return false;
  return new Set(digests.map((node) => `${node.appliedIndex}/${node.digest}`)).size === 1;
}
