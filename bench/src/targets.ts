/**
 * Issue 14's targets, checked against one run's rows: every figure the issue names, as measured,
 * beside its threshold and a pass/miss. Ratios are between rows of the same run (the same
 * scenario on both systems), so a busy machine depresses both sides alike; absolute targets
 * (start-up ms, MiB, % of a core) carry the row's background load so a miss can be judged.
 */
import { comparisonKey, type ResultRow } from './scenario.js';
import { bestOf, isFauxqs } from './report.js';
import type { StartupRow } from './startup/startup-row.js';

export type Comparison = '≥' | '≤' | '<';

export interface TargetCheck {
  kind: 'target';
  /** Short name of the target, as the issue states it. */
  target: string;
  /** The row(s) judged: system, workload, loader, concurrency, point. */
  subject: string;
  /** What the value is (a ratio's two sides, or a unit). */
  figure: string;
  value: number;
  comparison: Comparison;
  threshold: number;
  pass: boolean;
  /** Median background CPU of the rows behind the value (other people's work on this machine). */
  backgroundCpuPercent?: number;
}

/** Background load from which the "half busy" SendMessage threshold applies instead of the quiet one. */
export const HALF_BUSY_PERCENT = 25;
/** "Receive cost flat with backlog depth": CPU per message at the deepest backlog over the shallowest. */
export const FLAT_COST_RATIO = 1.5;

export function evaluateTargets(rows: readonly ResultRow[], startup: readonly StartupRow[] = []): TargetCheck[] {
  const measured = rows.filter((row) => !row.skipped);
  return [
    ...sendVersusPeers(measured),
    ...cpuVersusPeers(measured),
    ...storageAndClusterShares(measured),
    ...replicationLag(measured),
    ...followerVersusLeader(measured),
    ...manyConsumers(measured),
    ...memory(measured),
    ...startupTargets(startup),
  ];
}

function check(target: string, subject: string, figure: string, value: number, comparison: Comparison, threshold: number, background?: number): TargetCheck {
  const pass = comparison === '≥' ? value >= threshold : comparison === '≤' ? value <= threshold : value < threshold;
  return {
    kind: 'target', target, subject, figure, value: round(value), comparison, threshold, pass,
    ...(background !== undefined ? { backgroundCpuPercent: round(background) } : {}),
  };
}

function describe(row: ResultRow): string {
  const point = row.depth !== undefined ? ` depth ${row.depth}` : row.queues > 1 ? ` ${row.queues} queues` : '';
  return `${row.system} ${row.workload}/${row.loader}/c${row.concurrency}${point}`;
}

/** replimq's own systems that stand alone (single node), on either Node. */
const SINGLE_MEMORY = /^replimq-memory(-node22)?$/;
const SINGLE_SQLITE = /^replimq-sqlite(-node22)?$/;

function meanBackground(...rows: ResultRow[]): number | undefined {
  const values = rows.map((row) => row.backgroundCpuPercent).filter((value): value is number => value !== undefined);
  return values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : undefined;
}

/** SendMessage through the raw loaders: ≥ 2× the best fauxqs (≥ 1.5× half busy), ≥ 70% of the ceiling. */
function sendVersusPeers(rows: readonly ResultRow[]): TargetCheck[] {
  const fauxqs = bestOf(rows.filter((row) => isFauxqs(row.system)));
  const ceiling = new Map(rows.filter((row) => row.system === 'ceiling').map((row) => [comparisonKey(row), row]));
  const checks: TargetCheck[] = [];
  for (const row of rows) {
    if (row.group !== 'headline' || row.workload !== 'send' || row.concurrency !== 16 || row.loader === 'sdk' || !SINGLE_MEMORY.test(row.system)) continue;
    const peer = fauxqs.get(comparisonKey(row));
    if (peer) {
      const background = meanBackground(row, peer);
      const halfBusy = (background ?? 0) >= HALF_BUSY_PERCENT;
      checks.push(check(halfBusy ? 'SendMessage ≥ 1.5× best fauxqs (half busy)' : 'SendMessage ≥ 2× best fauxqs (quiet)', describe(row),
        `msgs/s ÷ ${peer.system}'s`, row.messagesPerSecond / peer.messagesPerSecond, '≥', halfBusy ? 1.5 : 2, background));
    }
    const top = ceiling.get(comparisonKey(row));
    if (top) checks.push(check('SendMessage ≥ 70% of the ceiling', describe(row), 'msgs/s ÷ ceiling\'s', row.messagesPerSecond / top.messagesPerSecond, '≥', 0.7, meanBackground(row, top)));
  }
  return checks;
}

