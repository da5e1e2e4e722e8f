/**
 * SQS's own failure modes on demand (`chaos`): injected errors in each protocol's shape, latency,
 * empty short polls, duplicate and reordered deliveries on standard queues, early visibility
 * expiry — set from the config, replaced and cleared through the admin API, and never touching
 * FIFO queues unless asked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ChaosSpec } from '../../../server/src/chaos/chaos-spec.js';
import { createSdkClient } from '../../support/sdk-clients.js';
import type { Flavour } from '../../support/sdk-clients.js';
import { startNode } from '../../support/start-node.js';
import type { StartedNode } from '../../support/start-node.js';

let node: StartedNode | undefined;

afterEach(async () => {
  await node?.stop();
  node = undefined;
});

async function nodeWithChaos(chaos?: ChaosSpec): Promise<StartedNode> {
  node = await startNode(chaos ? { config: { chaos } } : {});
  return node;
}

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${node!.adminEndpoint}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: response.status, body: await response.json() };
}

const sqs = (flavour: Flavour = 'json') => createSdkClient(flavour, () => node!.sqsEndpoint);

describe('chaos: injected errors', () => {
  it.each([
    ['json', 'ServiceUnavailable', 503, 'ServiceUnavailable'],
    ['query', 'ServiceUnavailable', 503, 'ServiceUnavailable'],
    ['json', 'InternalFailure', 500, 'InternalFailure'],
    ['query', 'InternalFailure', 500, 'InternalFailure'],
    ['json', 'ThrottlingException', 400, 'ThrottlingException'],
    ['query', 'ThrottlingException', 400, 'ThrottlingException'],
    ['json', 'RequestThrottled', 403, 'RequestThrottled'],
    ['query', 'RequestThrottled', 403, 'RequestThrottled'],
  ] as const)('%s: %s answers %d with code %s, and only for the chosen action', async (flavour, error, status, code) => {
    await nodeWithChaos({ seed: 3, errors: [{ actions: ['SendMessage'], rate: 1, error }] });
    const client = sqs(flavour);
    const { QueueUrl } = (await client.createQueue({ QueueName: 'chaos-errors' })) as { QueueUrl: string };
    await expect(client.sendMessage({ QueueUrl, MessageBody: 'x' })).rejects.toMatchObject({ code, status });
    await expect(client.receiveMessage({ QueueUrl })).resolves.toBeDefined();
    expect((await admin('GET', '/chaos')).body).toMatchObject({ enabled: true, injected: { errors: 1 } });
  });

  it('"when": "after" carries the action out and loses the answer, as a real 5xx may', async () => {
    await nodeWithChaos({ errors: [{ actions: ['SendMessage'], rate: 1, error: 'InternalFailure', when: 'after' }] });
    const client = sqs();
    const { QueueUrl } = (await client.createQueue({ QueueName: 'chaos-after' })) as { QueueUrl: string };
    await expect(client.sendMessage({ QueueUrl, MessageBody: 'done anyway' })).rejects.toMatchObject({ status: 500 });
    const { Messages } = (await client.receiveMessage({ QueueUrl, WaitTimeSeconds: 1 })) as { Messages?: { Body: string }[] };
    expect(Messages?.map((message) => message.Body)).toEqual(['done anyway']);
  });

  it('injects at the chosen rate, the same draws for the same seed', async () => {
    const outcomes: string[][] = [];
    for (let run = 0; run < 2; run += 1) {
      await nodeWithChaos({ seed: 77, errors: [{ actions: ['GetQueueUrl'], rate: 0.3, error: 'ServiceUnavailable' }] });
      const client = sqs();
      await client.createQueue({ QueueName: 'chaos-rate' });
      const seen: string[] = [];
      for (let index = 0; index < 60; index += 1) {
        seen.push(await client.getQueueUrl({ QueueName: 'chaos-rate' }).then(() => 'ok', () => 'err'));
      }
      outcomes.push(seen);
      await node!.stop();
      node = undefined;
    }
    expect(outcomes[1]).toEqual(outcomes[0]);
    const errors = outcomes[0]!.filter((outcome) => outcome === 'err').length;
    expect(errors).toBeGreaterThan(5);
    expect(errors).toBeLessThan(35);
  });
});

describe('chaos: deliveries', () => {
  it('answers short polls empty while a long poll gets the message', async () => {
    await nodeWithChaos({ emptyShortPolls: { rate: 1 } });
    const client = sqs();
    const { QueueUrl } = (await client.createQueue({ QueueName: 'chaos-short' })) as { QueueUrl: string };
    await client.sendMessage({ QueueUrl, MessageBody: 'hello' });
    expect(((await client.receiveMessage({ QueueUrl })) as { Messages?: unknown[] }).Messages ?? []).toEqual([]);
    expect(((await client.receiveMessage({ QueueUrl, WaitTimeSeconds: 0 })) as { Messages?: unknown[] }).Messages ?? []).toEqual([]);
    const { Messages } = (await client.receiveMessage({ QueueUrl, WaitTimeSeconds: 1 })) as { Messages?: { Body: string }[] };
    expect(Messages?.map((message) => message.Body)).toEqual(['hello']);
    expect((await admin('GET', '/chaos')).body.injected.emptyShortPolls).toBe(2);
  });

  it('delivers a standard queue message again while it is in flight, and never a FIFO one', async () => {
    await nodeWithChaos({ duplicates: { rate: 1 } });
    const client = sqs();
    const standard = ((await client.createQueue({ QueueName: 'chaos-dup' })) as { QueueUrl: string }).QueueUrl;
    const fifo = ((await client.createQueue({ QueueName: 'chaos-dup.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } })) as { QueueUrl: string }).QueueUrl;
    for (const QueueUrl of [standard, fifo]) await client.sendMessage({ QueueUrl, MessageBody: 'once', ...(QueueUrl === fifo ? { MessageGroupId: 'g' } : {}) });
    const first = ((await client.receiveMessage({ QueueUrl: standard })) as { Messages: { MessageId: string; ReceiptHandle: string }[] }).Messages;
    const again = ((await client.receiveMessage({ QueueUrl: standard })) as { Messages: { MessageId: string }[] }).Messages;
    expect(again.map((message) => message.MessageId)).toEqual(first.map((message) => message.MessageId));
    // The copy's receipt handle deletes the message, as a real duplicate's does.
    await client.deleteMessage({ QueueUrl: standard, ReceiptHandle: first[0]!.ReceiptHandle });
    expect(((await client.receiveMessage({ QueueUrl: fifo })) as { Messages: unknown[] }).Messages).toHaveLength(1);
    expect(((await client.receiveMessage({ QueueUrl: fifo })) as { Messages?: unknown[] }).Messages ?? []).toEqual([]);
    expect((await admin('GET', '/chaos')).body.injected.duplicates).toBe(1);
  });

  it('reorders a standard queue answer, and keeps FIFO order unless asked', async () => {
    await nodeWithChaos({ seed: 5, reorder: { rate: 1 } });
    const client = sqs();
    const bodies = Array.from({ length: 10 }, (_, index) => `m${index}`);
    const fifo = ((await client.createQueue({ QueueName: 'chaos-order.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } })) as { QueueUrl: string }).QueueUrl;
    const standard = ((await client.createQueue({ QueueName: 'chaos-order' })) as { QueueUrl: string }).QueueUrl;
    for (const MessageBody of bodies) {
      await client.sendMessage({ QueueUrl: fifo, MessageBody, MessageGroupId: 'g' });
      await client.sendMessage({ QueueUrl: standard, MessageBody });
    }
    const fifoBodies = ((await client.receiveMessage({ QueueUrl: fifo, MaxNumberOfMessages: 10 })) as { Messages: { Body: string }[] }).Messages.map((m) => m.Body);
    expect(fifoBodies).toEqual(bodies);
    const standardBodies = ((await client.receiveMessage({ QueueUrl: standard, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 })) as { Messages: { Body: string }[] }).Messages.map((m) => m.Body);
    expect(standardBodies.every((body) => bodies.includes(body))).toBe(true);
    expect(new Set(standardBodies).size).toBe(standardBodies.length);
    expect((await admin('GET', '/chaos')).body.injected.reordered).toBe(standardBodies.length > 1 ? 1 : 0);
  });

  it('makes a received message visible again early, through the replicated path', async () => {
    await nodeWithChaos({ earlyVisibility: { rate: 1, minShare: 0, maxShare: 0.02 } });
    const client = sqs();
    const { QueueUrl } = (await client.createQueue({ QueueName: 'chaos-visibility', Attributes: { VisibilityTimeout: '60' } })) as { QueueUrl: string };
    await client.sendMessage({ QueueUrl, MessageBody: 'back soon' });
    const first = ((await client.receiveMessage({ QueueUrl })) as { Messages: { MessageId: string }[] }).Messages;
    // Within a 60 s visibility timeout, only an early expiry can hand it out again.
    const second = ((await client.receiveMessage({ QueueUrl, WaitTimeSeconds: 10 })) as { Messages?: { MessageId: string; Attributes?: Record<string, string> }[] }).Messages;
    expect(second?.map((message) => message.MessageId)).toEqual(first.map((message) => message.MessageId));
    expect((await admin('GET', '/chaos')).body.injected.earlyVisibility).toBeGreaterThanOrEqual(1);
  });
});

describe('chaos: the admin API', () => {
  it('is off by default, set and replaced by POST /chaos, cleared by DELETE, and rejects bad rules with 400', async () => {
    await nodeWithChaos();
    expect((await admin('GET', '/chaos')).body).toMatchObject({ enabled: false });
    const client = sqs();
    const { QueueUrl } = (await client.createQueue({ QueueName: 'chaos-admin' })) as { QueueUrl: string };
    expect((await admin('POST', '/chaos', { latency: [{ rate: 1, minMs: 1, maxMs: 2 }], errors: [{ rate: 1, error: 'ThrottlingException', actions: ['SendMessage'] }] })).status).toBe(200);
    await expect(client.sendMessage({ QueueUrl, MessageBody: 'x' })).rejects.toMatchObject({ code: 'ThrottlingException' });
    expect((await admin('GET', '/chaos')).body.injected).toMatchObject({ errors: 1, latency: 1 });
    expect((await admin('DELETE', '/chaos')).body).toMatchObject({ enabled: false });
    await expect(client.sendMessage({ QueueUrl, MessageBody: 'x' })).resolves.toBeDefined();
    for (const bad of [{ errors: [{ rate: 2, error: 'ServiceUnavailable' }] }, { errors: [{ rate: 1, error: 'Teapot' }] }, { latency: [{ minMs: 5, maxMs: 1 }] }, { duplicates: { rate: 0.1, extra: 1 } }, { errors: [{ rate: 1, error: 'InternalFailure', actions: ['Nope'] }] }, []]) {
      const answer = await admin('POST', '/chaos', bad);
      expect(answer.status, JSON.stringify(bad)).toBe(400);
      expect(answer.body.error).toEqual(expect.any(String));
    }
  });
});
