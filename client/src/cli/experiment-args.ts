/**
 * `replimq-testkit experiment …`: its flags, turned into a cluster to start and the experiment's
 * options (pure, so the parsing is tested without starting anything).
 */
import { parseArgs } from 'node:util';
import type { ChaosSpec } from '../chaos-spec.js';
import type { RuntimeChoice } from '../cluster.js';
import { InvalidOptionError } from '../errors.js';
import type { Duration, ExperimentOptions, NemesisKind } from '../experiment/options.js';
import { ACK_MODES, STORAGE_KINDS } from '../node-options.js';
import type { AckMode, StorageKind } from '../node-options.js';

export const EXPERIMENT_USAGE = `Usage: replimq-testkit experiment [options]

Starts a replimq cluster, runs a seeded workload while a nemesis kills, pauses, partitions and
slows its nodes, heals and drains it, checks the history per ack mode and writes a report
(report.html, summary.json, history.json). Exits 0 when every ack mode kept its promise and the
nodes converged, 1 when a promise was broken, 2 on bad usage, 3 when the run itself failed.

Options:
  --nodes N              cluster size (default 3)
  --storage KIND         memory or sqlite (default memory; sqlite adds the kill-all fault)
  --runtime KIND         auto, container or process (default auto: containers where Docker answers)
  --duration TIME        workload time, e.g. 60s, 2m, 90000ms (default 60s)
  --seed N               the seed; the same seed replays the same schedule (default: random, printed)
  --out DIR              where the report goes (default replimq-experiment-<seed>)
  --faults LIST          fault kinds, comma-separated, or none (default: every kind the cluster allows):
                         kill, pause, partition-leader, partition-random, partition-bridge, one-way, delay, kill-all,
                         link-latency, link-loss (these two with --link-faults)
  --link-faults          every node reaches every other through a TCP proxy per directed link, which
                         the link-latency and link-loss faults degrade (seeded with --seed)
  --hold TIME[-TIME]     how long each fault is held (default 2s-5s)
  --heal TIME[-TIME]     quiet time after each heal (default 2s-4s)
  --ack-modes LIST       ack modes under test (default none,one,majority,all)
  --producers N          concurrent senders (default 4)
  --consumers N          concurrent receivers (default 4)
  --rate N               send operations per second (default 40)
  --message-bytes N      body size (default 200)
  --batch-share F        share of sends that are batches, 0-1 (default 0.2)
  --chaos JSON           SQS's own failure modes on every node during the workload, e.g.
                         '{"errors":[{"rate":0.02,"error":"ServiceUnavailable"}],"duplicates":{"rate":0.05}}'
  --image NAME           container runtime: the replimq image
  --server-bin PATH      process runtime: the server's bin/replimq.js
  -h, --help             this text
`;

export interface ExperimentCommand {
  nodes: number;
  storage: StorageKind;
  runtime: RuntimeChoice;
  out?: string;
  image?: string;
  serverBin?: string;
  /** Start the cluster `withLinkFaults()`. */
  linkFaults: boolean;
  experiment: ExperimentOptions;
}

export type ParsedCommand = { help: true } | ({ help: false } & ExperimentCommand);

export function parseExperimentArgs(argv: readonly string[]): ParsedCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        nodes: { type: 'string' },
        storage: { type: 'string' },
        runtime: { type: 'string' },
        duration: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        faults: { type: 'string' },
        hold: { type: 'string' },
        heal: { type: 'string' },
        'ack-modes': { type: 'string' },
        producers: { type: 'string' },
        consumers: { type: 'string' },
        rate: { type: 'string' },
        'message-bytes': { type: 'string' },
        'batch-share': { type: 'string' },
        chaos: { type: 'string' },
        image: { type: 'string' },
        'server-bin': { type: 'string' },
        'link-faults': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new InvalidOptionError(error instanceof Error ? error.message : String(error));
  }
  const values = parsed.values;
  if (values.help) return { help: true };
  const storage = oneOf('--storage', values.storage ?? 'memory', STORAGE_KINDS);
  const workload: NonNullable<ExperimentOptions['workload']> = {};
  if (values.producers !== undefined) workload.producers = integer('--producers', values.producers);
  if (values.consumers !== undefined) workload.consumers = integer('--consumers', values.consumers);
  if (values.rate !== undefined) workload.rate = decimal('--rate', values.rate);
  if (values['message-bytes'] !== undefined) workload.messageBytes = integer('--message-bytes', values['message-bytes']);
  if (values['batch-share'] !== undefined) workload.batchShare = decimal('--batch-share', values['batch-share']);
  const nemesis: { faults?: NemesisKind[]; holdMs?: Duration; healMs?: Duration } = {};
  if (values.faults !== undefined) nemesis.faults = values.faults === 'none' ? [] : (list(values.faults) as NemesisKind[]);
  if (values.hold !== undefined) nemesis.holdMs = durationRange('--hold', values.hold);
  if (values.heal !== undefined) nemesis.healMs = durationRange('--heal', values.heal);
  const experiment: ExperimentOptions = {
    durationMs: duration('--duration', values.duration ?? '60s'),
    workload,
    nemesis,
    ...(values.seed !== undefined ? { seed: integer('--seed', values.seed) } : {}),
    ...(values.chaos !== undefined ? { chaos: chaosRules(values.chaos) } : {}),
    ...(values['ack-modes'] !== undefined ? { ackModes: list(values['ack-modes']).map((mode) => oneOf('--ack-modes', mode, ACK_MODES) as AckMode) } : {}),
  };
  return {
    help: false,
    nodes: integer('--nodes', values.nodes ?? '3'),
    storage,
    runtime: oneOf('--runtime', values.runtime ?? 'auto', ['auto', 'container', 'process'] as const),
    linkFaults: values['link-faults'] === true,
    experiment,
    ...(values.out !== undefined ? { out: values.out } : {}),
    ...(values.image !== undefined ? { image: values.image } : {}),
    ...(values['server-bin'] !== undefined ? { serverBin: values['server-bin'] } : {}),
  };
}

/** `60s`, `2m`, `1500ms`, `1h`; a bare number is seconds. */
export function duration(flag: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new InvalidOptionError(`${flag} must be a time like 60s, 2m or 1500ms; got "${text}"`);
  const scale = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(match[1]) * scale);
}

function durationRange(flag: string, text: string): Duration {
  const [low, high] = text.split('-');
  return high === undefined ? duration(flag, low!) : { min: duration(flag, low!), max: duration(flag, high) };
}

/** The node checks the rules themselves when they are set; here only that they are a JSON object. */
function chaosRules(text: string): ChaosSpec {
  let rules: unknown;
  try {
    rules = JSON.parse(text);
  } catch {
    throw new InvalidOptionError(`--chaos must be the rules as JSON; got ${JSON.stringify(text)}`);
  }
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) throw new InvalidOptionError('--chaos must be a JSON object');
  return rules as ChaosSpec;
}

function list(text: string): string[] {
  return text.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

function integer(flag: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidOptionError(`${flag} must be a whole number; got "${text}"`);
  return Number(text);
}

function decimal(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new InvalidOptionError(`${flag} must be a number; got "${text}"`);
  return value;
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new InvalidOptionError(`${flag} must be one of ${allowed.join(', ')}; got "${value}"`);
  return value as T;
}