/**
 * Receive+delete, batches, FIFO sends: server CPU per 10,000 messages ≤ 0.8× the best fauxqs's.
 * For a CPU target the best fauxqs is the one that spent less CPU per message in the scenario,
 * which need not be the one that moved more messages per second (the reference of `×fauxqs`).
 */
function cpuVersusPeers(rows: readonly ResultRow[]): TargetCheck[] {
  const fauxqs = cheapestOf(rows.filter((row) => isFauxqs(row.system) && row.serverCpuPer10k > 0));
  const checks: TargetCheck[] = [];
  for (const row of rows) {
    if (row.group !== 'headline' || !['receive-delete', 'send-batch', 'fifo-send'].includes(row.workload)) continue;
    if (!SINGLE_MEMORY.test(row.system) && !SINGLE_SQLITE.test(row.system)) continue;
    const peer = fauxqs.get(comparisonKey(row));
    if (!peer || peer.serverCpuPer10k <= 0) continue;
    checks.push(check('server CPU/10k msgs ≤ 0.8× best fauxqs', describe(row), `srv cpu ÷ ${peer.system}'s`, row.serverCpuPer10k / peer.serverCpuPer10k, '≤', 0.8, meanBackground(row, peer)));
  }
  return checks;
}

/** Per scenario, the measured row with the least server CPU per message. */
function cheapestOf(rows: readonly ResultRow[]): Map<string, ResultRow> {
  const cheapest = new Map<string, ResultRow>();
  for (const row of rows) {
    const key = comparisonKey(row);
    const current = cheapest.get(key);
    if (!current || row.serverCpuPer10k < current.serverCpuPer10k) cheapest.set(key, row);
  }
  return cheapest;
}

/**
 * SQLite ≥ 70% of memory storage on every workload; 3 nodes `majority` ≥ 50% and `none` ≥ 60% of
 * a single node. Each pair is on the same Node (a -node22 system against its -node22 single node).
 */
function storageAndClusterShares(rows: readonly ResultRow[]): TargetCheck[] {
  const byKey = new Map(rows.map((row) => [`${row.system}|${comparisonKey(row)}`, row]));
  const checks: TargetCheck[] = [];
  const pairs: { pattern: RegExp; base: (node22: string) => string; target: string; threshold: number }[] = [
    { pattern: /^replimq-sqlite(-node22)?$/, base: (suffix) => `replimq-memory${suffix}`, target: 'SQLite ≥ 70% of memory', threshold: 0.7 },
    { pattern: /^replimq-3n-majority(-node22)?$/, base: (suffix) => `replimq-memory${suffix}`, target: '3 nodes majority ≥ 50% of single', threshold: 0.5 },
    { pattern: /^replimq-3n-none(-node22)?$/, base: (suffix) => `replimq-memory${suffix}`, target: '3 nodes none ≥ 60% of single', threshold: 0.6 },
  ];
  for (const row of rows) {
    if (row.group !== 'headline' || row.workload === 'long-poll' || row.workload === 'send-paced') continue;
    for (const pair of pairs) {
      const match = pair.pattern.exec(row.system);
      if (!match) continue;
      const base = byKey.get(`${pair.base(match[1] ?? '')}|${comparisonKey(row)}`);
      if (!base || base.messagesPerSecond <= 0) continue;
      checks.push(check(pair.target, describe(row), `msgs/s ÷ ${base.system}'s`, row.messagesPerSecond / base.messagesPerSecond, '≥', pair.threshold, meanBackground(row, base)));
    }
  }
  return checks;
}

/** Replication lag p99 < 20 ms at half load (the send-paced rows of clusters). */
function replicationLag(rows: readonly ResultRow[]): TargetCheck[] {
  return rows
    .filter((row) => row.workload === 'send-paced' && row.nodes > 1 && row.lagP99Ms !== undefined)
    .map((row) => check('replication lag p99 < 20 ms at half load', `${describe(row)} ${row.offeredRate ?? '?'}/s`, 'lag p99 ms', row.lagP99Ms!, '<', 20, row.backgroundCpuPercent));
}

/**
 * Through a follower ≥ 80% of through the leader: sends (JSON and Query) by messages/s; long polls
 * (fixed offered rate, so throughput is equal by design) by speed, leader p99 ÷ follower p99.
 */
