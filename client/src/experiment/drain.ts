/**
 * Heal-and-drain: every fault undone (killed nodes restarted, paused ones resumed, cuts healed),
 * the cluster left to elect a leader and converge, then every queue received from and deleted
 * from until the leader reports it empty — visible, in flight and delayed — so that a message
 * never delivered by then is one the cluster no longer has.
 */
import { describeError } from '../errors.js';
import type { StartedReplimqCluster } from '../started-cluster.js';
import { healEverything } from './nemesis.js';
import type { OperationContext, QueueTarget } from './sqs-operations.js';
import { receiveAndDelete } from './workload.js';

const SETTLE_TIMEOUT_MS = 30_000;
/** Empty receives in a row, with the leader showing the queue empty, before it counts as drained. */
const EMPTY_ROUNDS = 2;

export interface DrainResult {
  undrainedQueues: string[];
  /** Problems on the way (a heal that failed, no leader in time), for the report. */
  problems: string[];
}

export async function healAndDrain(
  cluster: StartedReplimqCluster,
  context: OperationContext,
  queues: readonly QueueTarget[],
  timeoutMs: number,
): Promise<DrainResult> {
  const problems: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await healEverything(cluster);
      break;
    } catch (error) {
      if (attempt >= 3 || Date.now() >= deadline) {
        problems.push(`healing failed: ${describeError(error)}`);
        break;
      }
    }
  }
  await cluster.leader({ timeoutMs: SETTLE_TIMEOUT_MS }).catch((error: unknown) => problems.push(`no leader after healing: ${describeError(error)}`));
  await cluster.waitForConvergence({ timeoutMs: SETTLE_TIMEOUT_MS }).catch((error: unknown) => problems.push(`not converged before the drain: ${describeError(error)}`));
  const results = await Promise.all(queues.map((queue) => drainQueue(cluster, context, queue, deadline)));
  return { undrainedQueues: queues.filter((_, index) => !results[index]).map((queue) => queue.key), problems };
}

async function drainQueue(cluster: StartedReplimqCluster, context: OperationContext, queue: QueueTarget, deadline: number): Promise<boolean> {
  const name = queue.url.slice(queue.url.lastIndexOf('/') + 1);
  let empty = 0;
  for (let round = 0; Date.now() < deadline; round += 1) {
    const node = (round % cluster.size) + 1;
    const received = await receiveAndDelete(context, 'drain', queue, node, 10, 1);
    if (received > 0) {
      empty = 0;
      continue;
    }
    if (await leaderShowsEmpty(cluster, name)) empty += 1;
    else empty = 0;
    if (empty >= EMPTY_ROUNDS) return true;
  }
  return false;
}

async function leaderShowsEmpty(cluster: StartedReplimqCluster, name: string): Promise<boolean> {
  try {
    const leader = await cluster.leader({ timeoutMs: 2_000 });
    const summary = (await leader.admin().queues()).find((queue) => queue.name === name);
    return summary !== undefined && summary.visible + summary.inFlight + summary.delayed === 0;
  } catch {
    return false;
  }
}
