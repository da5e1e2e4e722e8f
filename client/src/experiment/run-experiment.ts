/**
 * `cluster.experiment(options)`: plan from the seed, create the queues (one set per ack mode,
 * tagged `replimq:ack-mode`), run the workload and the nemesis side by side for the duration,
 * heal-and-drain, wait for every node's state digest to agree, and check the history.
 */
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { ChaosSpec, ChaosState } from '../chaos-spec.js';
import { describeError, ReplimqTestkitError } from '../errors.js';
import type { StorageKind } from '../node-options.js';
import type { StartedReplimqCluster } from '../started-cluster.js';
import { settledDigests } from './digests.js';
import { healAndDrain } from './drain.js';
import type { History } from './history.js';
import { healEverything, runNemesis } from './nemesis.js';
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

export type ChaosInjected = ChaosState['injected'] & { number: number };

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
  /** With `options.chaos`: how often each SQS failure mode fired, per node (counts since its last restart). */
  chaosInjected: ChaosInjected[];
  /** Writes `history.json`, `summary.json` and `report.html` into `dir` (created if missing). */
  writeReport(dir: string): Promise<ReportFiles>;
}

export class ExperimentSetupError extends ReplimqTestkitError {
  override readonly name = 'ExperimentSetupError';
}

export async function runExperiment(cluster: StartedReplimqCluster, storage: StorageKind, options: ExperimentOptions = {}): Promise<ExperimentResult> {
  const resolved = resolveExperiment(options, { nodes: cluster.size, storage, linkFaults: cluster.hasLinkFaults });
  const plan = planExperiment(resolved);
  const runId = `${resolved.seed.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const clients = cluster.nodes.map((node) => answerHeaderClient(node.sqsClient({ maxAttempts: 1 })));
  let phase: ExperimentPhase = 'setup';
  let fault: string | undefined;
  let recorder: HistoryRecorder | undefined;
  const report = () =>
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
  const ticker = setInterval(report, 1_000);
  try {
    report();
    const queues = await createQueues(cluster, clients, plan.queues, runId, resolved);
    const targets = new Map<string, QueueTarget>(queues.map((queue) => [queue.key, queue]));
    recorder = new HistoryRecorder();
    const context: OperationContext = { recorder, clients, runId, messageBytes: resolved.workload.messageBytes, timeoutMs: resolved.operationTimeoutMs };
    const chaos = resolved.chaos ? chaosSwitch(cluster, resolved.chaos, resolved.seed) : undefined;
    await chaos?.on();
    phase = 'workload';
    const ran = await Promise.allSettled([
      runWorkload({ context, operations: plan.operations, queues: targets, nodes: cluster.size, durationMs: resolved.durationMs }),
      runNemesis({
        cluster,
        faults: plan.faults,
        recorder,
        durationMs: resolved.durationMs,
        onFault: (record) => (fault = record?.description),
        // A restarted node lost the chaos rules it held in memory.
        ...(chaos ? { nodeRestarted: (number: number) => chaos.onNode(number) } : {}),
      }),
    ]);
    const chaosInjected = (await chaos?.off()) ?? [];
    const failed = ran.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) {
      // Never leave the cluster paused or cut off behind a failed run.
      await healEverything(cluster).catch(() => {});
      throw failed.reason;
    }
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
      ...(resolved.chaos ? { chaos: resolved.chaos } : {}),
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
      chaosInjected,
      writeReport: (dir) => writeReport(result, dir),
    };
    return result;
  } finally {
    clearInterval(ticker);
    for (const client of clients) client.destroy();
  }
}

/** Turns the run's chaos rules on and off on every node (each with a seed of its own). */
function chaosSwitch(cluster: StartedReplimqCluster, spec: ChaosSpec, seed: number) {
  const numbers = Array.from({ length: cluster.size }, (_, index) => index + 1);
  const onNode = async (number: number) => {
    await cluster.node(number).admin().setChaos({ ...spec, seed: ((spec.seed ?? seed) + number) % 0x1_0000_0000 });
  };
  return {
    onNode,
    on: async () => {
      await Promise.all(numbers.map(onNode));
    },
    /** Off everywhere; answers how often each rule fired on each node (nodes that did not answer left out). */
    off: async (): Promise<ChaosInjected[]> => {
      const states = await Promise.all(numbers.map((number) => cluster.node(number).admin().clearChaos().then((state) => ({ number, ...state.injected }), () => undefined)));
      return states.filter((state): state is ChaosInjected => state !== undefined);
    },
  };
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