function followerVersusLeader(rows: readonly ResultRow[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const row of rows) {
    if (row.group !== 'follower' || !row.system.endsWith('-via-follower')) continue;
    const leaderSystem = row.system.slice(0, -'-via-follower'.length);
    const leader = rows.find((candidate) => candidate.system === leaderSystem && comparisonKey(candidate) === comparisonKey(row));
    if (!leader) continue;
    if (row.workload === 'long-poll') {
      if (row.p99Ms > 0) checks.push(check('via follower ≥ 80% of via leader', describe(row), 'leader p99 ÷ follower p99 (send→receive)', leader.p99Ms / row.p99Ms, '≥', 0.8, meanBackground(row, leader)));
    } else if (leader.messagesPerSecond > 0) {
      const protocol = row.workload === 'send-query' ? 'Query' : 'JSON';
      checks.push(check(`via follower ≥ 80% of via leader (${protocol})`, describe(row), 'msgs/s ÷ via leader', row.messagesPerSecond / leader.messagesPerSecond, '≥', 0.8, meanBackground(row, leader)));
    }
  }
  return checks;
}

/** Parked long polls < 2% of a core; 30 consumers drain with no errors; FIFO receive cost flat. */
function manyConsumers(rows: readonly ResultRow[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  // The peers' rows are there for comparison; the targets are replimq's.
  const consumers = rows.filter((row) => row.group === 'consumers' && row.system.startsWith('replimq-'));
  for (const row of consumers) {
    if (row.workload === 'idle-long-polls' && row.serverCpuPercentOfCore !== undefined) {
      checks.push(check('parked long polls < 2% of a core', describe(row), 'server CPU % of a core', row.serverCpuPercentOfCore, '<', 2, row.backgroundCpuPercent));
    }
    if (row.workload === 'receive-delete') {
      checks.push(check(`${row.concurrency} consumers drain with no errors`, `${describe(row)} at ${Math.round(row.messagesPerSecond)} msgs/s`, 'errors', row.errors, '≤', 0, row.backgroundCpuPercent));
    }
  }
  const fifo = new Map<string, ResultRow[]>();
  for (const row of consumers.filter((candidate) => candidate.workload === 'fifo-receive-delete' && candidate.depth !== undefined)) {
    fifo.set(row.system, [...(fifo.get(row.system) ?? []), row]);
  }
  for (const [system, series] of fifo) {
    if (series.length < 2) continue;
    const sorted = [...series].sort((a, b) => a.depth! - b.depth!);
    const shallow = sorted[0]!;
    const deep = sorted[sorted.length - 1]!;
    if (shallow.serverCpuPer10k <= 0) continue;
    checks.push(check('FIFO receive cost flat with depth', `${system} fifo-receive-delete depth ${deep.depth} vs ${shallow.depth}`,
      'srv cpu/10k deep ÷ shallow', deep.serverCpuPer10k / shallow.serverCpuPer10k, '≤', FLAT_COST_RATIO, meanBackground(deep, shallow)));
  }
  return checks;
}

/** 10^6 waiting 256-byte messages ≤ 400 MiB RSS on memory storage. */
function memory(rows: readonly ResultRow[]): TargetCheck[] {
  return rows
    .filter((row) => row.group === 'memory' && SINGLE_MEMORY.test(row.system) && row.rssMiB !== undefined)
    .map((row) => check(`${row.depth} waiting ${row.bodyBytes}-byte messages ≤ 400 MiB`, describe(row), 'RSS MiB', row.rssMiB!, '≤', 400, row.backgroundCpuPercent));
}

/** Single node < 300 ms, 3-node process cluster < 1.5 s, 3 containers < 2.5 s; no spurious elections. */
function startupTargets(rows: readonly StartupRow[]): TargetCheck[] {
  const limits = { single: 300, 'process-cluster': 1_500, 'container-cluster': 2_500 } as const;
  const checks: TargetCheck[] = [];
  for (const row of rows) {
    // The peers' start-up rows are there for comparison; the targets are replimq's.
    if (row.skipped || !row.system.startsWith('replimq-')) continue;
    const subject = `${row.system} (${row.load}, ${row.samples} starts)`;
    checks.push(check(`start-up ${row.subject} < ${limits[row.subject]} ms`, subject, 'spawn → ready ms, median', row.readyMs, '<', limits[row.subject], row.backgroundCpuPercent));
    if (row.nodes > 1) checks.push(check('no spurious elections at start-up', subject, 'elections beyond the first', row.spuriousElections, '≤', 0, row.backgroundCpuPercent));
  }
  return checks;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
