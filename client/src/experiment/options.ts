/**
 * What an experiment runs: a workload (producers, consumers, queues per ack mode), a nemesis (the
 * faults it injects, one at a time, each held then healed) and a seed. Options are checked and
 * given their defaults here, once; the planner and the runner only see resolved options.
 */
import type { ChaosSpec } from '../chaos-spec.js';
import { InvalidOptionError } from '../errors.js';
import { ACK_MODES, checkAckMode } from '../node-options.js';
import type { AckMode, StorageKind } from '../node-options.js';
import { randomSeed } from './prng.js';
import type { ExperimentProgress } from './progress.js';

export const NEMESIS_KINDS = [
  'kill',
  'pause',
  'partition-leader',
  'partition-random',
  'partition-bridge',
  'one-way',
  'delay',
  'kill-all',
  'link-latency',
  'link-loss',
] as const;

/**
 * - `kill`: SIGKILL one node (the leader or another), restart it when the hold ends.
 * - `pause`: freeze one node (SIGSTOP / cgroup freezer), resume it.
 * - `partition-leader`: cut the current leader off from every other node.
 * - `partition-random`: cut a random minority off from the rest.
 * - `partition-bridge`: two halves that cannot talk, one node in the middle that talks to both.
 * - `one-way`: one node's messages to (or from) every other node are dropped, the other direction flows.
 * - `delay`: every message to and from one node is held for a while.
 * - `kill-all`: SIGKILL every node at once and restart them all (SQLite storage only: in memory it loses everything by design).
 * - `link-latency`: latency with jitter (a quarter of it) on what one node sends one other, through the link proxies (`withLinkFaults()` clusters).
 * - `link-loss`: a share of what one node sends one other lost and retransmitted, as TCP does (`withLinkFaults()` clusters).
 */
export type NemesisKind = (typeof NEMESIS_KINDS)[number];

/** Milliseconds, fixed or drawn from a range (both ends included). */
export type Duration = number | { min: number; max: number };

export interface NemesisOptions {
  /** Fault kinds to draw from; default every kind the cluster allows (`kill-all` on SQLite only). */
  faults?: readonly NemesisKind[];
  /** How long each fault is held. Default 2–5 s. */
  holdMs?: Duration;
  /** Quiet time after each heal (and before the first fault). Default 2–4 s. */
  healMs?: Duration;
  /** The extra latency of a `delay` or `link-latency` fault. Default 100–400 ms. */
  delayMs?: Duration;
  /** The share of chunks lost (then retransmitted) in a `link-loss` fault, 0–1, fixed or a range. Default 0.05–0.3. */
  lossRate?: number | { min: number; max: number };
}

export interface WorkloadOptions {
  /** Concurrent senders. Default 4. */
  producers?: number;
  /** Concurrent receivers (each deletes what it received). Default 4. */
  consumers?: number;
  /** Standard queues per ack mode. Default 1. */
  standardQueues?: number;
  /** FIFO queues per ack mode. Default 1. */
  fifoQueues?: number;
  /** Message groups each producer owns in each FIFO queue. Default 2. */
  groupsPerProducer?: number;
  /** Share of send operations that are `SendMessageBatch` (2–10 entries). Default 0.2. */
  batchShare?: number;
  /** Share of FIFO sends repeated at once with the same deduplication id (checks deduplication). Default 0.05. */
  resendShare?: number;
  /** Body size in bytes. Default 200. */
  messageBytes?: number;
  /** Send operations per second, all producers together. Default 40. */
  rate?: number;
  /** Receive calls per second, all consumers together. Default: `rate`. */
  receiveRate?: number;
  /** The queues' visibility timeout. Default 5 s. */
  visibilityTimeoutSeconds?: number;
}

