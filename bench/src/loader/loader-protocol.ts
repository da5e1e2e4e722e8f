/**
 * Messages between the benchmark and its loader process. The loader runs in a process of its own
 * so that its CPU time is measured apart from the servers' and from the orchestration.
 */
import type { LoaderKind } from './sqs-caller.js';
import type { Measurement, WorkloadName, WorkloadParams } from '../workloads/workload.js';

export interface PrepareRequest {
  type: 'prepare';
  endpoint: string;
  loader: LoaderKind;
  workload: WorkloadName;
  params: WorkloadParams;
}

export interface RoundRequest {
  type: 'measure' | 'cleanup';
}

export type LoaderRequest = (PrepareRequest | RoundRequest) & { id: number };

/** What a measured window cost the loader, next to what it measured. */
export interface LoaderMeasurement extends Measurement {
  loaderCpuSeconds: number;
}

export type LoaderReply =
  | { id: number; ok: true; measurement?: LoaderMeasurement }
  | { id: number; ok: false; error: string };
