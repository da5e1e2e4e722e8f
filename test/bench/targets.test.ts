import { describe, expect, it } from 'vitest';
import { withRatios } from '../../bench/src/report.js';
import type { ResultRow } from '../../bench/src/scenario.js';
import type { StartupRow } from '../../bench/src/startup/startup-row.js';
import { evaluateTargets } from '../../bench/src/targets.js';

function row(system: string, overrides: Partial<ResultRow> = {}): ResultRow {
  return {
    group: 'headline', system, nodes: system.includes('-3n-') ? 3 : 1, workload: 'send', loader: 'autocannon', concurrency: 16, bodyBytes: 256, queues: 1,
    rounds: 3, messagesPerSecond: 10_000, p50Ms: 1, p99Ms: 4, maxMs: 9, serverCpuPer10k: 0.5, loaderCpuPer10k: 0.5, peakRssMiB: 100, errors: 0,
    backgroundCpuPercent: 5, ...overrides,
  };
}

function startup(overrides: Partial<StartupRow>): StartupRow {
  return {
    kind: 'startup', group: 'startup', system: 'replimq-3n-majority', subject: 'process-cluster', nodes: 3, load: 'loaded', samples: 3,
    readyMs: 1_200, minMs: 1_100, maxMs: 1_400, spuriousElections: 0, ...overrides,
  };
}

const find = (checks: ReturnType<typeof evaluateTargets>, target: string, subject: string) =>
  checks.find((check) => check.target.startsWith(target) && check.subject.startsWith(subject));

