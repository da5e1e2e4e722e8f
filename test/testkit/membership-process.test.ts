/**
 * Membership changes at runtime on the process runtime (one SQLite cluster for the whole file):
 * under a steady write load, a 4th node joins (`--join`), catches up, votes and serves; a node
 * is removed; a killed node is replaced; the leader removes itself. Nothing acknowledged is lost, and every member's state
 * converges to the same digest. The CLI reads the configuration from the new node.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { ReplimqCluster } from '../../client/src/cluster.js';
import type { StartedReplimqCluster } from '../../client/src/started-cluster.js';
import { CLI_PATH } from '../support/start-node.js';
import { createQueue, drain } from './support/sqs-steps.js';

const run = promisify(execFile);

/** Sends numbered messages through the running nodes in turn until stopped; keeps the bodies
 *  that were acknowledged. */
function steadyLoad(cluster: StartedReplimqCluster, queueUrl: string): { stop(): Promise<string[]> } {
  const acknowledged: string[] = [];
  const clients = new Map<number, SQSClient>();
  let stopping = false;
  const loop = (async () => {
    for (let count = 0; !stopping; count++) {
      const running = cluster.nodes.map((_, index) => index + 1).filter((number) => cluster.stateOf(number) === 'running');
      const number = running[count % running.length]!;
      if (!clients.has(number)) clients.set(number, cluster.node(number).sqsClient({ maxAttempts: 1 }));
      const body = `m-${count}`;
      try {
        await clients.get(number)!.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
        acknowledged.push(body);
      } catch {
        // 503 while a leader is elected, or the node was just removed: unknown, not acknowledged.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      await loop;
      return acknowledged;
    },
  };
}

async function voters(cluster: StartedReplimqCluster): Promise<string[]> {
  return (await cluster.members()).filter((member) => member.role === 'voter').map((member) => member.id);
}

describe('process runtime: membership changes at runtime', () => {
  it('grows, shrinks and replaces nodes under load without losing an acknowledged write', async () => {
    await using cluster = await new ReplimqCluster(3).withRuntime('process').withStorage('sqlite').start();
    const queueUrl = await createQueue(cluster.node(1).sqsClient(), 'membership');
    const load = steadyLoad(cluster, queueUrl);

    // Grow: n4 joins through a running member, catches up by snapshot and log, then votes.
    const n4 = await cluster.addNode();
    expect(n4.nodeId).toBe('n4');
    expect(cluster.node(4)).toBe(n4);
    expect(await voters(cluster)).toEqual(['n1', 'n2', 'n3', 'n4']);
    // It serves: a write through it (forwarded to the leader) and its own view of the configuration.
    await n4.sqsClient().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'through-n4' }));
    const { stdout } = await run(process.execPath, [CLI_PATH, 'cluster', 'status', '--admin', n4.getAdminEndpoint(), '--admin-token', n4.getAdminToken()]);
    expect(stdout).toMatch(/^n4\s+127\.0\.0\.1:\d+\s+voter/m);

    // Shrink: n2 leaves the configuration and stops.
    await cluster.removeNode(2);
    expect(cluster.stateOf(2)).toBe('removed');
    expect(await voters(cluster)).toEqual(['n1', 'n3', 'n4']);

    // Replace a dead node: n3 is killed, n5 takes its place (added first, then n3 removed).
    await cluster.kill(3);
    const n5 = await cluster.replaceNode(3);
    expect(n5.nodeId).toBe('n5');
    expect(cluster.stateOf(3)).toBe('removed');
    expect(await voters(cluster)).toEqual(['n1', 'n4', 'n5']);

    // The leader itself leaves: it leads until its removal commits, then the two others elect one.
    // Asked of a follower, the answer is the change committed (not "unknown" because the leader
    // stepped down in the step that committed it).
    const leaving = cluster.numberOf(await cluster.leader());
    const remaining = ['n1', 'n4', 'n5'].filter((id) => id !== `n${leaving}`);
    const follower = cluster.node(Number(remaining[0]!.slice(1)));
    expect((await follower.admin({ timeoutMs: 10_000 }).removeMember(`n${leaving}`)).map((member) => member.id)).toEqual(remaining);
    await cluster.removeNode(leaving); // removed already: only stops it
    expect(await voters(cluster)).toEqual(remaining);

    const acknowledged = await load.stop();
    expect(acknowledged.length).toBeGreaterThan(0);
    const reports = await cluster.waitForConvergence({ timeoutMs: 30_000 });
    expect(reports.filter((report) => report.state === 'running').map((report) => report.nodeId)).toEqual(remaining);

    const received = new Set(await drain((await cluster.leader()).sqsClient(), queueUrl));
    expect(acknowledged.filter((body) => !received.has(body))).toEqual([]);
    expect(received.has('through-n4')).toBe(true);
  }, 150_000);
});
