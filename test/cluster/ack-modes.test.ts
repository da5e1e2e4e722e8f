/**
 * Each ack mode's promise, checked at answer time on a real 3-node cluster: the answer's
 * `x-replimq-replicas` header, and the applied index each node reports right after the answer.
 * Queues pick their mode with the `replimq:ack-mode` tag, so one cluster compares all four.
 */
import { CreateQueueCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalCluster, type AckMode, type ClusterNode } from './local-cluster.js';
import { replicationOf, trackReplication } from './replication-headers.js';
import { waitFor } from './wait-for.js';

/** Nodes that must hold an entry when its answer is sent, in a healthy 3-node cluster. */
const REQUIRED: Record<AckMode, number> = { none: 1, one: 2, majority: 2, all: 3 };

describe('ack modes on a 3-node cluster', () => {
  let cluster: LocalCluster;
  const clients: SQSClient[] = [];

  const client = (node: ClusterNode): SQSClient => {
    const made = trackReplication(node.sqs());
    clients.push(made);
    return made;
  };

  async function nodesHolding(logIndex: number, nodes: ClusterNode[]): Promise<number> {
    const views = await Promise.all(nodes.map((node) => node.cluster()));
    return views.filter((view) => view.appliedIndex >= logIndex).length;
  }

  async function queueWithMode(sqs: SQSClient, mode: AckMode): Promise<string> {
    const created = await sqs.send(new CreateQueueCommand({ QueueName: `ack-${mode}`, tags: { 'replimq:ack-mode': mode } }));
    return created.QueueUrl!;
  }

  beforeAll(async () => {
    cluster = await LocalCluster.start({ size: 3, ackMode: 'none' });
  });

  afterAll(async () => {
    for (const made of clients) made.destroy();
    await cluster?.stop();
  });

  for (const mode of ['none', 'one', 'majority', 'all'] as const) {
    it(`"${mode}": the answer comes once ${REQUIRED[mode]} node(s) hold the write`, { timeout: 30_000 }, async () => {
      const [follower] = await cluster.followers();
      const sqs = client(follower!);
      const queueUrl = await queueWithMode(sqs, mode);
      for (let at = 0; at < 5; at++) {
        const sent = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: `${mode}-${at}` }));
        const { logIndex, replicas } = replicationOf(sent);
        expect(logIndex).toBeGreaterThan(0);
        expect(replicas).toBeGreaterThanOrEqual(REQUIRED[mode]);
        // Holders only grow after the answer, so this is a lower bound checked after the fact.
        expect(await nodesHolding(logIndex, cluster.running())).toBeGreaterThanOrEqual(REQUIRED[mode]);
      }
    });
  }

  it('"all" counts the leader\'s current view: with a follower down it answers with the rest', { timeout: 45_000 }, async () => {
    const leader = await cluster.leader();
    const sqs = client(leader);
    const queueUrl = await queueWithMode(sqs, 'all');
    const [victim, survivor] = await cluster.followers();
    await victim!.kill();
    // The follower leaves the view once the leader has not heard from it for an election timeout.
    await waitFor(`${victim!.id} to leave the leader's view`, async () => {
      const view = await leader.cluster();
      const peer = view.peers.find((candidate) => candidate.id === victim!.id) as { lastContactMs?: number | null } | undefined;
      return (peer?.lastContactMs ?? 0) > cluster.electionTimeoutMs;
    });
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'two of three' }));
    const { logIndex, replicas } = replicationOf(sent);
    expect(replicas).toBe(2);
    expect(await nodesHolding(logIndex, [leader, survivor!])).toBe(2);

    await cluster.restart(victim!);
    await cluster.waitForConvergence();
  });
});
