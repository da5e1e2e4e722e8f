/**
 * Turning rows into what people read: ratios to fauxqs and to the ceiling from the same run, one
 * table per group, and one JSON line per row.
 */
import { comparisonKey, type Ratios, type ResultRow } from './scenario.js';

/** Adds `vsFauxqs` / `vsCeiling` to every measured row that has a measured counterpart. */
export function withRatios(rows: readonly ResultRow[]): ResultRow[] {
  const reference = (system: string): Map<string, ResultRow> =>
    new Map(rows.filter((row) => row.system === system && !row.skipped).map((row) => [comparisonKey(row), row]));
  const fauxqs = reference('fauxqs');
  const ceiling = reference('ceiling');
  return rows.map((row) => {
    if (row.skipped) return row;
    const versusFauxqs = fauxqs.get(comparisonKey(row));
    const versusCeiling = ceiling.get(comparisonKey(row));
    return {
      ...row,
      ...(versusFauxqs ? { vsFauxqs: ratios(row, versusFauxqs) } : {}),
      ...(versusCeiling ? { vsCeiling: ratios(row, versusCeiling) } : {}),
    };
  });
}

function ratios(row: ResultRow, reference: ResultRow): Ratios {
  const divide = (mine: number, theirs: number): number => (theirs > 0 ? round(mine / theirs, 3) : 0);
  return {
    messagesPerSecond: divide(row.messagesPerSecond, reference.messagesPerSecond),
    p50Ms: divide(row.p50Ms, reference.p50Ms),
    p99Ms: divide(row.p99Ms, reference.p99Ms),
    serverCpuPer10k: divide(row.serverCpuPer10k, reference.serverCpuPer10k),
    peakRssMiB: divide(row.peakRssMiB, reference.peakRssMiB),
  };
}

/** One JSON line per row (a failover row too), numbers rounded to what the measurement can tell. */
export function jsonLine(row: object): string {
  return JSON.stringify(row, (_key, value: unknown) => (typeof value === 'number' && !Number.isInteger(value) ? round(value, 3) : value));
}

interface Column {
  title: string;
  value(row: ResultRow): string;
}

const COLUMNS: Column[] = [
  { title: 'system', value: (row) => row.system },
  { title: 'workload', value: (row) => row.workload },
  { title: 'loader', value: (row) => row.loader },
  { title: 'c', value: (row) => String(row.concurrency) },
  { title: 'point', value: scalePoint },
  { title: 'msgs/s', value: (row) => measured(row, () => fixed(row.messagesPerSecond, 0)) },
  { title: '×fauxqs', value: (row) => measured(row, () => (row.vsFauxqs ? fixed(row.vsFauxqs.messagesPerSecond, 2) : '')) },
  { title: '%ceiling', value: (row) => measured(row, () => (row.vsCeiling ? `${fixed(row.vsCeiling.messagesPerSecond * 100, 0)}%` : '')) },
  { title: 'p50 ms', value: (row) => measured(row, () => fixed(row.p50Ms, 2)) },
  { title: 'p99 ms', value: (row) => measured(row, () => fixed(row.p99Ms, 2)) },
  { title: 'max ms', value: (row) => measured(row, () => fixed(row.maxMs, 1)) },
  { title: 'srv cpu s/10k', value: (row) => measured(row, () => fixed(row.serverCpuPer10k, 3)) },
  { title: 'ldr cpu s/10k', value: (row) => measured(row, () => fixed(row.loaderCpuPer10k, 3)) },
  { title: 'rss MiB', value: (row) => measured(row, () => fixed(row.peakRssMiB, 0)) },
  { title: 'lag p99 ms', value: (row) => (row.lagP99Ms !== undefined ? fixed(row.lagP99Ms, 1) : '') },
  { title: 'lag p99 entries', value: (row) => (row.lagP99Entries !== undefined ? String(row.lagP99Entries) : '') },
  { title: 'bg cpu', value: (row) => (row.backgroundCpuPercent !== undefined ? `${fixed(row.backgroundCpuPercent, 0)}%` : '') },
  { title: 'errors', value: (row) => (row.skipped ? `skipped: ${row.skipped}` : String(row.errors)) },
];

function scalePoint(row: ResultRow): string {
  switch (row.group) {
    case 'depth': return `depth ${row.depth}`;
    case 'size': return `${row.bodyBytes} B`;
    case 'queues': return `${row.queues} queues`;
    case 'cluster-size': return `${row.nodes} nodes`;
    case 'sync': return '';
    case 'headline': return row.depth !== undefined ? `depth ${row.depth}` : row.offeredRate ? `${row.offeredRate}/s offered` : '';
  }
}

function measured(row: ResultRow, text: () => string): string {
  return row.skipped ? '' : text();
}

/** Plain-text tables, one per group, columns aligned. */
export function formatTables(rows: readonly ResultRow[]): string {
  const groups = [...new Set(rows.map((row) => row.group))];
  return groups
    .map((group) => {
      const cells = rows.filter((row) => row.group === group).map((row) => COLUMNS.map((column) => column.value(row)));
      const header = COLUMNS.map((column) => column.title);
      const widths = header.map((title, index) => Math.max(title.length, ...cells.map((line) => line[index]!.length)));
      const format = (line: string[]): string => line.map((cell, index) => cell.padEnd(widths[index]!)).join('  ').trimEnd();
      return [`== ${group} ==`, format(header), ...cells.map(format)].join('\n');
    })
    .join('\n\n');
}

/** The columns of the Markdown tables: narrow enough for a README (every figure is in the JSON). */
const MARKDOWN_COLUMNS = ['system', 'workload', 'loader', 'c', 'point', 'msgs/s', '×fauxqs', '%ceiling', 'p50 ms', 'p99 ms', 'srv cpu s/10k', 'rss MiB', 'lag p99 ms', 'bg cpu'];

/** Markdown version of the tables (for the README's Performance section); skipped rows left out. */
export function formatMarkdown(rows: readonly ResultRow[]): string {
  const columns = COLUMNS.filter((column) => MARKDOWN_COLUMNS.includes(column.title));
  const groups = [...new Set(rows.map((row) => row.group))];
  return groups
    .map((group) => {
      const header = columns.map((column) => column.title);
      const lines = rows
        .filter((row) => row.group === group && !row.skipped)
        .map((row) => `| ${columns.map((column) => column.value(row)).join(' | ')} |`);
      return [`#### ${group}`, '', `| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...lines].join('\n');
    })
    .join('\n\n');
}

function fixed(value: number, digits: number): string {
  return value.toFixed(digits);
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
