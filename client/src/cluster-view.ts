/**
 * What the assertions need to know about a cluster: its nodes, which of them the test has taken
 * down, and each node's own report of its replication state.
 */
import type { ClusterStatus, QueueSummary } from './admin-client.js';
import type { SharedDatabase } from './postgres/shared-database.js';
import { describeError } from './errors.js';
import type { ReplimqNode } from './replimq-node.js';

/** `removed`: taken out of the cluster's configuration (`removeNode`) and stopped. */
export type NodeState = 'running' | 'killed' | 'paused' | 'removed';

export interface ClusterView {
  readonly nodes: readonly ReplimqNode[];
  /** State of node `number` (1-based) as the test left it. */
  stateOf(number: number): NodeState;
  /** A shared-db group's database, which the assertions check its answers against (shared-db-checks.ts). */
  readonly database?: Pick<SharedDatabase, 'committedIndex'> | undefined;
}

export interface NodeReport {
  /** 1-based position in the cluster. */
  number: number;
  nodeId: string;
  state: NodeState;
  /** Absent when the node is down or did not answer (`error` says why). */
  status?: ClusterStatus;
  queues?: QueueSummary[];
  error?: string;
}

const REPORT_TIMEOUT_MS = 1_500;

/** Asks every running node for its `/cluster` (and, if asked, `/queues`) at once. */
export async function reportNodes(view: ClusterView, withQueues = false): Promise<NodeReport[]> {
  return Promise.all(
    view.nodes.map(async (node, index): Promise<NodeReport> => {
      const number = index + 1;
      const state = view.stateOf(number);
      const report: NodeReport = { number, nodeId: node.nodeId, state };
      if (state !== 'running') return { ...report, error: `node is ${state}` };
      const admin = node.admin({ timeoutMs: REPORT_TIMEOUT_MS });
      try {
        const [status, queues] = await Promise.all([admin.cluster(), withQueues ? admin.queues() : undefined]);
        return { ...report, status, ...(queues ? { queues } : {}) };
      } catch (error) {
        return { ...report, error: describeError(error) };
      }
    }),
  );
}

/** One line per node, for error messages: `n2 follower term 3 leader n1 applied 12 commit 12`. */
export function describeReports(reports: readonly NodeReport[]): string {
  return reports
    .map(({ nodeId, status, error }) =>
      status
        ? `${nodeId}: ${status.role} term ${status.term} leader ${status.leaderId ?? 'none'} applied ${status.appliedIndex} commit ${status.commitIndex}`
        : `${nodeId}: ${error ?? 'no answer'}`,
    )
    .join('; ');
}
