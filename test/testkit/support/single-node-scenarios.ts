/**
 * Single-node scenarios, run on each runtime: the node is up and usable by the SDK, queues from
 * the config exist, and a sqlite node keeps its data across a restart.
 */
import { CreateQueueCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, expect, it } from 'vitest';
import type { ReplimqNode } from '../../../client/src/replimq-node.js';
import type { QueueConfig } from '../../../client/src/queue-config.js';
import type { StorageKind } from '../../../client/src/node-options.js';
import { createQueue, drain, send } from './sqs-steps.js';

export interface SingleNode extends ReplimqNode {
  restart(): Promise<void>;
  stop(): Promise<unknown>;
}

export type StartSingleNode = (options: { storage: StorageKind; queues?: QueueConfig[] }) => Promise<SingleNode>;

export function defineSingleNodeScenarios(start: StartSingleNode): void {
  const started: SingleNode[] = [];
  const startNode: StartSingleNode = async (options) => {
    const node = await start(options);
    started.push(node);
    return node;
  };
  afterEach(async () => {
    await Promise.all(started.splice(0).map((node) => node.stop()));
  });

  it('starts a node that the v3 SDK uses like SQS, with the configured queues', async () => {
    const node = await startNode({ storage: 'memory', queues: [{ name: 'preset', attributes: { VisibilityTimeout: '5' } }] });
    const sqs = node.sqsClient();
    const { QueueUrl: preset } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'preset' }));
    // Queue URLs carry the address the client called, so they work through port mappings.
    expect(preset).toBe(`${node.getEndpoint()}/000000000000/preset`);
    const queueUrl = await createQueue(sqs, 'orders');
    await send(sqs, queueUrl, 'first');
    await send(sqs, queueUrl, 'second');
    expect(await drain(sqs, queueUrl)).toEqual(['first', 'second']);
    expect((await node.admin().health()).healthy).toBe(true);
    expect((await node.admin().cluster()).role).toBe('leader');
  });

  it('guards the admin API with a token the testkit holds: refused without it, /health open', async () => {
    const node = await startNode({ storage: 'memory' });
    expect(node.getAdminToken()).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((await fetch(`${node.getAdminEndpoint()}/health`)).status).toBe(200);
    for (const path of ['/cluster', '/faults', '/queues']) {
      const refused = await fetch(`${node.getAdminEndpoint()}${path}`);
      expect(refused.status, path).toBe(401);
    }
    expect((await node.admin().faults()) as object).toMatchObject({ refuseClients: false });
  });

  it('offers testcontainers-style getters that an SDK client of the test\'s own can use', async () => {
    const node = await startNode({ storage: 'memory' });
    expect(node.getConnectionUri()).toBe(node.getEndpoint());
    expect(node.getAdminUri()).toBe(node.getAdminEndpoint());
    const sqs = new SQSClient({ endpoint: node.getConnectionUri(), region: node.getRegion(), credentials: node.getCredentials() });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'getters' }));
    expect(node.getQueueUrl('getters')).toBe(QueueUrl);
    expect(node.getRegion()).toBe('us-east-1');
    // health() carries the endpoint's own answer.
    const answer = (await (await fetch(`${node.getAdminUri()}/health`)).json()) as unknown;
    expect(await node.admin().health()).toEqual({ healthy: true, status: 200, body: answer });
    expect(answer).toEqual({ status: 'ok' });
  });

  it('keeps the data of a sqlite node across a restart', async () => {
    const node = await startNode({ storage: 'sqlite' });
    const queueUrl = await createQueue(node.sqsClient(), 'durable');
    await send(node.sqsClient(), queueUrl, 'kept');
    await node.restart();
    const sqs = node.sqsClient();
    expect(await drain(sqs, await createQueue(sqs, 'durable'))).toEqual(['kept']);
  });

  it('loses the data of a memory node on restart (the contrast that proves the test)', async () => {
    const node = await startNode({ storage: 'memory' });
    const queueUrl = await createQueue(node.sqsClient(), 'volatile');
    await send(node.sqsClient(), queueUrl, 'gone');
    await node.restart();
    const sqs = node.sqsClient();
    expect(await drain(sqs, await createQueue(sqs, 'volatile'))).toEqual([]);
  });
}
