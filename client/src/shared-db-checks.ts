/**
 * What the replication assertions mean on a shared-db group (`mode: "shared-db"` in `GET
 * /cluster`, a cluster started `withSharedPostgres()`), where the database holds the one copy and
 * only the active node holds the state in memory; standbys forward every call to it.
 *
 * - A commit is "on" a node when the database holds it (its recorded command index is at or past
 *   the commit's `x-replimq-log-index`) and the node names the active node that serves it: every
 *   node's view goes through the active, so that is every node that can answer with it.
 * - Every ack mode promises the same there: the answer waited for the database's commit
 *   (`x-replimq-replicas` 1, the database), so the commit is in the database right after it.
 * - Converged: every running node names one active node, which runs, says it is active, and has
 *   applied exactly what the database records (no write waiting, none the database lacks).
 * - Replication lag: a node's clients see the active node's state, so every node naming the active
 *   node lags by what the active node has not applied of the database's commits (0 at rest).
 *
 * Where the cluster view has no database to ask, the active node's applied index stands in for it.
 */
import type { ClusterView, NodeReport } from './cluster-view.js';
import type { NodeLag } from './started-cluster.js';
import { describeError } from './errors.js';

export function isSharedDb(reports: readonly NodeReport[]): boolean {
  return reports.some((report) => report.status?.mode === 'shared-db');
}

/** The database's committed command index, `undefined` without a database view, or why it did not answer. */
export async function databaseIndex(view: ClusterView): Promise<number | { error: string } | undefined> {
  if (!view.database) return undefined;
  return view.database.committedIndex().catch((error: unknown) => ({ error: describeError(error) }));
}

/** The active node every running node names, when they agree and it reports itself leader. */
export function agreedActive(reports: readonly NodeReport[]): NodeReport | undefined {
  const running = reports.filter((report) => report.state === 'running' && report.status);
  const named = new Set(running.map((report) => report.status!.leaderId));
  if (named.size !== 1) return undefined;
  const active = running.find((report) => report.nodeId === [...named][0]);
  return active?.status?.role === 'leader' ? active : undefined;
}

/** Nodes through which commit `logIndex` is served (see above). */
export function sharedDbHolders(reports: readonly NodeReport[], logIndex: number, committed: number | { error: string } | undefined): string[] {
  const active = agreedActive(reports);
  if (!active || typeof committed === 'object') return [];
  const held = committed ?? active.status!.appliedIndex;
  if (held < logIndex) return [];
  return reports.filter((report) => report.state === 'running' && report.status?.leaderId === active.nodeId).map((report) => report.nodeId);
}

/** Why a shared-db group is not converged, or undefined if it is (the running nodes already name one leader). */
export function sharedDbDivergence(reports: readonly NodeReport[], committed: number | { error: string } | undefined): string | undefined {
  const running = reports.filter((report) => report.state === 'running');
  const named = running[0]?.status?.leaderId;
  const active = running.find((report) => report.nodeId === named);
  if (!active) return `${named}, the active node the others name, is not running`;
  if (active.status?.role !== 'leader') return `${named} is named active but reports itself ${active.status?.role}`;
  if (typeof committed === 'object') return `the database does not answer (${committed.error})`;
  if (committed !== undefined && active.status.appliedIndex !== committed) {
    return `the active ${named} applied ${active.status.appliedIndex}, the database holds ${committed}`;
  }
  return undefined;
}

/** `replicationLag()` of a shared-db group (see above); a node naming no running active node has no lag figure. */
export function sharedDbLag(reports: readonly NodeReport[], committed: number | { error: string } | undefined): NodeLag[] {
  const active = agreedActive(reports);
  const applied = active?.status?.appliedIndex;
  const held = typeof committed === 'number' ? committed : applied;
  return reports.map(({ number, nodeId, state, status }) => ({
    number,
    nodeId,
    state,
    ...(status && applied !== undefined && held !== undefined && status.leaderId === active!.nodeId
      ? { appliedIndex: applied, lag: Math.max(0, held - applied) }
      : {}),
  }));
}
