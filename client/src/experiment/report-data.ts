/**
 * The numbers the report's plots draw, computed from the history (pure): per node and time
 * bucket, completed operations per second, latency (median and 99th percentile of `ok`
 * operations) and errors per second (`fail` and `unknown`); the fault windows; the phases.
 */
import type { History, OperationRecord } from './history.js';

export interface NodeSeries {
  node: number;
  /** `ok` operations completed per second, per bucket. */
  throughput: number[];
  /** ms; null where no `ok` operation completed. */
  latencyP50: (number | null)[];
  latencyP99: (number | null)[];
  /** `fail` and `unknown` operations per second, per bucket. */
  errors: number[];
}

export interface FaultWindow {
  index: number;
  kind: string;
  description: string;
  startMs: number;
  endMs: number;
}

export interface PlotData {
  bucketMs: number;
  buckets: number;
  endMs: number;
  workloadEndMs: number;
  drainEndMs: number;
  nodes: NodeSeries[];
  faults: FaultWindow[];
}

const TARGET_BUCKETS = 120;

export function plotData(history: History, nodes: number): PlotData {
  const endMs = history.operations.reduce((latest, operation) => Math.max(latest, operation.completeMs), Math.max(history.drainEndMs, 1));
  const bucketMs = Math.max(250, Math.ceil(endMs / TARGET_BUCKETS / 250) * 250);
  const buckets = Math.ceil(endMs / bucketMs) + 1;
  const perSecond = 1000 / bucketMs;
  const series: NodeSeries[] = [];
  for (let node = 1; node <= nodes; node += 1) {
    const byBucket: OperationRecord[][] = Array.from({ length: buckets }, () => []);
    for (const operation of history.operations) {
      if (operation.node === node) byBucket[Math.floor(operation.completeMs / bucketMs)]!.push(operation);
    }
    const latencies = byBucket.map((operations) =>
      operations.filter((operation) => operation.outcome === 'ok').map((operation) => operation.completeMs - operation.invokeMs).sort((a, b) => a - b),
    );
    series.push({
      node,
      throughput: byBucket.map((operations) => round(operations.filter((operation) => operation.outcome === 'ok').length * perSecond)),
      latencyP50: latencies.map((sorted) => percentile(sorted, 0.5)),
      latencyP99: latencies.map((sorted) => percentile(sorted, 0.99)),
      errors: byBucket.map((operations) => round(operations.filter((operation) => operation.outcome !== 'ok').length * perSecond)),
    });
  }
  return {
    bucketMs,
    buckets,
    endMs,
    workloadEndMs: history.workloadEndMs,
    drainEndMs: history.drainEndMs,
    nodes: series,
    faults: history.faults.map((fault) => ({
      index: fault.index,
      kind: fault.kind,
      description: fault.description,
      startMs: fault.startMs,
      endMs: fault.endMs ?? history.drainEndMs,
    })),
  };
}

/** Nearest-rank percentile of an ascending list; null when empty. */
export function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  return round(sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
