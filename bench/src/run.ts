/**
 * `npm run bench`: starts the systems on 127.0.0.1, runs the planned scenarios against them
 * through a separate loader process, and prints and writes one row per scenario and system.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LoaderClient } from './loader/loader-client.js';
import { measureRound, measureScenario, summarize, warmUp, type RoundFigures } from './measure.js';
import { DEFAULT_BODY_BYTES } from './message-body.js';
import { parseOptions, USAGE, UsageRequested, type BenchOptions } from './options.js';
import { buildPlan } from './plan.js';
import { formatDeploymentsMarkdown, formatDeploymentsTable, type FailoverRow } from './deployments.js';
import { formatMarkdown, formatTables, jsonLine, withRatios } from './report.js';
import { rowIdentity, type PlanStep, type ResultRow, type Scenario } from './scenario.js';
import { ceilingSystem } from './systems/single-process-system.js';
import type { RunningSystem, SystemDefinition } from './systems/system.js';
import type { WorkloadParams } from './workloads/workload.js';

const LOADER_WARMUP_MS = 1_500;
const COLD_START_WARMUP_MS = 2_000;
const RESULTS_DIRECTORY = fileURLToPath(new URL('../results/', import.meta.url));

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageRequested) {
      process.stdout.write(USAGE);
      return;
    }
    throw error;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  mkdirSync(RESULTS_DIRECTORY, { recursive: true });
  const jsonlPath = join(RESULTS_DIRECTORY, `${stamp}.jsonl`);
  const plan = buildPlan(options, join(RESULTS_DIRECTORY, 'profiles', stamp));
  const scenarioCount = [...plan.headline, ...plan.scales].reduce((sum, step) => sum + step.scenarios.length, 0);
  console.log(`replimq bench (${options.quick ? 'quick' : 'full'}) on ${describeMachine()}`);
  console.log(`${scenarioCount} scenario × system pairs; rows → ${jsonlPath}\n`);

  const loader = new LoaderClient();
  const rows: ResultRow[] = [];
  const failovers: FailoverRow[] = [];
  try {
    await warmUpLoader(loader, options);
    if (plan.headline.length) rows.push(...(await runInterleaved(plan.headline, loader, failovers)));
    for (const step of plan.scales) rows.push(...(await runOneSystem(step, loader)));
  } finally {
    loader.close();
  }

  const final = withRatios(rows);
  writeFileSync(jsonlPath, [...final, ...failovers].map(jsonLine).join('\n') + '\n');
  const deployments = formatDeploymentsMarkdown(final, failovers);
  writeFileSync(jsonlPath.replace(/\.jsonl$/, '.md'), `${describeMachine()}\n\n${formatMarkdown(final)}\n${deployments ? `\n${deployments}\n` : ''}`);
  console.log(`\n${formatTables(final)}\n\n${formatDeploymentsTable(final, failovers)}\n`);
  for (const row of [...final, ...failovers]) console.log(jsonLine(row));
  console.log(`\nwritten: ${jsonlPath} (and .md)`);
}

interface Started {
  definition: SystemDefinition;
  running: RunningSystem;
}

/** Starts a system, or explains in one line why it is not running. */
async function startSystem(definition: SystemDefinition): Promise<Started | string> {
  const unavailable = definition.unavailable();
  if (unavailable) {
    console.log(`${definition.name}: skipped (${unavailable})`);
    return unavailable;
  }
  try {
    const running = await definition.start();
    console.log(`${definition.name}: up at ${running.endpoint} (pids ${running.pids.join(', ')})`);
    return { definition, running };
  } catch (error) {
    console.log(`${definition.name}: skipped (${(error as Error).message})`);
    return `did not start: ${summarizeFailure((error as Error).message)}`;
  }
}

/**
 * The headline table: every system up at once; for each scenario every system warms up, then the
 * systems take turns round by round (in rotating order), so background load on this shared
 * machine falls on all of them alike.
 */
