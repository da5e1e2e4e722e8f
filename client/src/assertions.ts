/**
 * Replication assertions for tests, independent of the test runner: each throws a
 * `ReplicationAssertionError` that says what was expected and what every node reported.
 *
 * "A message is on a node" means the node applied the log entry the message was committed at
 * (`x-replimq-log-index` of its SendMessage answer, recorded by the testkit's SQS clients). An
 * entry a node applied before a failover and that the new leader replaced counts until the node
 * catches up; use `expectConverged()` and the SQS API to check message contents.
 *
 * On a shared-db group (`withSharedPostgres()`) the database is the one copy: what each assertion
 * checks there is in shared-db-checks.ts.
 */
import { CreateQueueCommand, DeleteQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { waitFor } from './clock.js';
import type { Clock } from './clock.js';
import { commitOf } from './commit-log.js';
import type { CommitRecord } from './commit-log.js';
import { describeReports, reportNodes } from './cluster-view.js';
import type { ClusterView, NodeReport } from './cluster-view.js';
import { waitForConvergence } from './convergence.js';
import type { ConvergenceOptions } from './convergence.js';
import { InvalidOptionError, ReplicationAssertionError, WaitTimeoutError, describeError } from './errors.js';
import type { AckMode } from './node-options.js';
import { checkAckMode } from './node-options.js';
import type { ReplimqNode } from './replimq-node.js';
import { databaseIndex, isSharedDb, sharedDbHolders } from './shared-db-checks.js';

/** How many nodes: an exact count, a majority of all members, or all members. */
export type NodeCount = number | 'majority' | 'all';

export interface ReplicatedOptions {
  on: NodeCount;
  /** How long replication may take; 0 checks once. Default 5000 ms. */
  timeoutMs?: number;
  clock?: Clock;
}

/**
 * Nodes an ack mode promises hold an entry when the client gets its answer (the server's rule,
 * server/src/cluster/ack-condition.ts). `all` means every member in the leader's view: a node the
 * test took down leaves that view, but never below a majority.
 */
export function requiredReplicas(ackMode: AckMode, clusterSize: number, runningNodes = clusterSize): number {
  const majority = Math.floor(clusterSize / 2) + 1;
  switch (ackMode) {
    case 'none':
      return 1;
    case 'one':
      return Math.min(2, clusterSize);
    case 'majority':
      return majority;
    case 'all':
      return Math.max(majority, runningNodes);
  }
}

export function nodeCount(count: NodeCount, clusterSize: number): number {
  if (count === 'majority') return Math.floor(clusterSize / 2) + 1;
  if (count === 'all') return clusterSize;
  if (!Number.isInteger(count) || count < 1 || count > clusterSize) {
    throw new InvalidOptionError(`a count of nodes must be 1 to ${clusterSize}, "majority" or "all"; got ${count}`);
  }
  return count;
}

/**
 * Asserts that a message (by id, as sent through a testkit SQS client) or a commit is applied on
 * at least `on` nodes, waiting up to `timeoutMs` for replication to get there.
 */
export async function expectReplicated(
  cluster: ClusterView,
  message: string | CommitRecord,
  options: ReplicatedOptions,
): Promise<NodeReport[]> {
  const commit = typeof message === 'string' ? commitOf(message) : message;
  if (!commit) {
    throw new ReplicationAssertionError(
      `message ${String(message)} has no recorded commit: send it with a client from node.sqsClient(), whose answers carry x-replimq-log-index`,
    );
  }
  const wanted = nodeCount(options.on, cluster.nodes.length);
  const what = `log index ${commit.logIndex}${typeof message === 'string' ? ` (message ${message})` : ''}`;
  let last: NodeReport[] = [];
  try {
    return await waitFor(
      `${what} to be applied on ${wanted} of ${cluster.nodes.length} nodes`,
      async () => {
        last = await reportNodes(cluster);
        return (await holdersOf(cluster, last, commit.logIndex)).length >= wanted ? last : undefined;
      },
      { timeoutMs: options.timeoutMs ?? 5_000, ...(options.clock ? { clock: options.clock } : {}) },
    );
  } catch (error) {
    throw assertionFailure(
      error,
      `expected ${what} on ${wanted} of ${cluster.nodes.length} nodes, found it on ${(await holdersOf(cluster, last, commit.logIndex)).length}${
        isSharedDb(last) ? ' (shared-db: nodes naming the active node, with the commit in the database)' : ''
      }: ${describeReports(last)}`,
    );
  }
}

export interface AckModeProbeOptions {
  /** The ack mode to check; the probe queue is tagged with it, so it holds whatever the default. */
  ackMode: AckMode;
  /** Node (1-based) the probe sends through; default: the first running node. */
  via?: number;
  /** Messages to send; each one is checked. Default 3. */
  messages?: number;
}

export interface AckModeProbeResult {
  ackMode: AckMode;
  required: number;
  sends: { messageId: string; commit: CommitRecord; holders: string[] }[];
}

/**
 * Sends probe messages and checks the ack mode's promise: each answer says it was held by at
 * least the required number of nodes (`x-replimq-replicas`), and right after the answer that many
 * nodes report an applied index at or past the message's log index. For `all`, "every node" is
 * every node the test has not killed or paused. On a shared-db group every ack mode promises one
 * copy, the database's: right after each answer the database must hold its commit.
 */
export async function expectAckModeHolds(cluster: ClusterView, options: AckModeProbeOptions): Promise<AckModeProbeResult> {
  const ackMode = checkAckMode(options.ackMode);
  const running = cluster.nodes.filter((_, index) => cluster.stateOf(index + 1) === 'running').length;
  const sharedDb = isSharedDb(await reportNodes(cluster));
  const required = sharedDb ? 1 : requiredReplicas(ackMode, cluster.nodes.length, running);
  const sender = senderNode(cluster, options.via);
  const sqs = sender.sqsClient();
  const queueName = `replimq-probe-${ackMode}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const result: AckModeProbeResult = { ackMode, required, sends: [] };
  try {
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: queueName, tags: { 'replimq:ack-mode': ackMode } }),
    );
    for (let index = 0; index < (options.messages ?? 3); index += 1) {
      const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `ack-mode probe ${index}` }));
      const commit = MessageId ? commitOf(MessageId) : undefined;
      if (!MessageId || !commit) {
        throw new ReplicationAssertionError(`${ackMode} probe: the SendMessage answer of ${sender.nodeId} carries no x-replimq-log-index / x-replimq-replicas headers`);
      }
      const reports = await reportNodes(cluster);
      const heldBy = await holdersOf(cluster, reports, commit.logIndex);
      result.sends.push({ messageId: MessageId, commit, holders: heldBy });
      if (commit.replicas < required) {
        throw new ReplicationAssertionError(
          `${ackMode} promises ${required} of ${cluster.nodes.length} nodes, but message ${MessageId} was answered with x-replimq-replicas ${commit.replicas}`,
        );
      }
      if (sharedDb && heldBy.length === 0) {
        throw new ReplicationAssertionError(
          `${ackMode} on a shared-db group promises the database's commit, but right after the answer the database did not hold log index ${commit.logIndex} (or no active node served it): ${describeReports(reports)}`,
        );
      }
      if (!sharedDb && heldBy.length < required) {
        throw new ReplicationAssertionError(
          `${ackMode} promises ${required} of ${cluster.nodes.length} nodes, but right after the answer only ${heldBy.length} had applied log index ${commit.logIndex}: ${describeReports(reports)}`,
        );
      }
    }
    await sqs.send(new DeleteQueueCommand({ QueueUrl })).catch(() => {});
    return result;
  } finally {
    sqs.destroy();
  }
}

