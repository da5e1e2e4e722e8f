import { describe, expect, it } from 'vitest';
import { withRatios } from '../../bench/src/report.js';
import type { ResultRow } from '../../bench/src/scenario.js';

function row(system: string, messagesPerSecond: number, overrides: Partial<ResultRow> = {}): ResultRow {
  return {
    group: 'headline', system, nodes: 1, workload: 'send', loader: 'raw', concurrency: 16, bodyBytes: 256, queues: 1, rounds: 3,
    messagesPerSecond, p50Ms: 1, p99Ms: 4, maxMs: 9, serverCpuPer10k: 0.5, loaderCpuPer10k: 0.5, peakRssMiB: 100, errors: 0,
    ...overrides,
  };
}

describe('ratios to the peers of the same run', () => {
  it('divides each figure by fauxqs and by the ceiling for the same scenario', () => {
    const [, , replimq] = withRatios([row('ceiling', 20_000), row('fauxqs', 10_000), row('replimq-memory', 16_000, { p99Ms: 2 })]);
    expect(replimq!.vsFauxqs).toMatchObject({ messagesPerSecond: 1.6, p99Ms: 0.5 });
    expect(replimq!.vsCeiling).toMatchObject({ messagesPerSecond: 0.8 });
  });

  it('compares only rows of the same loader and concurrency, and never with skipped rows', () => {
    const rows = withRatios([
      row('fauxqs', 10_000, { loader: 'sdk' }),
      row('ceiling', 0, { skipped: 'not running' }),
      row('replimq-memory', 16_000),
    ]);
    expect(rows[2]!.vsFauxqs).toBeUndefined();
    expect(rows[2]!.vsCeiling).toBeUndefined();
  });
});
