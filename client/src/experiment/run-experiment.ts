/**
 * `cluster.experiment(options)`: plan from the seed, create the queues (one set per ack mode,
 * tagged `replimq:ack-mode`), run the workload and the nemesis side by side for the duration,
 * heal-and-drain, wait for every node's state digest to agree, and check the history.
 */
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { describeError, ReplimqTestkitError } from '../errors.js';
import type { StorageKind } from '../node-options.js';
import type { StartedReplimqCluster } from '../started-cluster.js';
import { settledDigests } from './digests.js';
import { healAndDrain } from './drain.js';
import type { History } from './history.js';
import { runNemesis } from './nemesis.js';
import { resolveExperiment } from './options.js';
import type { ExperimentOptions, ResolvedExperiment } from './options.js';
import { planExperiment } from './plan.js';
import type { ExperimentPlan, PlannedFault, PlannedQueue } from './plan.js';
import type { ExperimentPhase, ExperimentProgress } from './progress.js';
import { HistoryRecorder } from './recorder.js';
import { writeReport } from './report.js';
import type { ReportFiles } from './report.js';
import { answerHeaderClient } from './sqs-operations.js';
import type { OperationContext, QueueTarget } from './sqs-operations.js';
import { summarize } from './summary.js';
import type { ExperimentSummary } from './summary.js';
import { runWorkload } from './workload.js';

const QUEUE_SETUP_TIMEOUT_MS = 30_000;
const DIGEST_TIMEOUT_MS = 30_000;

/** A queue of the experiment with the name it was created under. */
export interface ExperimentQueue extends PlannedQueue {
  name: string;
  url: string;
}

export interface ExperimentResult {
  seed: number;
  /** The options as run, defaults filled in, with the cluster's size and storage. */
  options: ResolvedExperiment;
  /** The faults, in order, as planned from the seed (`history.faults` says what was done and when). */
  schedule: PlannedFault[];
  /** The whole plan: queues, faults and every worker's operations. */
  plan: ExperimentPlan;
  queues: ExperimentQueue[];
  history: History;
  summary: ExperimentSummary;
  /** Problems the run met besides what the checker counts (a heal that failed, …). */
  problems: string[];
  /** Writes `history.json`, `summary.json` and `report.html` into `dir` (created if missing). */
  writeReport(dir: string): Promise<ReportFiles>;
}

export class ExperimentSetupError extends ReplimqTestkitError {
  override readonly name = 'ExperimentSetupError';
}

export async function runExperiment(cluster: StartedReplimqCluster, storage: StorageKind, options: ExperimentOptions = {}): Promise<ExperimentResult> {
  const resolved = resolveExperiment(options, { nodes: cluster.size, storage });
  const plan = planExperiment(resolved);
  const runId = `${resolved.seed.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const clients = cluster.nodes.map((node) => answerHeaderClient(node.sqsClient({ maxAttempts: 1 })));
  let phase: ExperimentPhase = 'setup';
  let fault: string | undefined;
  const recorderHolder: { recorder?: HistoryRecorder } = {};
  const report = () => {
    const recorder = recorderHolder.recorder;
    options.onProgress?.({
      phase,
      elapsedMs: recorder?.now() ?? 0,
      durationMs: resolved.durationMs,
      operations: recorder?.operations.length ?? 0,
      ok: recorder?.totals.ok ?? 0,
      fail: recorder?.totals.fail ?? 0,
      unknown: recorder?.totals.unknown ?? 0,
      faults: recorder?.faults.length ?? 0,
      ...(fault ? { fault } : {}),
    } satisfies ExperimentProgress);
  };
  const ticker = setInterval(report, 1_000);
  try {
    report();
    const queues = await createQueues(cluster, clients, plan.queues, runId, resolved);
    const targets = new Map<string, QueueTarget>(queues.map((queue) => [queue.key, queue]));
    const recorder = new HistoryRecorder();
    recorderHolder.recorder = recorder;
    const context: OperationContext = { recorder, clients, runId, messageBytes: resolved.workload.messageBytes, timeoutMs: resolved.operationTimeoutMs };
    phase = 'workload';
    await Promise.all([
      runWorkload({ context, operations: plan.operations, queues: targets, nodes: cluster.size, durationMs: resolved.durationMs }),
      runNemesis({
        cluster,
        faults: plan.faults,
        recorder,
        durationMs: resolved.durationMs,
        onFault: (record) => (fault = record?.description),
      }),
    ]);
    const workloadEndMs = recorder.now();
    phase = 'heal-and-drain';
    const drained = await healAndDrain(cluster, { ...context, drain: true }, queues, resolved.drainTimeoutMs);
    const drainEndMs = recorder.now();
    phase = 'convergence';
    const digests = await settledDigests(cluster, DIGEST_TIMEOUT_MS);
    const history: History = { operations: recorder.sortedOperations(), faults: recorder.faults, workloadEndMs, drainStartMs: workloadEndMs, drainEndMs };
    const summary = summarize({
      queues: plan.queues,
      history,
      visibilityTimeoutMs: resolved.workload.visibilityTimeoutSeconds * 1000,
      digests,
      undrainedQueues: drained.undrainedQueues,
    });
    phase = 'done';
    report();
    const result: ExperimentResult = {
      seed: resolved.seed,
      options: resolved,
      schedule: plan.faults,
      plan,
      queues,
      history,
      summary,
      problems: drained.problems,
      writeReport: (dir) => writeReport(result, dir),
    };
    return result;
  } finally {
    clearInterval(ticker);
    for (const client of clients) client.destroy();
  }
}

/** Creates every queue through the leader, retrying while the cluster settles. */
async function createQueues(
  cluster: StartedReplimqCluster,
  clients: readonly SQSClient[],
  planned: readonly PlannedQueue[],
  runId: string,
  resolved: ResolvedExperiment,
): Promise<ExperimentQueue[]> {
  const deadline = Date.now() + QUEUE_SETUP_TIMEOUT_MS;
  const queues: ExperimentQueue[] = [];
  for (const queue of planned) {
    const name = `exp-${runId}-${queue.key}${queue.fifo ? '.fifo' : ''}`;
    for (;;) {
      try {
        const leader = cluster.numberOf(await cluster.leader({ timeoutMs: 10_000 }));
        const { QueueUrl } = await clients[leader - 1]!.send(
          new CreateQueueCommand({
            QueueName: name,
            Attributes: {
              VisibilityTimeout: String(resolved.workload.visibilityTimeoutSeconds),
              ...(queue.fifo ? { FifoQueue: 'true' } : {}),
            },
            tags: { 'replimq:ack-mode': queue.ackMode },
          }),
          { abortSignal: AbortSignal.timeout(resolved.operationTimeoutMs) },
        );
        if (!QueueUrl) throw new ExperimentSetupError(`CreateQueue ${name} answered without a QueueUrl`);
        queues.push({ ...queue, name, url: QueueUrl });
        break;
      } catch (error) {
        if (Date.now() >= deadline) throw new ExperimentSetupError(`could not create queue ${name}: ${describeError(error)}`, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }
  return queues;
}
