/**
 * Cluster scenarios, run on each runtime: formation, then crashes (kill), freezes (pause) and
 * partitions of the leader and of a follower, each with the outcome its ack mode promises:
 *
 *   majority  leader crash or cut-off: a new leader takes over, no acknowledged message is lost;
 *             one follower down: writes go on.
 *   all       every running node holds each write (a frozen follower leaves the leader's view,
 *             never below a majority); a majority frozen: writes fail (503).
 *   one       one follower down: writes go on, each held by the leader and the other follower.
 *   none      both followers frozen: the leader still answers, held by itself alone.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, expect, it, onTestFailed } from 'vitest';
import { ReplimqCluster } from '../../../client/src/cluster.js';
import type { RuntimeKind } from '../../../client/src/cluster-runtime.js';
import { commitOf } from '../../../client/src/commit-log.js';
import type { AckMode, StorageKind } from '../../../client/src/node-options.js';
import type { StartedReplimqCluster } from '../../../client/src/started-cluster.js';
import { createQueue, drain, send } from './sqs-steps.js';

const SCENARIO_TIMEOUT_MS = 120_000;

export function defineClusterScenarios(runtime: RuntimeKind): void {
  const clusters: StartedReplimqCluster[] = [];
  async function startCluster(ackMode: AckMode, storage: StorageKind = 'memory'): Promise<StartedReplimqCluster> {
    const cluster = await new ReplimqCluster(3).withRuntime(runtime).withAckMode(ackMode).withStorage(storage).start();
    clusters.push(cluster);
    // A step that hangs (a kill, an election, a drain) ends in the scenario timeout, which names
    // no step: each node's state and last log lines say which side stopped moving.
    onTestFailed(() => {
      for (const [index, node] of cluster.nodes.entries()) {
        const lines = node.lastLogLines(15).map((line) => `    ${line}`).join('\n');
        console.error(`${node.nodeId} (${cluster.stateOf(index + 1)}), last log lines:\n${lines}`);
      }
    });
    return cluster;
  }
  afterEach(async () => {
    await Promise.all(clusters.splice(0).map((cluster) => cluster.stop()));
  });

  async function leaderAndFollowers(cluster: StartedReplimqCluster) {
    const leader = cluster.numberOf(await cluster.leader());
    const followers = [1, 2, 3].filter((number) => number !== leader);
    return { leader, followers: followers as [number, number] };
  }

  /** A client that does not retry, so a refused write shows as the error it is. */
  function oneShot(cluster: StartedReplimqCluster, number: number): SQSClient {
    return cluster.node(number).sqsClient({ maxAttempts: 1 });
  }

  it('forms: one leader elected, every node following it', async () => {
    const cluster = await startCluster('majority');
    const leader = await cluster.leader();
    expect(cluster.nodes.map((node) => node.nodeId)).toEqual(['n1', 'n2', 'n3']);
    for (const node of cluster.nodes) expect((await node.admin().cluster()).leaderId).toBe(leader.nodeId);
    await cluster.expectConverged();
  }, SCENARIO_TIMEOUT_MS);

  it('majority: acknowledged messages survive a leader crash', async () => {
    const cluster = await startCluster('majority');
    const { leader, followers } = await leaderAndFollowers(cluster);
    const sqs = cluster.node(followers[0]).sqsClient(); // a follower forwards to the leader
    const queueUrl = await createQueue(sqs, 'orders');
    const sent = ['a', 'b', 'c'];
    for (const body of sent) {
      const messageId = await send(sqs, queueUrl, body);
      await cluster.expectReplicated(messageId, { on: 'majority', timeoutMs: 0 });
    }
    await cluster.expectAckModeHolds({ ackMode: 'majority' });
    await cluster.kill(leader);
    const successor = await cluster.leader({ among: followers });
    expect(successor.nodeId).not.toBe(`n${leader}`);
    expect(await drain(successor.sqsClient(), queueUrl)).toEqual(sent);
    await cluster.restart(leader);
    await cluster.waitForConvergence();
  }, SCENARIO_TIMEOUT_MS);

  it('majority: writes go on with a follower down, and it catches up on restart', async () => {
    const cluster = await startCluster('majority');
    const { leader, followers } = await leaderAndFollowers(cluster);
    await cluster.kill(followers[0]);
    const sqs = cluster.node(leader).sqsClient();
    const queueUrl = await createQueue(sqs, 'events');
    const messageId = await send(sqs, queueUrl, 'while n' + followers[0] + ' was down');
    await cluster.expectAckModeHolds({ ackMode: 'majority' });
    await cluster.restart(followers[0]);
    await cluster.expectReplicated(messageId, { on: 'all', timeoutMs: 15_000 });
    await cluster.expectConverged();
  }, SCENARIO_TIMEOUT_MS);

  it('majority: a leader cut off by a partition is replaced, and rejoins as follower on heal', async () => {
    const cluster = await startCluster('majority');
    const { leader, followers } = await leaderAndFollowers(cluster);
    const queueUrl = await createQueue(cluster.node(leader).sqsClient(), 'split');
    await cluster.partition([leader], followers);
    const successor = await cluster.leader({ among: followers });
    await send(successor.sqsClient(), queueUrl, 'majority side');
    // The old leader cannot reach a majority: its write is refused, never acknowledged.
    await expect(send(oneShot(cluster, leader), queueUrl, 'minority side')).rejects.toMatchObject({
      $metadata: { httpStatusCode: 503 },
    });
    await cluster.heal();
    const [report] = await cluster.waitForConvergence({ timeoutMs: 20_000 });
    expect(report?.status?.leaderId).toBe(successor.nodeId);
    expect(await drain(successor.sqsClient(), queueUrl)).toEqual(['majority side']);
  }, SCENARIO_TIMEOUT_MS);

  // Real network cuts (containers) once left this node's channel to the new leader in a TCP
  // connect that never completed after the heal, so its forwards got 503 for minutes; the peer link
  // now abandons a connect attempt that hangs (server/src/cluster/grpc/connect-watchdog.ts).
  it('majority: after a healed partition, the node that was cut off forwards writes again', async () => {
    const cluster = await startCluster('majority');
    const { leader, followers } = await leaderAndFollowers(cluster);
    const queueUrl = await createQueue(cluster.node(leader).sqsClient(), 'rejoin');
    await cluster.partition([leader], followers);
    await cluster.leader({ among: followers });
    await cluster.heal();
    await cluster.waitForConvergence({ timeoutMs: 20_000 });
    await send(oneShot(cluster, leader), queueUrl, 'forwarded');
    expect(await drain(cluster.node(leader).sqsClient(), queueUrl)).toEqual(['forwarded']);
  }, SCENARIO_TIMEOUT_MS);

  it('majority: a partitioned follower does not stop writes, and converges on heal', async () => {
    const cluster = await startCluster('majority');
    const { leader, followers } = await leaderAndFollowers(cluster);
    await cluster.partition([followers[1]]);
    const sqs = cluster.node(leader).sqsClient();
    const messageId = await send(sqs, await createQueue(sqs, 'cut'), 'during the cut');
    await cluster.expectReplicated(messageId, { on: 'majority', timeoutMs: 0 });
    await cluster.heal();
    await cluster.expectReplicated(messageId, { on: 'all', timeoutMs: 15_000 });
  }, SCENARIO_TIMEOUT_MS);

  it('all: every running node holds each write; with a majority frozen writes fail (503)', async () => {
    const cluster = await startCluster('all');
    const { leader, followers } = await leaderAndFollowers(cluster);
    const probe = await cluster.expectAckModeHolds({ ackMode: 'all' });
    for (const { commit } of probe.sends) expect(commit.replicas).toBe(3);
    const queueUrl = await createQueue(cluster.node(leader).sqsClient(), 'strict');
    // One follower frozen: it leaves the leader's view, and writes are held by the two others.
    await cluster.pause(followers[0]);
    const messageId = await send(cluster.node(leader).sqsClient(), queueUrl, 'two of three');
    expect(commitOf(messageId)?.replicas).toBe(2);
    // Both frozen: no majority, so nothing is acknowledged.
    await cluster.pause(followers[1]);
    await expect(send(oneShot(cluster, leader), queueUrl, 'blocked')).rejects.toMatchObject({
      $metadata: { httpStatusCode: 503 },
    });
    await cluster.unpause(followers[0]);
    await cluster.unpause(followers[1]);
    await cluster.expectReplicated(messageId, { on: 'all', timeoutMs: 15_000 });
  }, SCENARIO_TIMEOUT_MS);

  it('one: with a follower crashed, writes are held by the leader and the other follower', async () => {
    const cluster = await startCluster('one');
    const { followers } = await leaderAndFollowers(cluster);
    await cluster.kill(followers[0]);
    const probe = await cluster.expectAckModeHolds({ ackMode: 'one', messages: 2 });
    for (const { holders } of probe.sends) expect(holders).not.toContain(`n${followers[0]}`);
  }, SCENARIO_TIMEOUT_MS);

  it('none: the leader answers with both followers frozen, held by itself alone', async () => {
    const cluster = await startCluster('none');
    const { leader, followers } = await leaderAndFollowers(cluster);
    const sqs = cluster.node(leader).sqsClient();
    const queueUrl = await createQueue(sqs, 'fast');
    await cluster.pause(followers[0]);
    await cluster.pause(followers[1]);
    const messageId = await send(sqs, queueUrl, 'unreplicated');
    expect(commitOf(messageId)?.replicas).toBe(1);
    await cluster.unpause(followers[0]);
    await cluster.unpause(followers[1]);
    await cluster.expectReplicated(messageId, { on: 'all', timeoutMs: 15_000 });
  }, SCENARIO_TIMEOUT_MS);

  it('sqlite: a crashed follower restarts from its own data and catches up', async () => {
    const cluster = await startCluster('majority', 'sqlite');
    const { leader, followers } = await leaderAndFollowers(cluster);
    const sqs = cluster.node(leader).sqsClient();
    const queueUrl = await createQueue(sqs, 'durable');
    await cluster.expectReplicated(await send(sqs, queueUrl, 'before'), { on: 'all', timeoutMs: 10_000 });
    await cluster.kill(followers[0]);
    await send(sqs, queueUrl, 'during');
    await cluster.restart(followers[0]);
    await cluster.waitForConvergence();
    const lag = await cluster.replicationLag();
    expect(lag.map((node) => node.lag)).toEqual([0, 0, 0]);
    expect(await drain(cluster.node(followers[0]).sqsClient(), queueUrl)).toEqual(['before', 'during']);
  }, SCENARIO_TIMEOUT_MS);

}
