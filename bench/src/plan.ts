/**
 * What a run measures: which systems, and against each the scenarios of the headline table and
 * of the chosen scale dimensions. Quick mode is the headline table with short rounds.
 */
import { join } from 'node:path';
import { DEFAULT_BODY_BYTES } from './message-body.js';
import type { BenchOptions } from './options.js';
import type { PlanStep, Scenario, ScenarioGroup } from './scenario.js';
import { ceilingSystem, fauxqsSystem } from './systems/single-process-system.js';
import { replimqSystem, type AckMode } from './systems/replimq-system.js';
import type { SystemDefinition } from './systems/system.js';
import type { WorkloadName, WorkloadParams } from './workloads/workload.js';
import type { LoaderKind } from './loader/sqs-caller.js';

interface ModeSettings {
  rounds: number;
  durationMs: number;
  warmupMs: number;
  /** Messages a headline drain takes off a backlog of the same size. */
  drainCount: number;
}

const QUICK: ModeSettings = { rounds: 3, durationMs: 500, warmupMs: 300, drainCount: 2_000 };
const FULL: ModeSettings = { rounds: 3, durationMs: 1_000, warmupMs: 500, drainCount: 5_000 };
/** Drains end when `drainCount` messages are gone; this only caps a system that stalls. */
const DRAIN_CAP_MS = 30_000;
/** Low enough that the SDK producers and consumers (≈1 ms of loader CPU per call) keep up. */
const LONG_POLL_RATE = 200;
const DEPTHS = [1_000, 10_000, 100_000, 1_000_000];
/** Deep backlogs and many queues take long to set up: one round each keeps the run bounded. */
const DEEP_BACKLOG = 100_000;
const MANY_QUEUES = 1_000;
const BODY_SIZES = [256, 4_096, 65_536, 262_144];
const QUEUE_COUNTS = [1, 100, 1_000, 10_000];
const ACK_MODES: readonly AckMode[] = ['none', 'one', 'majority', 'all'];

/** `profileDirectory`: where `--cpu-prof` profiles go, one sub-folder per system. */
/**
 * The headline systems all run at once and take turns round by round, so that a change in the
 * machine's background load hits every system alike and the ratios stay fair. Scale runs go one
 * system at a time: they hold large states (10^6 messages, 10,000 queues).
 */
export interface Plan {
  headline: PlanStep[];
  scales: PlanStep[];
}

