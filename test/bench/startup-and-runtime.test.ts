import { describe, expect, it } from 'vitest';
import { splitLines } from '../../bench/src/issue-report.js';
import { FULL_SCALES, parseOptions, QUICK_SCALES } from '../../bench/src/options.js';
import { atLeast } from '../../bench/src/systems/node-runtime.js';
import { spuriousElections } from '../../bench/src/startup/startup-row.js';

describe('start-up elections', () => {
  it('counts every term above the first election as a spurious one', () => {
    expect(spuriousElections([1, 1, 1])).toBe(0);
    expect(spuriousElections([3, 3, 2])).toBe(2);
    expect(spuriousElections([0, 0])).toBe(0);
    expect(spuriousElections([])).toBe(0);
  });
});

describe('Node 22 floor of fauxqs 2.x', () => {
  it('compares versions numerically, part by part', () => {
    expect(atLeast('v22.5.0', '22.5.0')).toBe(true);
    expect(atLeast('v22.23.3', '22.5.0')).toBe(true);
    expect(atLeast('v22.4.9', '22.5.0')).toBe(false);
    expect(atLeast('v20.20.2', '22.5.0')).toBe(false);
    expect(atLeast('v24.0.0', '22.5.0')).toBe(true);
  });
});

describe('scales by mode', () => {
  it('runs the issue-14 rows in quick mode, everything but sync in full mode, and what is named otherwise', () => {
    expect(parseOptions(['--quick']).scales).toEqual([...QUICK_SCALES]);
    expect(parseOptions([]).scales).toEqual([...FULL_SCALES]);
    expect(FULL_SCALES).not.toContain('sync');
    expect(parseOptions(['--quick', '--scales', 'startup,memory']).scales).toEqual(['startup', 'memory']);
    expect(parseOptions(['--scales', 'none']).scales).toEqual([]);
    expect(() => parseOptions(['--scales', 'bogus'])).toThrow(/unknown scale bogus/);
  });

  it('takes a count of busy loops for a machine made busy on purpose', () => {
    expect(parseOptions([]).busy).toBe(0);
    expect(parseOptions(['--busy', '1']).busy).toBe(1);
    expect(() => parseOptions(['--busy', 'half'])).toThrow(/--busy/);
  });
});

describe('a run file holds three kinds of lines', () => {
  it('tells scenario rows, start-up rows and target checks apart', () => {
    const { rows, startup, targets } = splitLines([
      { kind: 'startup', group: 'startup', system: 's', subject: 'single', nodes: 1, load: 'idle', samples: 1, readyMs: 1, minMs: 1, maxMs: 1, spuriousElections: 0 },
      { kind: 'target', target: 't', subject: 's', figure: 'f', value: 1, comparison: '≥', threshold: 1, pass: true },
      {
        group: 'headline', system: 'replimq-memory', nodes: 1, workload: 'send', loader: 'raw', concurrency: 16, bodyBytes: 256, queues: 1, rounds: 1,
        messagesPerSecond: 1, p50Ms: 1, p99Ms: 1, maxMs: 1, serverCpuPer10k: 1, loaderCpuPer10k: 1, peakRssMiB: 1, errors: 0,
      },
    ]);
    expect([rows.length, startup.length, targets.length]).toEqual([1, 1, 1]);
  });
});

describe('start-up against the peers', () => {
  it('divides a single node\'s ready time by the faster fauxqs\'s under the same load', async () => {
    const { startupVersusPeers } = await import('../../bench/src/issue-report.js');
    const base = { kind: 'startup', group: 'startup', subject: 'single', nodes: 1, samples: 2, minMs: 0, maxMs: 0, spuriousElections: 0 } as const;
    const replimq = { ...base, system: 'replimq-memory', load: 'idle', readyMs: 200 } as const;
    const loaded = { ...base, system: 'replimq-memory', load: 'loaded', readyMs: 900 } as const;
    const ratios = startupVersusPeers([
      { ...base, system: 'fauxqs', load: 'idle', readyMs: 500 },
      { ...base, system: 'fauxqs2', load: 'idle', readyMs: 400 },
      replimq,
      loaded,
    ]);
    expect(ratios.get(replimq)).toBe(0.5);
    expect(ratios.has(loaded)).toBe(false);
  });
});
