/**
 * The deployments side by side: for each replimq system of the headline table, its SendMessage
 * and receive+delete rates next to its failover time (SIGKILL of the leader or active node → the
 * first write acknowledged through a survivor). The failover time is a row of its own in the JSON
 * lines (`group: "failover"`); the table joins it with the headline rows of the same system.
 */
import type { ResultRow } from './scenario.js';

/** One multi-node system's failover, measured after its last scenario. */
export interface FailoverRow {
  group: 'failover';
  system: string;
  nodes: number;
  /** Kill → first acknowledged write, in ms; absent when it was not measured (`skipped` says why). */
  failoverMs?: number;
  skipped?: string;
}

/** A line of a results file: a scenario's row or a failover. */
export type ResultLine = ResultRow | FailoverRow;

export function isFailoverRow(line: ResultLine): line is FailoverRow {
  return line.group === 'failover';
}

/** The systems compared: single SQLite node, 3-node raft `majority`, the shared-PostgreSQL group (and memory for scale). */
const SYSTEMS = ['replimq-memory', 'replimq-sqlite', 'replimq-3n-majority', 'replimq-3n-shared-pg'];
/** The rate each column takes: concurrency 16, the lightest loader measured (raw, else the SDK). */
const LOADER_PREFERENCE = ['raw', 'sdk', 'autocannon'] as const;

interface DeploymentLine {
  system: string;
  nodes: number;
  send?: ResultRow;
  receiveDelete?: ResultRow;
  failover?: FailoverRow;
}

export function deploymentLines(rows: readonly ResultRow[], failovers: readonly FailoverRow[]): DeploymentLine[] {
  const rate = (system: string, workload: ResultRow['workload']): ResultRow | undefined => {
    const candidates = rows.filter((row) => row.group === 'headline' && row.system === system && row.workload === workload && row.concurrency === 16 && !row.skipped);
    return LOADER_PREFERENCE.map((loader) => candidates.find((row) => row.loader === loader)).find(Boolean);
  };
  return SYSTEMS.flatMap((system) => {
    const send = rate(system, 'send');
    const receiveDelete = rate(system, 'receive-delete');
    const failover = failovers.find((row) => row.system === system);
    const nodes = send?.nodes ?? receiveDelete?.nodes ?? failover?.nodes;
    if (nodes === undefined) return [];
    return [{ system, nodes, ...(send ? { send } : {}), ...(receiveDelete ? { receiveDelete } : {}), ...(failover ? { failover } : {}) }];
  });
}

const HEADER = ['system', 'nodes', 'send msgs/s', 'receive+delete msgs/s', 'failover ms'];

function cells(line: DeploymentLine): string[] {
  const rateCell = (row: ResultRow | undefined) => (row ? `${row.messagesPerSecond.toFixed(0)} (${row.loader})` : '');
  const failover = line.failover
    ? line.failover.failoverMs !== undefined
      ? line.failover.failoverMs.toFixed(0)
      : `not measured: ${line.failover.skipped ?? 'unknown'}`
    : line.nodes > 1
      ? ''
      : 'n/a (one node)';
  return [line.system, String(line.nodes), rateCell(line.send), rateCell(line.receiveDelete), failover];
}

/** Markdown table, or '' when the run measured none of the compared systems. */
export function formatDeploymentsMarkdown(rows: readonly ResultRow[], failovers: readonly FailoverRow[]): string {
  const lines = deploymentLines(rows, failovers);
  if (lines.length === 0) return '';
  return ['#### deployments', '', `| ${HEADER.join(' | ')} |`, `| ${HEADER.map(() => '---').join(' | ')} |`, ...lines.map((line) => `| ${cells(line).join(' | ')} |`)].join('\n');
}

/** Plain-text version for the console, columns aligned. */
export function formatDeploymentsTable(rows: readonly ResultRow[], failovers: readonly FailoverRow[]): string {
  const lines = deploymentLines(rows, failovers).map(cells);
  if (lines.length === 0) return '';
  const widths = HEADER.map((title, index) => Math.max(title.length, ...lines.map((line) => line[index]!.length)));
  const format = (line: string[]) => line.map((cell, index) => cell.padEnd(widths[index]!)).join('  ').trimEnd();
  return ['== deployments ==', format(HEADER), ...lines.map(format)].join('\n');
}