export function buildPlan(options: BenchOptions, profileDirectory: string): Plan {
  const mode = options.quick ? QUICK : FULL;
  const settings: ModeSettings = {
    rounds: options.rounds ?? mode.rounds,
    durationMs: options.durationMs ?? mode.durationMs,
    warmupMs: options.warmupMs ?? mode.warmupMs,
    drainCount: mode.drainCount,
  };
  const nodeFlags = (name: string): string[] => (options.cpuProf ? profileFlags(join(profileDirectory, name)) : []);
  const systems = {
    ceiling: ceilingSystem(DEFAULT_BODY_BYTES),
    fauxqs: fauxqsSystem(nodeFlags('fauxqs')),
    memory: replimqSystem({ storage: 'memory', nodes: 1, nodeFlags: nodeFlags('replimq-memory') }),
    sqlite: replimqSystem({ storage: 'sqlite', nodes: 1, nodeFlags: nodeFlags('replimq-sqlite') }),
    cluster: (nodes: number, ackMode: AckMode): SystemDefinition =>
      replimqSystem({ storage: 'memory', nodes, ackMode, nodeFlags: nodeFlags(`replimq-${nodes}n-${ackMode}`) }),
  };

  const headlineSteps = new Map<string, PlanStep>();
  const scaleSteps = new Map<string, PlanStep>();
  const addTo = (steps: Map<string, PlanStep>, system: SystemDefinition, scenarios: Scenario[], key = system.name): void => {
    if (options.systems && !options.systems.some((prefix) => system.name.startsWith(prefix))) return;
    const kept = scenarios.filter((scenario) => (!options.workloads || options.workloads.includes(scenario.workload)) && options.loaders.includes(scenario.loader));
    if (kept.length === 0) return;
    const step = steps.get(key) ?? { system, scenarios: [] };
    step.scenarios.push(...kept);
    steps.set(key, step);
  };
  // One fresh process per system and scale dimension: memory retained from one dimension's
  // states would otherwise show up in the next one's RSS.
  const add = (system: SystemDefinition, scenarios: Scenario[]): void => addTo(scaleSteps, system, scenarios, `${system.name}|${scenarios[0]?.group}`);
  const scenario = (group: ScenarioGroup, workload: WorkloadName, loader: LoaderKind, params: Partial<WorkloadParams> = {}): Scenario => {
    const drain = workload.includes('receive-delete');
    const depth = params.depth ?? settings.drainCount;
    return {
      group,
      workload,
      loader,
      rounds: depth >= DEEP_BACKLOG || (params.queues ?? 1) >= MANY_QUEUES ? 1 : settings.rounds,
      warmupMs: settings.warmupMs,
      params: {
        concurrency: 16,
        durationMs: drain ? DRAIN_CAP_MS : settings.durationMs,
        bodyBytes: DEFAULT_BODY_BYTES,
        queues: 1,
        depth,
        drainCount: Math.min(depth, settings.drainCount),
        longPollRate: LONG_POLL_RATE,
        pacedRate: 0,
        ...params,
      },
    };
  };

  if (options.headline) {
    const headline = headlineScenarios(options, scenario);
    const clusters = ACK_MODES.map((ack) => systems.cluster(3, ack));
    for (const system of [systems.ceiling, systems.fauxqs, systems.memory, systems.sqlite, ...clusters]) {
      addTo(headlineSteps, system, headline);
    }
    // Replication lag at half of what each system took in the raw-loader send above.
    const paced = { ...scenario('headline', 'send-paced', 'raw'), pacedFraction: { fraction: 0.5, of: { workload: 'send', loader: 'raw', concurrency: 16 } } } satisfies Scenario;
    for (const system of [systems.memory, ...clusters]) addTo(headlineSteps, system, [paced]);
  }
  if (options.scales.includes('depth')) {
    const depths = options.depths ?? DEPTHS;
    for (const system of [systems.fauxqs, systems.memory, systems.sqlite]) {
      add(system, depths.map((depth) => scenario('depth', 'receive-delete', 'raw', { depth })));
    }
  }
  if (options.scales.includes('size')) {
    for (const system of [systems.ceiling, systems.fauxqs, systems.memory, systems.sqlite]) {
      add(system, BODY_SIZES.map((bodyBytes) => scenario('size', 'send', 'autocannon', { bodyBytes })));
    }
  }
  if (options.scales.includes('queues')) {
    for (const system of [systems.fauxqs, systems.memory]) {
      add(system, QUEUE_COUNTS.map((queues) => scenario('queues', 'send', 'raw', { queues })));
    }
  }
  // What an fsync per group commit (--sync full, README "Durability") costs, per ack mode: SQLite
  // nodes alone and in 3-node clusters, normal against full, on sends (every one a commit).
  if (options.scales.includes('sync')) {
    for (const sync of ['normal', 'full'] as const) {
      const flags = (name: string): string[] => nodeFlags(`${name}-sync-${sync}`);
      add(replimqSystem({ storage: 'sqlite', nodes: 1, sync, nodeFlags: flags('replimq-sqlite') }), [scenario('sync', 'send', 'raw')]);
      for (const ackMode of ACK_MODES) {
        const system = replimqSystem({ storage: 'sqlite', nodes: 3, ackMode, sync, nodeFlags: flags(`replimq-3n-${ackMode}-sqlite`) });
        add(system, [scenario('sync', 'send', 'raw')]);
      }
    }
  }
  if (options.scales.includes('cluster-size')) {
    for (const system of [systems.memory, systems.cluster(3, 'majority'), systems.cluster(5, 'majority')]) {
      add(system, [scenario('cluster-size', 'send', 'autocannon'), scenario('cluster-size', 'send-batch', 'autocannon')]);
    }
  }
  return { headline: [...headlineSteps.values()], scales: [...scaleSteps.values()] };
}

type ScenarioMaker = (group: ScenarioGroup, workload: WorkloadName, loader: LoaderKind, params?: Partial<WorkloadParams>) => Scenario;

function headlineScenarios(options: BenchOptions, scenario: ScenarioMaker): Scenario[] {
  if (options.quick && !options.concurrency) {
    return [
      scenario('headline', 'send', 'autocannon', { concurrency: 16 }),
      scenario('headline', 'send', 'raw', { concurrency: 16 }),
      scenario('headline', 'send', 'sdk', { concurrency: 1 }),
      scenario('headline', 'send', 'sdk', { concurrency: 16 }),
      scenario('headline', 'send-batch', 'sdk'),
      scenario('headline', 'receive-delete', 'sdk'),
      scenario('headline', 'fifo-send', 'sdk'),
      scenario('headline', 'long-poll', 'sdk'),
    ];
  }
  const concurrencies = options.concurrency ?? [1, 16];
  return options.loaders.flatMap((loader) => [
    ...concurrencies.map((concurrency) => scenario('headline', 'send', loader, { concurrency })),
    scenario('headline', 'send-batch', loader),
    // autocannon repeats one fixed request: the workloads below need per-call bodies.
    ...(loader === 'autocannon'
      ? []
      : [
          scenario('headline', 'receive-delete', loader),
          scenario('headline', 'fifo-send', loader),
          scenario('headline', 'fifo-receive-delete', loader),
          scenario('headline', 'long-poll', loader),
        ]),
  ]);
}

function profileFlags(directory: string): string[] {
  return ['--cpu-prof', `--cpu-prof-dir=${directory}`, '--import', new URL('./systems/exit-on-sigterm.js', import.meta.url).href];
}