describe('issue 14 targets', () => {
  it('judges SendMessage against the faster fauxqs and the ceiling, with the quiet threshold on a quiet machine', () => {
    const checks = evaluateTargets([
      row('ceiling', { messagesPerSecond: 30_000 }),
      row('fauxqs', { messagesPerSecond: 8_000 }),
      row('fauxqs2', { messagesPerSecond: 10_000 }),
      row('replimq-memory', { messagesPerSecond: 19_000 }),
    ]);
    const peers = find(checks, 'SendMessage ≥ 2×', 'replimq-memory send/autocannon');
    expect(peers).toMatchObject({ value: 1.9, threshold: 2, pass: false, figure: "msgs/s ÷ fauxqs2's" });
    expect(find(checks, 'SendMessage ≥ 70%', 'replimq-memory')).toMatchObject({ value: 0.633, pass: false });
  });

  it('applies the half-busy threshold when the rows ran beside other work', () => {
    const checks = evaluateTargets([
      row('fauxqs', { messagesPerSecond: 10_000, backgroundCpuPercent: 50 }),
      row('replimq-memory', { messagesPerSecond: 16_000, backgroundCpuPercent: 50 }),
    ]);
    expect(find(checks, 'SendMessage ≥ 1.5×', 'replimq-memory')).toMatchObject({ threshold: 1.5, pass: true });
  });

  it('compares server CPU per message with the best fauxqs on receive+delete, batches and FIFO sends only', () => {
    const drain = { workload: 'receive-delete', loader: 'raw', depth: 2_000 } as const;
    const checks = evaluateTargets([
      row('fauxqs', { ...drain, messagesPerSecond: 9_000, serverCpuPer10k: 0.5 }),
      row('fauxqs2', { ...drain, messagesPerSecond: 12_000, serverCpuPer10k: 0.4 }),
      row('replimq-memory', { ...drain, serverCpuPer10k: 0.3 }),
      row('replimq-memory', { workload: 'long-poll', loader: 'raw' }),
    ]);
    const cpu = checks.filter((check) => check.target.startsWith('server CPU'));
    expect(cpu).toHaveLength(1);
    expect(cpu[0]).toMatchObject({ value: 0.75, comparison: '≤', threshold: 0.8, pass: true });
  });

  it('takes the fauxqs that spent less CPU per message as the CPU reference, not the faster one', () => {
    const batch = { workload: 'send-batch', loader: 'raw' } as const;
    const checks = evaluateTargets([
      row('fauxqs', { ...batch, messagesPerSecond: 9_000, serverCpuPer10k: 0.2 }),
      row('fauxqs2', { ...batch, messagesPerSecond: 12_000, serverCpuPer10k: 0.25 }),
      row('replimq-memory', { ...batch, serverCpuPer10k: 0.18 }),
    ]);
    expect(find(checks, 'server CPU', 'replimq-memory send-batch')).toMatchObject({ value: 0.9, pass: false, figure: "srv cpu ÷ fauxqs's" });
  });

  it('pairs SQLite and clusters with the single memory node on the same Node', () => {
    const checks = evaluateTargets([
      row('replimq-memory', { messagesPerSecond: 10_000 }),
      row('replimq-memory-node22', { messagesPerSecond: 20_000 }),
      row('replimq-sqlite-node22', { messagesPerSecond: 15_000 }),
      row('replimq-3n-majority', { messagesPerSecond: 5_000 }),
      row('replimq-3n-none', { messagesPerSecond: 5_000 }),
    ]);
    expect(find(checks, 'SQLite', 'replimq-sqlite-node22')).toMatchObject({ value: 0.75, pass: true, figure: "msgs/s ÷ replimq-memory-node22's" });
    expect(find(checks, '3 nodes majority', 'replimq-3n-majority')).toMatchObject({ value: 0.5, pass: true });
    expect(find(checks, '3 nodes none', 'replimq-3n-none')).toMatchObject({ value: 0.5, pass: false });
  });

  it('checks lag at half load, follower against leader, consumers, memory and start-up', () => {
    const follower = { group: 'follower' } as const;
    const checks = evaluateTargets(
      [
        row('replimq-3n-majority', { workload: 'send-paced', loader: 'raw', lagP99Ms: 25, offeredRate: 2_000 }),
        row('replimq-3n-majority', { ...follower, messagesPerSecond: 6_000 }),
        row('replimq-3n-majority-via-follower', { ...follower, messagesPerSecond: 5_400 }),
        row('replimq-3n-majority', { ...follower, workload: 'long-poll', loader: 'raw', p99Ms: 8 }),
        row('replimq-3n-majority-via-follower', { ...follower, workload: 'long-poll', loader: 'raw', p99Ms: 16 }),
        row('replimq-memory', { group: 'consumers', workload: 'idle-long-polls', loader: 'raw', concurrency: 1_000, queues: 100, serverCpuPercentOfCore: 1.2 }),
        row('fauxqs', { group: 'consumers', workload: 'idle-long-polls', loader: 'raw', concurrency: 1_000, queues: 100, serverCpuPercentOfCore: 9 }),
        row('replimq-memory', { group: 'consumers', workload: 'receive-delete', loader: 'raw', concurrency: 30, depth: 10_000, errors: 3 }),
        row('replimq-memory', { group: 'consumers', workload: 'fifo-receive-delete', loader: 'raw', depth: 1_000, serverCpuPer10k: 0.4 }),
        row('replimq-memory', { group: 'consumers', workload: 'fifo-receive-delete', loader: 'raw', depth: 100_000, serverCpuPer10k: 0.8 }),
        row('replimq-memory', { group: 'memory', workload: 'hold', loader: 'raw', depth: 1_000_000, rssMiB: 390 }),
      ],
      [startup({}), startup({ system: 'replimq-memory', subject: 'single', nodes: 1, readyMs: 320 }), startup({ spuriousElections: 2, load: 'idle' }), startup({ skipped: 'no Docker' })],
    );
    expect(find(checks, 'replication lag', 'replimq-3n-majority')).toMatchObject({ value: 25, comparison: '<', pass: false });
    expect(find(checks, 'via follower ≥ 80% of via leader (JSON)', 'replimq-3n-majority-via-follower')).toMatchObject({ value: 0.9, pass: true });
    expect(find(checks, 'via follower ≥ 80% of via leader', 'replimq-3n-majority-via-follower long-poll')).toMatchObject({ value: 0.5, pass: false });
    const idle = checks.filter((check) => check.target.startsWith('parked long polls'));
    expect(idle.map((check) => [check.subject.split(' ')[0], check.pass])).toEqual([['replimq-memory', true]]);
    expect(find(checks, '30 consumers', 'replimq-memory')).toMatchObject({ value: 3, pass: false });
    expect(find(checks, 'FIFO receive cost flat', 'replimq-memory')).toMatchObject({ value: 2, pass: false });
    expect(find(checks, '1000000 waiting 256-byte messages ≤ 400 MiB', 'replimq-memory')).toMatchObject({ value: 390, pass: true });
    expect(find(checks, 'start-up process-cluster < 1500 ms', 'replimq-3n-majority (loaded')).toMatchObject({ pass: true });
    expect(find(checks, 'start-up single < 300 ms', 'replimq-memory')).toMatchObject({ value: 320, pass: false });
    const elections = checks.filter((check) => check.target === 'no spurious elections at start-up');
    expect(elections.map((check) => check.pass)).toEqual([true, false]);
  });
});

describe('the best fauxqs as the peer', () => {
  it('divides by whichever fauxqs was faster in that scenario and names it', () => {
    const rows = withRatios([
      row('fauxqs', { messagesPerSecond: 10_000 }),
      row('fauxqs2', { messagesPerSecond: 12_500 }),
      row('fauxqs', { workload: 'send-batch', messagesPerSecond: 50_000 }),
      row('fauxqs2', { workload: 'send-batch', messagesPerSecond: 40_000 }),
      row('replimq-memory', { messagesPerSecond: 25_000 }),
      row('replimq-memory', { workload: 'send-batch', messagesPerSecond: 25_000 }),
    ]);
    expect(rows[4]).toMatchObject({ vsFauxqsSystem: 'fauxqs2', vsFauxqs: { messagesPerSecond: 2 } });
    expect(rows[5]).toMatchObject({ vsFauxqsSystem: 'fauxqs', vsFauxqs: { messagesPerSecond: 0.5 } });
  });
});
