import { describe, expect, it } from 'vitest';
import { formatDeploymentsMarkdown, type FailoverRow } from '../../bench/src/deployments.js';
import { jsonLine } from '../../bench/src/report.js';
import type { ResultRow } from '../../bench/src/scenario.js';

function row(system: string, nodes: number, workload: ResultRow['workload'], loader: ResultRow['loader'], messagesPerSecond: number, overrides: Partial<ResultRow> = {}): ResultRow {
  return {
    group: 'headline', system, nodes, workload, loader, concurrency: 16, bodyBytes: 256, queues: 1, rounds: 3,
    messagesPerSecond, p50Ms: 1, p99Ms: 4, maxMs: 9, serverCpuPer10k: 0.5, loaderCpuPer10k: 0.5, peakRssMiB: 100, errors: 0,
    ...overrides,
  };
}

describe('the deployments table: rates next to failover time', () => {
  const rows = [
    row('replimq-sqlite', 1, 'send', 'sdk', 2_500),
    row('replimq-sqlite', 1, 'send', 'raw', 4_000),
    row('replimq-sqlite', 1, 'receive-delete', 'sdk', 3_100),
    row('replimq-3n-majority', 3, 'send', 'raw', 1_900),
    row('replimq-3n-majority', 3, 'receive-delete', 'sdk', 0, { skipped: 'failed: timeout' }),
    row('replimq-3n-shared-pg', 3, 'send', 'raw', 800),
    row('replimq-3n-shared-pg', 3, 'send', 'raw', 9_999, { concurrency: 1 }),
    row('replimq-3n-shared-pg', 3, 'receive-delete', 'sdk', 600),
    row('fauxqs', 1, 'send', 'raw', 5_000),
  ];
  const failovers: FailoverRow[] = [
    { group: 'failover', system: 'replimq-3n-majority', nodes: 3, failoverMs: 1_312.4 },
    { group: 'failover', system: 'replimq-3n-shared-pg', nodes: 3, failoverMs: 1_634.9 },
  ];

  it('puts each compared system on one line: c16 rates (raw before the SDK), failover ms, nothing from skipped rows', () => {
    expect(formatDeploymentsMarkdown(rows, failovers).split('\n')).toEqual([
      '#### deployments',
      '',
      '| system | nodes | send msgs/s | receive+delete msgs/s | failover ms |',
      '| --- | --- | --- | --- | --- |',
      '| replimq-sqlite | 1 | 4000 (raw) | 3100 (sdk) | n/a (one node) |',
      '| replimq-3n-majority | 3 | 1900 (raw) |  | 1312 |',
      '| replimq-3n-shared-pg | 3 | 800 (raw) | 600 (sdk) | 1635 |',
    ]);
  });

  it('says why a failover was not measured, and is empty when no compared system ran', () => {
    const failed: FailoverRow = { group: 'failover', system: 'replimq-3n-shared-pg', nodes: 3, skipped: 'failed: no write acknowledged' };
    expect(formatDeploymentsMarkdown([], [failed])).toContain('| replimq-3n-shared-pg | 3 |  |  | not measured: failed: no write acknowledged |');
    expect(formatDeploymentsMarkdown([row('fauxqs', 1, 'send', 'raw', 1)], [])).toBe('');
  });

  it('writes a failover as a JSON line of its own', () => {
    expect(JSON.parse(jsonLine(failovers[1]!))).toEqual({ group: 'failover', system: 'replimq-3n-shared-pg', nodes: 3, failoverMs: 1634.9 });
  });
});
