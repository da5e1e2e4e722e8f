/**
 * Failover time of a multi-node system: the leader (raft) or active node (shared-db) is killed
 * with SIGKILL, and a SendMessage through a surviving node is retried until one is acknowledged.
 * The figure is kill → first acknowledged write, as a client pointed at a survivor sees it. Runs
 * after the system's last scenario: it leaves the system one node short.
 */
import { performance } from 'node:perf_hooks';

const GIVE_UP_MS = 60_000;

/** One AWS JSON 1.0 call; signatures are not checked by replimq. Resolves with the HTTP status. */
async function sqsCall(endpoint: string, action: string, body: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${action}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, json: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}

export async function measureFailover(kill: () => void, survivorEndpoint: string): Promise<number> {
  const created = await sqsCall(survivorEndpoint, 'CreateQueue', { QueueName: 'bench-failover' });
  const queueUrl = created.json['QueueUrl'];
  if (created.status !== 200 || typeof queueUrl !== 'string') throw new Error(`CreateQueue answered ${created.status}`);
  const killedAt = performance.now();
  kill();
  for (;;) {
    const sent = await sqsCall(survivorEndpoint, 'SendMessage', { QueueUrl: queueUrl, MessageBody: 'after failover' }).catch(() => undefined);
    if (sent?.status === 200) return performance.now() - killedAt;
    if (performance.now() - killedAt > GIVE_UP_MS) throw new Error(`no write acknowledged within ${GIVE_UP_MS} ms of the kill`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
