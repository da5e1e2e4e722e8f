/**
 * What a run measures: which systems, and against each the scenarios of the headline table and
 * of the chosen scale dimensions. Quick mode is the headline table with short rounds and fewer
 * systems, plus issue 14's groups (follower, consumers, memory, start-up) at small sizes.
 */
import { join } from 'node:path';
import { DEFAULT_BODY_BYTES } from './message-body.js';
import type { BenchOptions } from './options.js';
import type { PlanStep, Scenario, ScenarioGroup } from './scenario.js';
import { ceilingSystem, fauxqs2System, fauxqsSystem } from './systems/single-process-system.js';
import { replimqSystem, type AckMode } from './systems/replimq-system.js';
import type { SystemDefinition } from './systems/system.js';
import type { WorkloadName, WorkloadParams } from './workloads/workload.js';
import type { LoaderKind } from './loader/sqs-caller.js';
import type { StartupPlan } from './startup/measure-startup.js';

interface ModeSettings {
  rounds: number;
  durationMs: number;
  warmupMs: number;
  /** Messages a headline drain takes off a backlog of the same size. */
  drainCount: number;
  /** FIFO drains: receive cost against backlog depth (consumers group). */
  fifoDepths: number[];
  /** Idle window of the parked long polls and of the held backlog (memory group). */
  idleMs: number;
  /** Start-up: fresh starts per row. */
  startupSamples: number;
}

const QUICK: ModeSettings = { rounds: 3, durationMs: 500, warmupMs: 300, drainCount: 2_000, fifoDepths: [1_000, 20_000], idleMs: 3_000, startupSamples: 2 };
const FULL: ModeSettings = { rounds: 3, durationMs: 1_000, warmupMs: 500, drainCount: 5_000, fifoDepths: [1_000, 10_000, 100_000], idleMs: 5_000, startupSamples: 3 };
/** Many consumers: long polls parked over queues while nothing is sent (issue 14's figure). */
const PARKED_POLLS = 1_000;
const PARKED_POLL_QUEUES = 100;
/** Many consumers draining one backlog (where other emulators have answered 500s). */
const DRAIN_CONSUMERS = 30;
const DRAIN_BACKLOG = 10_000;
/** Memory: messages held waiting. */
const HELD_MESSAGES = 1_000_000;
/** Follower vs leader long polls: enough messages for the forwarding hop to show in latency. */
const FOLLOWER_LONG_POLL_RATE = 500;
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
  /** Through a follower against through the leader: the two take turns like the headline. */
  follower: PlanStep[];
  scales: PlanStep[];
  /** Start-up rows (measured apart: they spawn and stop systems themselves). */
  startup?: StartupPlan;
}

/**
 * Shortest round of the send-paced rows, whose lag p99 is a percentile of the samples the lag
 * sampler takes every ~55 ms of the rounds (measure.ts). Quick mode's 0.5 s rounds gave ~54
 * samples a row (3 rounds, 2 followers), so the "p99" was the largest one: one GC pause or long
 * turn on any node decided the row. Rounds of 2 s give ~200, and the p99 the third largest.
 */
const LAG_ROUND_MS = 2_000;