/** Asserts that every running node converges (same leader, applied index and queues). */
export async function expectConverged(cluster: ClusterView, options: ConvergenceOptions = {}): Promise<NodeReport[]> {
  try {
    return await waitForConvergence(cluster, options);
  } catch (error) {
    throw assertionFailure(error, `expected the cluster to converge: ${describeError(error)}`);
  }
}

async function holdersOf(cluster: ClusterView, reports: readonly NodeReport[], logIndex: number): Promise<string[]> {
  return isSharedDb(reports) ? sharedDbHolders(reports, logIndex, await databaseIndex(cluster)) : holders(reports, logIndex);
}

function holders(reports: readonly NodeReport[], logIndex: number): string[] {
  return reports.filter((report) => (report.status?.appliedIndex ?? -1) >= logIndex).map((report) => report.nodeId);
}

function senderNode(cluster: ClusterView, via: number | undefined): ReplimqNode {
  if (via !== undefined) {
    const node = cluster.nodes[via - 1];
    if (!node) throw new InvalidOptionError(`nodes are numbered 1 to ${cluster.nodes.length}; got ${via}`);
    return node;
  }
  const index = cluster.nodes.findIndex((_, position) => cluster.stateOf(position + 1) === 'running');
  if (index < 0) throw new ReplicationAssertionError('no node is running to send the probe through');
  return cluster.nodes[index]!;
}

function assertionFailure(error: unknown, message: string): unknown {
  return error instanceof WaitTimeoutError ? new ReplicationAssertionError(message, { cause: error }) : error;
}
