/**
 * `replimq-testkit experiment`: its flags, its exit codes, and one real run from the command
 * line — SQLite nodes all killed at once (`kill-all`) and restarted — with a progress line, the
 * verdict, and the report on disk.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { duration, parseExperimentArgs } from '../../client/src/cli/experiment-args.js';
import { EXIT, main } from '../../client/src/cli/main.js';
import { resolveExperiment } from '../../client/src/experiment/options.js';
import { planExperiment } from '../../client/src/experiment/plan.js';

const BIN = fileURLToPath(new URL('../../client/bin/replimq-testkit.js', import.meta.url));

function captured() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, output: { out: (text: string) => out.push(text), err: (text: string) => err.push(text), tty: false } };
}

describe('replimq-testkit experiment: arguments', () => {
  it('turns the flags into a cluster and an experiment', () => {
    const parsed = parseExperimentArgs(['--nodes', '5', '--storage', 'sqlite', '--duration', '2m', '--seed', '42', '--out', 'report/', '--faults', 'kill,kill-all', '--hold', '1s-3s', '--ack-modes', 'majority,all', '--rate', '12.5', '--runtime', 'process']);
    expect(parsed).toEqual({
      help: false,
      nodes: 5,
      storage: 'sqlite',
      runtime: 'process',
      out: 'report/',
      linkFaults: false,
      experiment: { durationMs: 120_000, seed: 42, ackModes: ['majority', 'all'], workload: { rate: 12.5 }, nemesis: { faults: ['kill', 'kill-all'], holdMs: { min: 1_000, max: 3_000 } } },
    });
    expect(parseExperimentArgs(['--faults', 'none'])).toMatchObject({ experiment: { nemesis: { faults: [] }, durationMs: 60_000 } });
    expect(duration('--duration', '1500ms')).toBe(1_500);
    expect(duration('--duration', '90')).toBe(90_000);
  });

  it('rejects bad flags with exit code 2 and the usage', async () => {
    for (const argv of [['experiment', '--duration', 'soon'], ['experiment', '--storage', 'disk'], ['experiment', '--bogus'], ['experiment', '--seed', '-3'], ['frobnicate']]) {
      const { err, output } = captured();
      expect(await main(argv, output), argv.join(' ')).toBe(EXIT.usage);
      expect(err.join('')).toMatch(/Usage: replimq-testkit/);
    }
    const { out, output } = captured();
    expect(await main(['experiment', '--help'], output)).toBe(EXIT.kept);
    expect(out.join('')).toMatch(/--seed N/);
  });
});

describe('replimq-testkit experiment: a run', () => {
  it('kills every SQLite node at once, restarts them, and exits 0 with the report written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'replimq-cli-'));
    try {
      const out = join(dir, 'report');
      const flags = ['--nodes', '3', '--storage', 'sqlite', '--runtime', 'process', '--duration', '8s', '--seed', '7', '--faults', 'kill-all', '--hold', '2s', '--heal', '2s', '--rate', '20'];
      // The faults the seed plans (every one a kill-all of the three nodes), as the run must do them.
      const parsed = parseExperimentArgs(flags);
      if (parsed.help) throw new Error('expected an experiment, not the usage');
      const planned = planExperiment(resolveExperiment(parsed.experiment, { nodes: 3, storage: 'sqlite' })).faults;
      expect(planned.length).toBeGreaterThan(0);
      const run = spawnSync(process.execPath, [BIN, 'experiment', ...flags, '--out', out], { encoding: 'utf8', timeout: 110_000 });
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
      expect(run.stderr).toMatch(/workload \d+\.\d\/8\.0 s {2}ops \d+/);
      expect(run.stdout).toContain(`seed 7: `);
      expect(run.stdout).toMatch(new RegExp(`operations, ${planned.length} faults`));
      expect(run.stdout).toMatch(/^majority kept/m);
      expect(run.stdout).toMatch(/every ack mode kept its promise/);
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
      expect(summary.summary.converged).toBe(true);
      expect(summary.summary.byAckMode.majority.lost).toBe(0);
      const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8'));
      expect(history.history.faults).toMatchObject(planned.map(() => ({ kind: 'kill-all', nodes: [1, 2, 3] })));
      expect(existsSync(join(out, 'report.html'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