async function runInterleaved(steps: readonly PlanStep[], loader: LoaderClient, failovers: FailoverRow[]): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  const started: Started[] = [];
  const notRunning = new Map<string, string>();
  for (const step of steps) {
    const outcome = await startSystem(step.system);
    if (typeof outcome === 'string') notRunning.set(step.system.name, outcome);
    else started.push(outcome);
  }
  const scenarios = [...new Set(steps.flatMap((step) => step.scenarios))];
  try {
    for (const entry of started) {
      const first = scenarios.find((scenario) => !entry.definition.unsupported(scenario.workload) && !scenario.pacedFraction);
      if (first) await warmUp(entry.running, loader, { ...first, warmupMs: Math.max(first.warmupMs, COLD_START_WARMUP_MS) }).catch(() => undefined);
    }
    for (const scenario of scenarios) {
      console.log(`${scenarioLabel(scenario)}:`);
      const scenarioRows: ResultRow[] = [];
      const participants: Started[] = [];
      const scenarioOf = new Map<Started, Scenario>();
      for (const step of steps.filter((candidate) => candidate.scenarios.includes(scenario))) {
        const system = started.find((entry) => entry.definition === step.system);
        const paced = pacedScenario(scenario, step.system, rows);
        const reason = notRunning.get(step.system.name) ?? step.system.unsupported(scenario.workload) ?? (typeof paced === 'string' ? paced : undefined);
        if (reason || !system || typeof paced === 'string') {
          scenarioRows.push(skippedRow(step.system, scenario, reason ?? 'not running'));
          continue;
        }
        participants.push(system);
        scenarioOf.set(system, paced);
      }
      const figures = new Map<Started, RoundFigures[]>(participants.map((participant) => [participant, []]));
      const failures = new Map<Started, string>();
      const attempt = async (participant: Started, work: () => Promise<void>): Promise<void> => {
        if (failures.has(participant)) return;
        try {
          await work();
        } catch (error) {
          failures.set(participant, `failed: ${firstLine((error as Error).message)}`);
          console.log(`  ${participant.definition.name}: ${(error as Error).message}`);
        }
      };
      for (const participant of participants) await attempt(participant, () => warmUp(participant.running, loader, scenarioOf.get(participant)!));
      for (let round = 0; round < scenario.rounds; round++) {
        for (const participant of rotate(participants, round)) {
          await attempt(participant, async () => {
            figures.get(participant)!.push(await measureRound(participant.running, loader, scenarioOf.get(participant)!));
          });
        }
      }
      for (const participant of participants) {
        const failure = failures.get(participant);
        const row = failure
          ? skippedRow(participant.definition, scenario, failure)
          : summarize(participant.definition, scenarioOf.get(participant)!, figures.get(participant)!);
        scenarioRows.push(row);
        if (!failure) console.log(`  ${progressLine(row)}`);
      }
      const order = steps.map((step) => step.system.name);
      rows.push(...scenarioRows.sort((a, b) => order.indexOf(a.system) - order.indexOf(b.system)));
    }
    // Last, as it kills a node: the failover time of each multi-node system.
    for (const entry of started) {
      if (!entry.running.failover) continue;
      const identity = { group: 'failover', system: entry.definition.name, nodes: entry.definition.nodes } as const;
      const row: FailoverRow = await entry.running.failover().then(
        (failoverMs) => ({ ...identity, failoverMs }),
        (error: Error) => ({ ...identity, skipped: `failed: ${firstLine(error.message)}` }),
      );
      failovers.push(row);
      console.log(`failover ${row.system}: ${row.failoverMs !== undefined ? `${row.failoverMs.toFixed(0)} ms from killing the leader to a write acknowledged through a survivor` : row.skipped}`);
    }
  } finally {
    await Promise.all(started.map((entry) => entry.running.stop()));
  }
  return rows;
}

/** The scenario with its offered rate filled in from the reference row, or why there is none. */
function pacedScenario(scenario: Scenario, system: SystemDefinition, rows: readonly ResultRow[]): Scenario | string {
  if (!scenario.pacedFraction) return scenario;
  const { fraction, of } = scenario.pacedFraction;
  const reference = rows.find(
    (row) => row.system === system.name && !row.skipped && row.workload === of.workload && row.loader === of.loader && row.concurrency === of.concurrency,
  );
  if (!reference) return `no ${of.workload}/${of.loader}/c${of.concurrency} row to take ${fraction} of`;
  return { ...scenario, params: { ...scenario.params, pacedRate: Math.max(1, Math.round(reference.messagesPerSecond * fraction)) } };
}

