/**
 * A scenario is one line of the results: a workload, through one loader, at one concurrency and
 * one point of a scale dimension, measured against one system.
 */
import type { LoaderKind } from './loader/sqs-caller.js';
import type { WorkloadName, WorkloadParams } from './workloads/workload.js';
import type { SystemDefinition } from './systems/system.js';

/** Which table a scenario belongs to: the headline comparison or one scale dimension. */
export type ScenarioGroup = 'headline' | 'depth' | 'size' | 'queues' | 'cluster-size' | 'sync' | 'consumers' | 'memory' | 'follower';

export interface Scenario {
  group: ScenarioGroup;
  workload: WorkloadName;
  loader: LoaderKind;
  params: Omit<WorkloadParams, 'roundTag'>;
  rounds: number;
  warmupMs: number;
  /**
   * Open-loop workloads: offer this fraction of the messages/s the same system reached in
   * another scenario of this run (its rate is set when that row exists).
   */
  pacedFraction?: { fraction: number; of: Pick<ResultRow, 'workload' | 'loader' | 'concurrency'> };
}

/** One system and the scenarios to run against it while it is up. */
export interface PlanStep {
  system: SystemDefinition;
  scenarios: Scenario[];
}

/** The figures of one scenario: medians over its rounds. */
export interface ResultRow {
  group: ScenarioGroup;
  system: string;
  nodes: number;
  workload: WorkloadName;
  loader: LoaderKind;
  concurrency: number;
  bodyBytes: number;
  queues: number;
  depth?: number;
  rounds: number;
  messagesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Server CPU seconds (user + system, summed over nodes) per 10,000 messages. */
  serverCpuPer10k: number;
  loaderCpuPer10k: number;
  /** Peak RSS (VmHWM) in MiB, summed over nodes, during the rounds (set-up included). */
  peakRssMiB: number;
  /** RSS (VmRSS) in MiB at the end of the measured window, summed over nodes: what is held. */
  rssMiB?: number;
  /** Server CPU over the measured window as % of one core (idle workloads: what waiting costs). */
  serverCpuPercentOfCore?: number;
  errors: number;
  firstError?: string;
  /** send-paced: messages/s offered (open loop). */
  offeredRate?: number;
  /**
   * Median share of the machine's CPU taken by processes outside the benchmark during the rounds
   * (this machine is shared): high values mean the figures are depressed and noisy.
   */
  backgroundCpuPercent?: number;
  /**
   * Clusters, sampled every 50 ms from every node's /cluster: followers' lag in log entries (the
   * leader's view) and in time (how long ago the leader applied the oldest entry a follower lacks).
   */
  lagP99Entries?: number;
  lagMaxEntries?: number;
  lagP99Ms?: number;
  lagMaxMs?: number;
  /** Same scenario on fauxqs / on the ceiling in this run: this figure divided by theirs. */
  vsFauxqs?: Ratios;
  /** Which fauxqs `vsFauxqs` divides by: the faster of fauxqs 1.x and 2.x in this scenario. */
  vsFauxqsSystem?: string;
  vsCeiling?: Ratios;
  skipped?: string;
}

export interface Ratios {
  messagesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  serverCpuPer10k: number;
  peakRssMiB: number;
}

/** The columns that say what a row is about, whatever its figures. */
export function rowIdentity(system: string, nodes: number, scenario: Scenario) {
  return {
    group: scenario.group,
    system,
    nodes,
    workload: scenario.workload,
    loader: scenario.loader,
    concurrency: scenario.params.concurrency,
    bodyBytes: scenario.params.bodyBytes,
    queues: scenario.params.queues,
    ...(scenario.workload.includes('receive-delete') || scenario.workload === 'hold' ? { depth: scenario.params.depth } : {}),
  } satisfies Partial<ResultRow>;
}

/** Rows that compare with each other: same workload, loader and point on every dimension. */
export function comparisonKey(row: Pick<ResultRow, 'group' | 'workload' | 'loader' | 'concurrency' | 'bodyBytes' | 'queues' | 'depth'>): string {
  return [row.group, row.workload, row.loader, row.concurrency, row.bodyBytes, row.queues, row.depth ?? '-'].join('|');
}
