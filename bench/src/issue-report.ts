/**
 * The tables a run adds beside the scenario tables of report.ts: start-up rows, and every target
 * check with its figure, threshold and verdict. Kept apart from report.ts so that each kind of
 * row owns its rendering; the JSON lines of all kinds go to the same .jsonl, told apart by `kind`.
 */
import type { ResultRow } from './scenario.js';
import type { StartupRow } from './startup/startup-row.js';
import type { TargetCheck } from './targets.js';

/** Any line of a run's .jsonl. Scenario rows predate `kind` and carry none. */
export type RunLine = ResultRow | StartupRow | TargetCheck;

export function splitLines(lines: readonly RunLine[]): { rows: ResultRow[]; startup: StartupRow[]; targets: TargetCheck[] } {
  const rows: ResultRow[] = [];
  const startup: StartupRow[] = [];
  const targets: TargetCheck[] = [];
  for (const line of lines) {
    if ('kind' in line && line.kind === 'startup') startup.push(line);
    else if ('kind' in line && line.kind === 'target') targets.push(line);
    else rows.push(line as ResultRow);
  }
  return { rows, startup, targets };
}

type Table = { header: string[]; lines: string[][] };

/** Single processes: ready time ÷ the faster fauxqs's under the same load (below 1: faster). */
export function startupVersusPeers(rows: readonly StartupRow[]): Map<StartupRow, number> {
  const ratios = new Map<StartupRow, number>();
  for (const row of rows) {
    if (row.skipped || row.subject !== 'single' || row.system.startsWith('fauxqs')) continue;
    const peers = rows.filter((peer) => !peer.skipped && peer.system.startsWith('fauxqs') && peer.load === row.load && peer.readyMs > 0);
    if (peers.length) ratios.set(row, row.readyMs / Math.min(...peers.map((peer) => peer.readyMs)));
  }
  return ratios;
}

function startupTable(rows: readonly StartupRow[]): Table {
  const versusPeers = startupVersusPeers(rows);
  return {
    header: ['system', 'subject', 'load', 'starts', 'ready ms (median)', '×best fauxqs', 'min–max ms', 'spurious elections', 'bg cpu', 'note'],
    lines: rows.map((row) =>
      row.skipped
        ? [row.system, row.subject, row.load, '0', '', '', '', '', '', `skipped: ${row.skipped}`]
        : [
            row.system, row.subject, row.load, String(row.samples), row.readyMs.toFixed(0),
            versusPeers.has(row) ? `${versusPeers.get(row)!.toFixed(2)}×` : '', `${row.minMs.toFixed(0)}–${row.maxMs.toFixed(0)}`,
            row.nodes > 1 ? String(row.spuriousElections) : '', row.backgroundCpuPercent !== undefined ? `${row.backgroundCpuPercent.toFixed(0)}%` : '', row.note ?? '',
          ],
    ),
  };
}

function targetTable(checks: readonly TargetCheck[]): Table {
  return {
    header: ['target', 'subject', 'figure', 'value', 'needs', 'verdict', 'bg cpu'],
    lines: checks.map((check) => [
      check.target, check.subject, check.figure, formatValue(check.value), `${check.comparison} ${check.threshold}`,
      check.pass ? 'pass' : 'MISS', check.backgroundCpuPercent !== undefined ? `${check.backgroundCpuPercent.toFixed(0)}%` : '',
    ]),
  };
}

function formatValue(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function markdown(title: string, table: Table): string {
  return [`#### ${title}`, '', `| ${table.header.join(' | ')} |`, `| ${table.header.map(() => '---').join(' | ')} |`, ...table.lines.map((line) => `| ${line.join(' | ')} |`)].join('\n');
}

function text(title: string, table: Table): string {
  const widths = table.header.map((title, index) => Math.max(title.length, ...table.lines.map((line) => line[index]!.length)));
  const format = (line: string[]): string => line.map((cell, index) => cell.padEnd(widths[index]!)).join('  ').trimEnd();
  return [`== ${title} ==`, format(table.header), ...table.lines.map(format)].join('\n');
}

function summary(checks: readonly TargetCheck[]): string {
  const passed = checks.filter((check) => check.pass).length;
  return `${passed} of ${checks.length} target checks pass`;
}

export function formatIssueMarkdown(startup: readonly StartupRow[], checks: readonly TargetCheck[]): string {
  return [
    ...(startup.length ? [markdown('startup', startupTable(startup))] : []),
    ...(checks.length ? [`${markdown('targets', targetTable(checks))}\n\n${summary(checks)}.`] : []),
  ].join('\n\n');
}

export function formatIssueTables(startup: readonly StartupRow[], checks: readonly TargetCheck[]): string {
  return [
    ...(startup.length ? [text('startup', startupTable(startup))] : []),
    ...(checks.length ? [`${text('targets', targetTable(checks))}\n${summary(checks)}`] : []),
  ].join('\n\n');
}