/** A scale dimension on one system: its scenarios one after the other. */
async function runOneSystem({ system, scenarios }: PlanStep, loader: LoaderClient): Promise<ResultRow[]> {
  const outcome = await startSystem(system);
  if (typeof outcome === 'string') return scenarios.map((scenario) => skippedRow(system, scenario, outcome));
  const rows: ResultRow[] = [];
  try {
    // A freshly started server is cold (no JIT yet): its first scenario would pay for that alone.
    const first = scenarios.find((scenario) => !system.unsupported(scenario.workload));
    if (first) await warmUp(outcome.running, loader, { ...first, warmupMs: Math.max(first.warmupMs, COLD_START_WARMUP_MS) }).catch(() => undefined);
    for (const scenario of scenarios) {
      const unsupported = system.unsupported(scenario.workload);
      if (unsupported) {
        rows.push(skippedRow(system, scenario, unsupported));
        continue;
      }
      try {
        const row = await measureScenario(system, outcome.running, loader, scenario);
        rows.push(row);
        console.log(`  ${scenarioLabel(scenario)} ${progressLine(row)}`);
      } catch (error) {
        console.log(`  ${scenarioLabel(scenario)}: ${(error as Error).message}`);
        rows.push(skippedRow(system, scenario, `failed: ${firstLine((error as Error).message)}`));
      }
    }
  } finally {
    await outcome.running.stop();
  }
  return rows;
}

/**
 * The loader's own JIT warm-up (the SDK's especially) would otherwise be paid by whichever system
 * runs first: its code paths are exercised against a private ceiling before anything is measured.
 */
async function warmUpLoader(loader: LoaderClient, options: BenchOptions): Promise<void> {
  const ceiling = await ceilingSystem(DEFAULT_BODY_BYTES).start();
  try {
    for (const kind of options.loaders.filter((loaderKind) => loaderKind !== 'autocannon')) {
      for (const workload of ['send', 'receive-delete'] as const) {
        const params: WorkloadParams = {
          concurrency: 16, durationMs: LOADER_WARMUP_MS, bodyBytes: DEFAULT_BODY_BYTES, queues: 1,
          depth: 2_000, drainCount: 2_000, longPollRate: 0, pacedRate: 0, roundTag: 'warmup',
        };
        await loader.prepare({ endpoint: ceiling.endpoint, loader: kind, workload, params });
        await loader.measure();
        await loader.cleanup();
      }
    }
  } finally {
    await ceiling.stop();
  }
}

function rotate<T>(items: readonly T[], by: number): T[] {
  if (items.length === 0) return [];
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

function skippedRow(system: SystemDefinition, scenario: Scenario, reason: string): ResultRow {
  return {
    ...rowIdentity(system.name, system.nodes, scenario),
    rounds: 0,
    messagesPerSecond: 0,
    p50Ms: 0,
    p99Ms: 0,
    maxMs: 0,
    serverCpuPer10k: 0,
    loaderCpuPer10k: 0,
    peakRssMiB: 0,
    errors: 0,
    skipped: reason,
  };
}

function scenarioLabel(scenario: Scenario): string {
  const { params } = scenario;
  const point = { headline: '', depth: ` depth ${params.depth}`, size: ` ${params.bodyBytes} B`, queues: ` ${params.queues} queues`, 'cluster-size': '', sync: '' }[scenario.group];
  return `${scenario.group} ${scenario.workload}/${scenario.loader}/c${params.concurrency}${point}`;
}

function progressLine(row: ResultRow): string {
  const errors = row.errors ? ` errors=${row.errors} (${row.firstError})` : '';
  const lag = row.lagP99Ms !== undefined ? ` lag p99 ${row.lagP99Ms.toFixed(1)} ms / ${row.lagP99Entries ?? '?'} entries` : '';
  return `${row.system}: ${row.messagesPerSecond.toFixed(0)} msgs/s p50 ${row.p50Ms.toFixed(2)} ms p99 ${row.p99Ms.toFixed(2)} ms cpu ${row.serverCpuPer10k.toFixed(3)} s/10k rss ${row.peakRssMiB.toFixed(0)} MiB${lag}${errors}`;
}

/** First line (what failed) and last line (the child's last words) of a start-up failure. */
function summarizeFailure(text: string): string {
  const lines = text.split('\n').filter(Boolean);
  return lines.length > 1 ? `${firstLine(text)} … ${lines[lines.length - 1]!.slice(0, 200)}` : firstLine(text);
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 200);
}

function describeMachine(): string {
  const cpu = cpus();
  const load = loadavg().map((value) => value.toFixed(1)).join(' ');
  return `${cpu.length}× ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}, load average ${load}`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
