/**
 * Runs the planned operations: every worker (producer or consumer) takes its operations one
 * after another, each not before its planned time, until the workload's time is up. A consumer
 * deletes what it received through the same node. A FIFO send of unknown outcome is retried with
 * the same deduplication ids (on the next node), as an application would: the queue's
 * deduplication must keep it to one message.
 */
import type { PlannedOperation } from './plan.js';
import { deleteMessages, receiveMessages, sendMessages } from './sqs-operations.js';
import type { OperationContext, QueueTarget } from './sqs-operations.js';

/** Attempts of a FIFO send whose outcome stays unknown, the first included. */
const FIFO_SEND_ATTEMPTS = 3;

export interface WorkloadRun {
  context: OperationContext;
  operations: readonly PlannedOperation[];
  queues: ReadonlyMap<string, QueueTarget>;
  nodes: number;
  durationMs: number;
}

export async function runWorkload(run: WorkloadRun): Promise<void> {
  const byWorker = new Map<string, PlannedOperation[]>();
  for (const operation of run.operations) {
    const list = byWorker.get(operation.worker) ?? [];
    list.push(operation);
    byWorker.set(operation.worker, list);
  }
  await Promise.all([...byWorker.entries()].map(([worker, operations]) => runWorker(run, worker, operations)));
}

async function runWorker(run: WorkloadRun, worker: string, operations: readonly PlannedOperation[]): Promise<void> {
  const { recorder } = run.context;
  for (const operation of [...operations].sort((a, b) => a.index - b.index)) {
    const wait = operation.atMs - recorder.now();
    if (operation.atMs >= run.durationMs || recorder.now() >= run.durationMs) return;
    if (wait > 0) await sleep(wait);
    const queue = run.queues.get(operation.queue);
    if (!queue) throw new RangeError(`the plan names queue ${operation.queue}, which the experiment did not create`);
    if (operation.kind === 'receive') {
      await receiveAndDelete(run.context, worker, queue, operation.node, operation.maxMessages ?? 10, operation.waitSeconds ?? 0);
    } else {
      await send(run, worker, queue, operation);
    }
  }
}

async function send(run: WorkloadRun, worker: string, queue: QueueTarget, operation: PlannedOperation): Promise<void> {
  let messages = operation.messages ?? [];
  let node = operation.node;
  for (let attempt = 1; messages.length > 0; attempt += 1) {
    const record = await sendMessages(run.context, worker, queue, node, messages, messages.length > 1);
    if (!queue.fifo || attempt >= FIFO_SEND_ATTEMPTS) return;
    const unknown = new Set((record.sent ?? []).filter((entry) => entry.outcome === 'unknown').map((entry) => entry.id));
    messages = messages.filter((message) => unknown.has(message.id));
    node = (node % run.nodes) + 1;
  }
}

/** One receive, then one delete of everything it returned (a delete's own outcome is recorded too). */
export async function receiveAndDelete(
  context: OperationContext,
  worker: string,
  queue: QueueTarget,
  node: number,
  maxMessages: number,
  waitSeconds: number,
): Promise<number> {
  const { held } = await receiveMessages(context, worker, queue, node, maxMessages, waitSeconds);
  if (held.length > 0) await deleteMessages(context, worker, queue, node, held);
  return held.length;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