export interface ExperimentOptions {
  /** The seed of every random choice; default a random one (reported in the result). */
  seed?: number;
  /** How long the workload and nemesis run, before heal-and-drain. Default 30 s. */
  durationMs?: number;
  workload?: WorkloadOptions;
  /** Faults to inject; a list of kinds is shorthand for `{ faults }`; `false` runs without faults. */
  nemesis?: NemesisOptions | readonly NemesisKind[] | false;
  /** Ack modes under test, each with queues of its own (`replimq:ack-mode` tag). Default all four. */
  ackModes?: readonly AckMode[];
  /** A request not answered by then is an `unknown` outcome. Default 5 s. */
  operationTimeoutMs?: number;
  /** How long heal-and-drain may take before the experiment gives up on an undrained queue. Default 60 s. */
  drainTimeoutMs?: number;
  /**
   * SQS's own failure modes on every node during the workload (client/README.md, "SQS failure
   * modes on demand"), off for heal-and-drain. Each node's seed is the rules' (default: the
   * experiment's) plus its number.
   */
  chaos?: ChaosSpec;
  /** Called about once a second while the experiment runs. */
  onProgress?: (progress: ExperimentProgress) => void;
}

export interface Range {
  min: number;
  max: number;
}

export interface ResolvedWorkload {
  producers: number;
  consumers: number;
  standardQueues: number;
  fifoQueues: number;
  groupsPerProducer: number;
  batchShare: number;
  resendShare: number;
  messageBytes: number;
  rate: number;
  receiveRate: number;
  visibilityTimeoutSeconds: number;
}

export interface ResolvedNemesis {
  faults: NemesisKind[];
  holdMs: Range;
  healMs: Range;
  delayMs: Range;
  lossRate: Range;
}

/** Everything the plan is a function of: the options with their defaults, and the cluster's shape. */
export interface ResolvedExperiment {
  seed: number;
  durationMs: number;
  workload: ResolvedWorkload;
  nemesis: ResolvedNemesis;
  ackModes: AckMode[];
  operationTimeoutMs: number;
  drainTimeoutMs: number;
  nodes: number;
  storage: StorageKind;
  chaos?: ChaosSpec;
}

export interface ClusterShape {
  nodes: number;
  storage: StorageKind;
  /** Started `withLinkFaults()`: the link-* faults are possible. */
  linkFaults?: boolean;
}

/** Message bodies carry their id and a header; below this there is no room for padding. */
export const MIN_MESSAGE_BYTES = 64;

export function resolveExperiment(options: ExperimentOptions, cluster: ClusterShape): ResolvedExperiment {
  const seed = options.seed ?? randomSeed();
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InvalidOptionError(`seed must be a non-negative integer; got ${seed}`);
  const ackModes = [...new Set((options.ackModes ?? ACK_MODES).map((mode) => checkAckMode(mode)))];
  if (ackModes.length === 0) throw new InvalidOptionError('ackModes must name at least one ack mode');
  return {
    seed,
    durationMs: integer('durationMs', options.durationMs ?? 30_000, 1_000, 24 * 3_600_000),
    workload: resolveWorkload(options.workload ?? {}),
    nemesis: resolveNemesis(options.nemesis, cluster),
    ackModes,
    operationTimeoutMs: integer('operationTimeoutMs', options.operationTimeoutMs ?? 5_000, 100, 600_000),
    drainTimeoutMs: integer('drainTimeoutMs', options.drainTimeoutMs ?? 60_000, 1_000, 3_600_000),
    nodes: cluster.nodes,
    storage: cluster.storage,
    ...(options.chaos ? { chaos: structuredClone(options.chaos) } : {}),
  };
}

function resolveWorkload(workload: WorkloadOptions): ResolvedWorkload {
  const rate = number('workload.rate', workload.rate ?? 40, 0.1, 10_000);
  const resolved: ResolvedWorkload = {
    producers: integer('workload.producers', workload.producers ?? 4, 1, 256),
    consumers: integer('workload.consumers', workload.consumers ?? 4, 1, 256),
    standardQueues: integer('workload.standardQueues', workload.standardQueues ?? 1, 0, 100),
    fifoQueues: integer('workload.fifoQueues', workload.fifoQueues ?? 1, 0, 100),
    groupsPerProducer: integer('workload.groupsPerProducer', workload.groupsPerProducer ?? 2, 1, 100),
    batchShare: number('workload.batchShare', workload.batchShare ?? 0.2, 0, 1),
    resendShare: number('workload.resendShare', workload.resendShare ?? 0.05, 0, 1),
    messageBytes: integer('workload.messageBytes', workload.messageBytes ?? 200, MIN_MESSAGE_BYTES, 262_144),
    rate,
    receiveRate: number('workload.receiveRate', workload.receiveRate ?? rate, 0.1, 10_000),
    visibilityTimeoutSeconds: integer('workload.visibilityTimeoutSeconds', workload.visibilityTimeoutSeconds ?? 5, 1, 43_200),
  };
  if (resolved.standardQueues + resolved.fifoQueues === 0) {
    throw new InvalidOptionError('the workload needs at least one queue per ack mode (standardQueues + fifoQueues > 0)');
  }
  // A batch of 10 maximal bodies must stay within SendMessageBatch's 256 KiB.
  if (resolved.batchShare > 0 && resolved.messageBytes * 10 > 262_144) {
    throw new InvalidOptionError('workload.messageBytes above 26214 needs batchShare 0 (a batch of 10 would pass 256 KiB)');
  }
  return resolved;
}