export function buildPlan(options: BenchOptions, profileDirectory: string): Plan {
  const mode = options.quick ? QUICK : FULL;
  const settings: ModeSettings = {
    rounds: options.rounds ?? mode.rounds,
    durationMs: options.durationMs ?? mode.durationMs,
    warmupMs: options.warmupMs ?? mode.warmupMs,
    drainCount: mode.drainCount,
    fifoDepths: options.depths ?? mode.fifoDepths,
    idleMs: mode.idleMs,
    startupSamples: options.rounds ?? mode.startupSamples,
  };
  const nodeFlags = (name: string): string[] => (options.cpuProf ? profileFlags(join(profileDirectory, name)) : []);
  const systems = {
    ceiling: ceilingSystem(DEFAULT_BODY_BYTES),
    fauxqs: fauxqsSystem(nodeFlags('fauxqs')),
    fauxqs2: fauxqs2System(nodeFlags('fauxqs2')),
    memory: replimqSystem({ storage: 'memory', nodes: 1, nodeFlags: nodeFlags('replimq-memory') }),
    sqlite: replimqSystem({ storage: 'sqlite', nodes: 1, nodeFlags: nodeFlags('replimq-sqlite') }),
    // What most users run: the same servers on Node 22.
    memory22: replimqSystem({ storage: 'memory', nodes: 1, node22: true, nodeFlags: nodeFlags('replimq-memory-node22') }),
    sqlite22: replimqSystem({ storage: 'sqlite', nodes: 1, node22: true, nodeFlags: nodeFlags('replimq-sqlite-node22') }),
    majority22: replimqSystem({ storage: 'memory', nodes: 3, ackMode: 'majority', node22: true, nodeFlags: nodeFlags('replimq-3n-majority-node22') }),
    viaFollower: replimqSystem({ storage: 'memory', nodes: 3, ackMode: 'majority', viaFollower: true, nodeFlags: nodeFlags('replimq-3n-majority-via-follower') }),
    sharedPostgres: replimqSystem({ storage: 'postgres', nodes: 3, nodeFlags: nodeFlags('replimq-3n-shared-pg') }),
    cluster: (nodes: number, ackMode: AckMode): SystemDefinition =>
      replimqSystem({ storage: 'memory', nodes, ackMode, nodeFlags: nodeFlags(`replimq-${nodes}n-${ackMode}`) }),
  };

  const selected = (name: string): boolean => !options.systems || options.systems.some((prefix) => name.startsWith(prefix));
  const headlineSteps = new Map<string, PlanStep>();
  const followerSteps = new Map<string, PlanStep>();
  const scaleSteps = new Map<string, PlanStep>();
  const addTo = (steps: Map<string, PlanStep>, system: SystemDefinition, scenarios: Scenario[], key = system.name): void => {
    if (!selected(system.name)) return;
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
    // The ack modes the targets name (none, majority); `one` and `all` are in the cluster-size
    // scale, which keeps the full run within about 20 minutes.
    const clusters = (['none', 'majority'] as const).map((ack) => systems.cluster(3, ack));
    const node22 = options.quick ? [systems.memory22] : [systems.memory22, systems.sqlite22, systems.majority22];
    for (const system of [systems.ceiling, systems.fauxqs, systems.fauxqs2, systems.memory, systems.sqlite, ...node22, ...clusters, systems.sharedPostgres]) {
      addTo(headlineSteps, system, headline);
    }
    // Replication lag at half of what each system took in the raw-loader send above.
    // Rounds of at least LAG_ROUND_MS (unless --duration says otherwise), for enough lag samples.
    const pacedParams = options.durationMs === undefined ? { durationMs: Math.max(settings.durationMs, LAG_ROUND_MS) } : {};
    const paced = { ...scenario('headline', 'send-paced', 'raw', pacedParams), pacedFraction: { fraction: 0.5, of: { workload: 'send', loader: 'raw', concurrency: 16 } } } satisfies Scenario;
    for (const system of [systems.memory, ...clusters, ...node22]) addTo(headlineSteps, system, [paced]);
  }
  if (options.scales.includes('follower')) {
    // The same cluster shape twice: load on the leader, and load on a follower that forwards.
    const scenarios = [
      scenario('follower', 'send', 'autocannon'),
      scenario('follower', 'send-query', 'autocannon'),
      scenario('follower', 'long-poll', 'raw', { longPollRate: FOLLOWER_LONG_POLL_RATE }),
    ];
    for (const system of [systems.cluster(3, 'majority'), systems.viaFollower]) addTo(followerSteps, system, scenarios);
  }
  if (options.scales.includes('consumers')) {
    const peers = options.quick ? [systems.fauxqs, systems.fauxqs2, systems.memory] : [systems.fauxqs, systems.fauxqs2, systems.memory, systems.memory22, systems.sqlite];
    for (const system of peers) {
      add(system, [
        { ...scenario('consumers', 'idle-long-polls', 'raw', { concurrency: PARKED_POLLS, queues: PARKED_POLL_QUEUES, durationMs: settings.idleMs }), rounds: 1 },
        { ...scenario('consumers', 'receive-delete', 'raw', { concurrency: DRAIN_CONSUMERS, depth: DRAIN_BACKLOG, drainCount: DRAIN_BACKLOG }), rounds: 1 },
        ...settings.fifoDepths.map((depth) => scenario('consumers', 'fifo-receive-delete', 'raw', { depth })),
      ]);
    }
  }
  if (options.scales.includes('memory')) {
    const holders = options.quick ? [systems.memory] : [systems.fauxqs, systems.fauxqs2, systems.memory, systems.memory22];
    for (const system of holders) {
      add(system, [{ ...scenario('memory', 'hold', 'raw', { depth: HELD_MESSAGES, durationMs: settings.idleMs }), rounds: 1 }]);
    }
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
    const threeNodes = ACK_MODES.map((ack) => systems.cluster(3, ack));
    for (const system of [systems.memory, ...threeNodes, systems.cluster(5, 'majority')]) {
      add(system, [scenario('cluster-size', 'send', 'autocannon'), scenario('cluster-size', 'send-batch', 'autocannon')]);
    }
  }
  const startup: StartupPlan | undefined = options.scales.includes('startup')
    ? {
        samples: settings.startupSamples,
        loads: ['idle', 'loaded'],
        variants: [{ label: 'node20', node22: false }, { label: 'node22', node22: true }].filter((variant) =>
          [`replimq-memory`, `replimq-3n-majority`].some((name) => selected(`${name}${variant.node22 ? '-node22' : ''}`))),
        containers: selected('replimq-3n-container'),
        peers: selected('fauxqs'),
      }
    : undefined;
  return { headline: [...headlineSteps.values()], follower: [...followerSteps.values()], scales: [...scaleSteps.values()], ...(startup ? { startup } : {}) };
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
  // Full mode: every workload through the light loaders; through the SDK (what users see, but
  // the loader is the limit on 2 cores) the c=16 send and the calls of a consumer, which keeps the
  // full run within about 20 minutes.
  const concurrencies = options.concurrency ?? [16];
  return options.loaders.flatMap((loader) => [
    ...concurrencies.map((concurrency) => scenario('headline', 'send', loader, { concurrency })),
    ...(loader === 'sdk' ? [] : [scenario('headline', 'send-batch', loader)]),
    // autocannon repeats one fixed request: the workloads below need per-call bodies.
    ...(loader === 'autocannon'
      ? []
      : [
          scenario('headline', 'receive-delete', loader),
          scenario('headline', 'fifo-send', loader),
          ...(loader === 'sdk' ? [] : [scenario('headline', 'fifo-receive-delete', loader)]),
          scenario('headline', 'long-poll', loader),
        ]),
  ]);
}

function profileFlags(directory: string): string[] {
  return ['--cpu-prof', `--cpu-prof-dir=${directory}`, '--import', new URL('./systems/exit-on-sigterm.js', import.meta.url).href];
}
