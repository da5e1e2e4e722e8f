/**
 * Measuring one scenario on a running system: a warm-up round, then `rounds` measured rounds,
 * each with the server's CPU time and peak memory read from /proc around the measured window and,
 * for clusters, the replication lag sampled during it. The row holds each figure's median.
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { median, percentile } from './latency-recorder.js';
import type { LoaderClient } from './loader/loader-client.js';
import type { LoaderMeasurement } from './loader/loader-protocol.js';
import { cpuSeconds, currentRssBytes, machineBusySeconds, peakRssBytes, resetPeakRss } from './proc-stats.js';
import { rowIdentity, type ResultRow, type Scenario } from './scenario.js';
import { ReplicationLagTracker } from './systems/cluster-status.js';
import type { RunningSystem, SystemDefinition } from './systems/system.js';
import type { WorkloadParams } from './workloads/workload.js';

const LAG_SAMPLE_INTERVAL_MS = 50;
const SETTLE_AFTER_FILL_MS = 300;

export interface RoundFigures {
  measurement: LoaderMeasurement;
  serverCpuSeconds: number;
  /** Share of the machine's CPU used by processes outside this benchmark during the window. */
  backgroundCpuPercent: number;
  peakRssBytes: number;
  /** RSS at the end of the window. */
  rssBytes: number;
  lagEntries: number[];
  lagMs: number[];
}

/** Warm-up and all rounds of one scenario on one system, back to back. */
export async function measureScenario(definition: SystemDefinition, system: RunningSystem, loader: LoaderClient, scenario: Scenario): Promise<ResultRow> {
  await warmUp(system, loader, scenario);
  const rounds: RoundFigures[] = [];
  for (let round = 0; round < scenario.rounds; round++) rounds.push(await measureRound(system, loader, scenario));
  return summarize(definition, scenario, rounds);
}

/** Queues a warm-up round creates at most: it warms code paths, not the scale point's state. */
const WARMUP_MAX_QUEUES = 100;

/** A short unrecorded round (on a backlog no deeper than one drain) so JIT and caches settle. */
export async function warmUp(system: RunningSystem, loader: LoaderClient, scenario: Scenario): Promise<void> {
  const depth = Math.min(scenario.params.depth, scenario.params.drainCount);
  const queues = Math.min(scenario.params.queues, WARMUP_MAX_QUEUES);
  await runRound(system, loader, scenario, { ...scenario.params, durationMs: scenario.warmupMs, depth, queues, roundTag: newTag() });
}

export function measureRound(system: RunningSystem, loader: LoaderClient, scenario: Scenario): Promise<RoundFigures> {
  return runRound(system, loader, scenario, { ...scenario.params, roundTag: newTag() });
}

async function runRound(system: RunningSystem, loader: LoaderClient, scenario: Scenario, params: WorkloadParams): Promise<RoundFigures> {
  for (const pid of system.pids) resetPeakRss(pid);
  await loader.prepare({ endpoint: system.endpoint, loader: scenario.loader, workload: scenario.workload, params });
  // After a large set-up (a filled backlog) the server may still be collecting its garbage.
  if (params.depth > 0 && scenario.workload.includes('receive-delete')) await new Promise((resolve) => setTimeout(resolve, SETTLE_AFTER_FILL_MS));
  const cpuBefore = totalCpu(system);
  const machineBefore = machineBusySeconds();
  const ownBefore = process.cpuUsage();
  const lag = startLagSampler(system.adminUrls);
  try {
    const measurement = await loader.measure();
    const serverCpuSeconds = totalCpu(system) - cpuBefore;
    const own = process.cpuUsage(ownBefore);
    const othersSeconds = machineBusySeconds() - machineBefore - serverCpuSeconds - measurement.loaderCpuSeconds - (own.user + own.system) / 1e6;
    const backgroundCpuPercent = Math.max(0, (othersSeconds / ((measurement.elapsedMs / 1000) * cpus().length)) * 100);
    const lagSamples = await lag.stop();
    const rss = system.pids.reduce((sum, pid) => sum + peakRssBytes(pid), 0);
    const rssNow = system.pids.reduce((sum, pid) => sum + currentRssBytes(pid), 0);
    return { measurement, serverCpuSeconds, backgroundCpuPercent, peakRssBytes: rss, rssBytes: rssNow, lagEntries: lagSamples.entries, lagMs: lagSamples.milliseconds };
  } finally {
    await lag.stop();
    await loader.cleanup();
  }
}

export function summarize(definition: SystemDefinition, scenario: Scenario, rounds: RoundFigures[]): ResultRow {
  const per10k = (seconds: number, messages: number): number => (messages > 0 ? (seconds / messages) * 10_000 : 0);
  const of = (figure: (round: RoundFigures) => number): number => median(rounds.map(figure));
  const lagEntries = rounds.flatMap((round) => round.lagEntries).sort((a, b) => a - b);
  const lagMs = rounds.flatMap((round) => round.lagMs).sort((a, b) => a - b);
  const errors = rounds.reduce((sum, round) => sum + round.measurement.errors, 0);
  const firstError = rounds.find((round) => round.measurement.firstError)?.measurement.firstError;
  return {
    ...rowIdentity(definition.name, definition.nodes, scenario),
    rounds: rounds.length,
    messagesPerSecond: of((round) => round.measurement.messages / (round.measurement.elapsedMs / 1000)),
    p50Ms: of((round) => round.measurement.latency.p50Ms),
    p99Ms: of((round) => round.measurement.latency.p99Ms),
    maxMs: Math.max(...rounds.map((round) => round.measurement.latency.maxMs)),
    serverCpuPer10k: of((round) => per10k(round.serverCpuSeconds, round.measurement.messages)),
    loaderCpuPer10k: of((round) => per10k(round.measurement.loaderCpuSeconds, round.measurement.messages)),
    peakRssMiB: of((round) => round.peakRssBytes / 1024 / 1024),
    rssMiB: of((round) => round.rssBytes / 1024 / 1024),
    serverCpuPercentOfCore: of((round) => (round.serverCpuSeconds / (round.measurement.elapsedMs / 1000)) * 100),
    errors,
    backgroundCpuPercent: of((round) => round.backgroundCpuPercent),
    ...(firstError ? { firstError } : {}),
    ...(scenario.params.pacedRate ? { offeredRate: scenario.params.pacedRate } : {}),
    ...(lagEntries.length ? { lagP99Entries: percentile(lagEntries, 0.99), lagMaxEntries: lagEntries[lagEntries.length - 1]! } : {}),
    ...(lagMs.length ? { lagP99Ms: percentile(lagMs, 0.99), lagMaxMs: lagMs[lagMs.length - 1]! } : {}),
  };
}

function totalCpu(system: RunningSystem): number {
  return system.pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
}

function newTag(): string {
  return randomBytes(4).toString('hex');
}

/** Samples replication lag until stopped; stopping twice is harmless. */
function startLagSampler(adminUrls: readonly string[]): { stop(): Promise<{ entries: number[]; milliseconds: number[] }> } {
  const tracker = new ReplicationLagTracker(adminUrls);
  let running = adminUrls.length > 0;
  const loop = (async () => {
    while (running) {
      await tracker.sample();
      await new Promise((resolve) => setTimeout(resolve, LAG_SAMPLE_INTERVAL_MS));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { entries: tracker.entries, milliseconds: tracker.milliseconds };
    },
  };
}