function resolveNemesis(nemesis: ExperimentOptions['nemesis'], cluster: ClusterShape): ResolvedNemesis {
  const options: NemesisOptions = nemesis === false ? { faults: [] } : Array.isArray(nemesis) ? { faults: nemesis } : ((nemesis ?? {}) as NemesisOptions);
  const allowed = NEMESIS_KINDS.filter((kind) => whyNotAllowed(kind, cluster) === undefined);
  const faults = options.faults ? [...new Set(options.faults)] : allowed;
  for (const kind of faults) {
    if (!(NEMESIS_KINDS as readonly string[]).includes(kind)) {
      throw new InvalidOptionError(`nemesis fault must be one of ${NEMESIS_KINDS.join(', ')}; got "${kind}"`);
    }
    const reason = whyNotAllowed(kind, cluster);
    if (reason) throw new InvalidOptionError(`nemesis fault "${kind}" ${reason}`);
  }
  return {
    faults,
    holdMs: range('nemesis.holdMs', options.holdMs ?? { min: 2_000, max: 5_000 }, 1),
    healMs: range('nemesis.healMs', options.healMs ?? { min: 2_000, max: 4_000 }, 0),
    delayMs: range('nemesis.delayMs', options.delayMs ?? { min: 100, max: 400 }, 1, 60_000),
    lossRate: shareRange('nemesis.lossRate', options.lossRate ?? { min: 0.05, max: 0.3 }),
  };
}

function whyNotAllowed(kind: NemesisKind, { nodes, storage, linkFaults }: ClusterShape): string | undefined {
  if ((kind === 'link-latency' || kind === 'link-loss') && !linkFaults) return 'needs a cluster started withLinkFaults() (its links go through proxies)';
  if (kind === 'kill-all' && storage !== 'sqlite') return 'needs SQLite storage (a node in memory loses everything when killed, by design)';
  if (['partition-leader', 'partition-random', 'one-way', 'delay', 'link-latency', 'link-loss'].includes(kind) && nodes < 2) {
    return 'needs at least 2 nodes';
  }
  if (kind === 'partition-bridge' && nodes < 3) return 'needs at least 3 nodes';
  return undefined;
}

function range(name: string, value: Duration, min: number, max = 3_600_000): Range {
  const bounds = typeof value === 'number' ? { min: value, max: value } : value;
  if (typeof bounds !== 'object' || bounds === null) throw new InvalidOptionError(`${name} must be milliseconds or { min, max }`);
  const low = integer(`${name}.min`, bounds.min, min, max);
  const high = integer(`${name}.max`, bounds.max, min, max);
  if (high < low) throw new InvalidOptionError(`${name}: max ${high} is below min ${low}`);
  return { min: low, max: high };
}

function shareRange(name: string, value: number | { min: number; max: number }, min = 0, max = 1): Range {
  const bounds = typeof value === 'number' ? { min: value, max: value } : value;
  if (typeof bounds !== 'object' || bounds === null) throw new InvalidOptionError(`${name} must be a number from 0 to 1 or { min, max }`);
  const low = number(`${name}.min`, bounds.min, min, max);
  const high = number(`${name}.max`, bounds.max, min, max);
  if (high < low) throw new InvalidOptionError(`${name}: max ${high} is below min ${low}`);
  return { min: low, max: high };
}

function integer(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidOptionError(`${name} must be an integer from ${min} to ${max}; got ${value}`);
  }
  return value;
}

function number(name: string, value: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new InvalidOptionError(`${name} must be a number from ${min} to ${max}; got ${value}`);
  }
  return value;
}
