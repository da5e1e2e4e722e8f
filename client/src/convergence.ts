/**
 * Convergence: every running node follows the same leader, has applied the same log prefix, and
 * holds the same queues with the same message counts.
 */
import type { QueueSummary } from './admin-client.js';
import { waitFor } from './clock.js';
import type { Clock } from './clock.js';
import { describeReports, reportNodes } from './cluster-view.js';
import type { ClusterView, NodeReport } from './cluster-view.js';
import { databaseIndex, isSharedDb, sharedDbDivergence } from './shared-db-checks.js';

export interface ConvergenceOptions {
  timeoutMs?: number;
  clock?: Clock;
}

export async function waitForConvergence(view: ClusterView, options: ConvergenceOptions = {}): Promise<NodeReport[]> {
  let last: NodeReport[] = [];
  let committed: Awaited<ReturnType<typeof databaseIndex>>;
  return waitFor(
    'the running nodes to converge (same leader, applied index and queues)',
    async () => {
      last = await reportNodes(view, true);
      committed = isSharedDb(last) ? await databaseIndex(view) : undefined;
      return divergence(last, committed) === undefined ? last : undefined;
    },
    { timeoutMs: options.timeoutMs ?? 15_000, intervalMs: 200, ...(options.clock ? { clock: options.clock } : {}) },
    () => `${divergence(last, committed) ?? 'converged'} (${describeReports(last)})`,
  );
}

/** Why the reports are not converged, or undefined if they are; `committed`: a shared-db group's database index. */
export function divergence(reports: readonly NodeReport[], committed?: Parameters<typeof sharedDbDivergence>[1]): string | undefined {
  const running = reports.filter((report) => report.state === 'running');
  if (running.length === 0) return 'no node is running';
  const silent = running.find((report) => !report.status);
  if (silent) return `${silent.nodeId} does not answer`;
  const first = running[0]!;
  const reference = first.status!;
  for (const report of running) {
    const status = report.status!;
    if (status.leaderId === null) return `${report.nodeId} knows no leader`;
    if (status.leaderId !== reference.leaderId) {
      return `${report.nodeId} follows ${status.leaderId}, ${first.nodeId} follows ${reference.leaderId}`;
    }
    // A shared-db group keeps one copy, in its database; only the active node holds it in memory.
    if (status.mode === 'shared-db') continue;
    if (status.appliedIndex !== reference.appliedIndex) {
      return `${report.nodeId} applied ${status.appliedIndex}, ${first.nodeId} applied ${reference.appliedIndex}`;
    }
    if (queueFingerprint(report.queues) !== queueFingerprint(first.queues)) {
      return `${report.nodeId} holds queues ${queueFingerprint(report.queues)}, ${first.nodeId} holds ${queueFingerprint(first.queues)}`;
    }
  }
  return reference.mode === 'shared-db' ? sharedDbDivergence(running, committed) : undefined;
}

/** Queue names (with account and region: one name may exist in several) and counts; URLs differ
 *  per node (they carry each node's address), so they are left out. */
function queueFingerprint(queues: readonly QueueSummary[] | undefined): string {
  const essentials = (queues ?? [])
    .map(({ name, accountId, region, fifo, visible, inFlight, delayed }) => ({ name, accountId, region, fifo, visible, inFlight, delayed }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region));
  return JSON.stringify(essentials);
}
