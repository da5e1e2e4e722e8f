/**
 * `npm run bench`: starts every system in turn on 127.0.0.1, runs the planned scenarios against
 * it through a separate loader process, and prints and writes one row per scenario.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { LoaderClient } from './loader/loader-client.js';
import { measureScenario } from './measure.js';
import { parseOptions, USAGE, UsageRequested, type BenchOptions } from './options.js';
import { buildPlan } from './plan.js';
import { formatMarkdown, formatTables, jsonLine, withRatios } from './report.js';
import { rowIdentity, type PlanStep, type ResultRow, type Scenario } from './scenario.js';

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
  console.log(`replimq bench (${options.quick ? 'quick' : 'full'}) on ${describeMachine()}`);
  console.log(`${plan.length} systems, ${plan.reduce((sum, step) => sum + step.scenarios.length, 0)} scenarios; rows → ${jsonlPath}\n`);

  const loader = new LoaderClient();
  const rows: ResultRow[] = [];
  try {
    for (const step of plan) rows.push(...(await runStep(step, loader)));
  } finally {
    loader.close();
  }

  const final = withRatios(rows);
  writeFileSync(jsonlPath, final.map(jsonLine).join('\n') + '\n');
  writeFileSync(jsonlPath.replace(/\.jsonl$/, '.md'), `${describeMachine()}\n\n${formatMarkdown(final)}\n`);
  console.log(`\n${formatTables(final)}\n`);
  for (const row of final) console.log(jsonLine(row));
  console.log(`\nwritten: ${jsonlPath} (and .md)`);
}

/** Starts one system, runs its scenarios, stops it; a system that fails to start skips them. */
async function runStep({ system, scenarios }: PlanStep, loader: LoaderClient): Promise<ResultRow[]> {
  const skip = (scenario: Scenario, reason: string): ResultRow => skippedRow(system.name, system.nodes, scenario, reason);
  const unavailable = system.unavailable();
  if (unavailable) {
    console.log(`${system.name}: skipped (${unavailable})`);
    return scenarios.map((scenario) => skip(scenario, unavailable));
  }
  let running;
  try {
    running = await system.start();
  } catch (error) {
    const reason = `did not start: ${firstLine((error as Error).message)}`;
    console.log(`${system.name}: skipped (${(error as Error).message})`);
    return scenarios.map((scenario) => skip(scenario, reason));
  }
  console.log(`${system.name}: up at ${running.endpoint} (pids ${running.pids.join(', ')})`);
  const rows: ResultRow[] = [];
  try {
    for (const scenario of scenarios) {
      const unsupported = system.unsupported(scenario.workload);
      if (unsupported) {
        rows.push(skip(scenario, unsupported));
        continue;
      }
      try {
        const row = await measureScenario(system, running, loader, scenario);
        rows.push(row);
        console.log(`  ${progressLine(row)}`);
      } catch (error) {
        const reason = `failed: ${firstLine((error as Error).message)}`;
        console.log(`  ${scenario.workload}/${scenario.loader}/c${scenario.params.concurrency}: ${(error as Error).message}`);
        rows.push(skip(scenario, reason));
      }
    }
  } finally {
    await running.stop();
  }
  return rows;
}

function skippedRow(system: string, nodes: number, scenario: Scenario, reason: string): ResultRow {
  return {
    ...rowIdentity(system, nodes, scenario),
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

function progressLine(row: ResultRow): string {
  const point = row.group === 'headline' ? '' : ` [${row.group} ${row.depth ?? ''}${row.group === 'size' ? row.bodyBytes : ''}${row.group === 'queues' ? row.queues : ''}]`;
  const errors = row.errors ? ` errors=${row.errors} (${row.firstError})` : '';
  return `${row.workload}/${row.loader}/c${row.concurrency}${point}: ${row.messagesPerSecond.toFixed(0)} msgs/s p50 ${row.p50Ms.toFixed(2)} ms p99 ${row.p99Ms.toFixed(2)} ms cpu ${row.serverCpuPer10k.toFixed(3)} s/10k rss ${row.peakRssMiB.toFixed(0)} MiB${errors}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 200);
}

function describeMachine(): string {
  const cpu = cpus();
  return `${cpu.length}× ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
