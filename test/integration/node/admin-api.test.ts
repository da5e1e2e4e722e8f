/** The admin API of a single node: health, cluster view, queue summary, Prometheus metrics. */
import { describe, expect, it } from 'vitest';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';

import { useNode } from './node-fixture.js';
import { startNode } from '../../support/start-node.js';
import { raftReplication } from '../../../server/src/cluster/raft-replication.js';
import { freePort } from '../../../client/src/free-port.js';
import { sampleValue, samplesOf } from '../../support/prometheus-text.js';

describe('admin API', () => {
  const target = useNode();

  const getJson = async (path: string): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(`${target.node().adminEndpoint}${path}`);
    return { status: response.status, body: await response.json() };
  };

  it('reports health once SQS is served', async () => {
    expect(await getJson('/health')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('serves a live dashboard page that reads the cluster and queue endpoints', async () => {
    for (const path of ['/', '/ui']) {
      const response = await fetch(`${target.node().adminEndpoint}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const page = await response.text();
      expect(page).toMatch(/^<!doctype html>/);
      // The page watches these two JSON endpoints and acts through POST /sqs alone (the browser
      // test, test/browser/admin-page.test.ts, uses it).
      expect(page).toContain("api('cluster')");
      expect(page).toContain("api('queues')");
      expect(page).toContain("api('sqs'");
    }
  });

  it('shows a single node as its own leader in term 1', async () => {
    const before = (await getJson('/cluster')).body as { appliedIndex: number };
    await target.sqs().send(new CreateQueueCommand({ QueueName: 'cluster-view' }));
    const { status, body } = await getJson('/cluster');
    expect(status).toBe(200);
    // A single node is a raft cluster of one: it elected itself in the first term.
    expect(body).toMatchObject({
      nodeId: 'n1',
      role: 'leader',
      term: 1,
      leaderId: 'n1',
      appliedIndex: before.appliedIndex + 1,
      commitIndex: before.appliedIndex + 1,
      peers: [],
    });
  });

  it('summarises queues and exports counters and gauges for Prometheus', async () => {
    const { QueueUrl } = await target.sqs().send(new CreateQueueCommand({ QueueName: 'metered' }));
    await target.sqs().send(new SendMessageCommand({ QueueUrl, MessageBody: 'one' }));
    await target.sqs().send(new SendMessageCommand({ QueueUrl, MessageBody: 'two' }));
    await target.sqs().send(new SendMessageCommand({ QueueUrl, MessageBody: 'later', DelaySeconds: 900 }));
    const received = await target.sqs().send(new ReceiveMessageCommand({ QueueUrl }));
    await target.sqs().send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: received.Messages![0]!.ReceiptHandle! }));
    await target.sqs().send(new ReceiveMessageCommand({ QueueUrl }));
    await target.sqs().send(new SendMessageCommand({ QueueUrl: `${QueueUrl}-missing`, MessageBody: 'x' })).catch(() => undefined);

    const { body } = await getJson('/queues');
    const summary = (body as { queues: { name: string }[] }).queues.find((queue) => queue.name === 'metered');
    expect(summary).toMatchObject({ name: 'metered', fifo: false, visible: 0, inFlight: 1, delayed: 1 });

    const response = await fetch(`${target.node().adminEndpoint}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('# TYPE replimq_requests_total counter');
    const node = { node: 'n1' };
    expect(sampleValue(text, 'replimq_requests_total', { ...node, action: 'SendMessage', outcome: 'ok' })).toBe(3);
    expect(sampleValue(text, 'replimq_requests_total', { ...node, action: 'SendMessage', outcome: 'QueueDoesNotExist' })).toBe(1);
    expect(sampleValue(text, 'replimq_messages_sent_total', node)).toBe(3);
    expect(sampleValue(text, 'replimq_messages_received_total', node)).toBe(2);
    expect(sampleValue(text, 'replimq_messages_deleted_total', node)).toBe(1);
    expect(sampleValue(text, 'replimq_queue_messages', { ...node, queue: 'metered', state: 'in_flight' })).toBe(1);
    expect(sampleValue(text, 'replimq_queue_messages', { ...node, queue: 'metered', state: 'delayed' })).toBe(1);
    expect(sampleValue(text, 'replimq_raft_applied_index', node)).toBeGreaterThan(0);
    // Every request, the failed one too, is timed per action.
    expect(sampleValue(text, 'replimq_request_duration_seconds_count', { ...node, action: 'SendMessage' })).toBe(4);
    expect(sampleValue(text, 'replimq_request_duration_seconds_bucket', { ...node, action: 'SendMessage', le: '+Inf' })).toBe(4);
    expect(sampleValue(text, 'replimq_request_duration_seconds_count', { ...node, action: 'ReceiveMessage' })).toBe(2);
    // The replication layer's families are part of the same exposition, each declared once.
    expect(sampleValue(text, 'replimq_raft_role', { ...node, role: 'leader' })).toBe(1);
    expect(sampleValue(text, 'replimq_replication_seconds_count', { ...node, ack_mode: 'majority' })).toBeGreaterThan(0);
    const declared = text.match(/^# TYPE \S+/gm) ?? [];
    expect(new Set(declared).size).toBe(declared.length);
    expect(await (await fetch(`${target.node().adminEndpoint}/metrics/cluster`)).text()).toContain('# TYPE replimq_raft_term gauge');
  });

  it('states each fact once, every sample labelled with the node, with process, runtime and build families', async () => {
    const text = await (await fetch(`${target.node().adminEndpoint}/metrics`)).text();
    const families = new Set((text.match(/^# TYPE (\S+)/gm) ?? []).map((line) => line.slice('# TYPE '.length)));
    // The same fact once had two names; only the replication layer's remain.
    for (const duplicate of ['replimq_term', 'replimq_applied_index', 'replimq_commit_index', 'replimq_is_leader']) {
      expect(families.has(duplicate)).toBe(false);
    }
    for (const family of ['replimq_raft_term', 'replimq_raft_applied_index', 'replimq_raft_commit_index', 'replimq_raft_role']) {
      expect(families.has(family)).toBe(true);
    }
    const samples = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(samples.length).toBeGreaterThan(50);
    expect(samples.filter((line) => !/[{,]node="n1"[,}]/.test(line))).toEqual([]);
    expect(families.has('process_cpu_seconds_total')).toBe(true);
    expect(families.has('process_resident_memory_bytes')).toBe(true);
    expect(families.has('nodejs_heap_size_used_bytes')).toBe(true);
    expect(families.has('nodejs_eventloop_lag_p99_seconds')).toBe(true);
    const [buildInfo, ...more] = samplesOf(text, 'replimq_build_info', { node: 'n1' });
    expect(more).toEqual([]);
    expect(buildInfo).toEqual({
      name: 'replimq_build_info',
      labels: { node: 'n1', version: expect.stringMatching(/^\d+\.\d+\.\d+/), nodejs_version: process.versions.node, storage: expect.stringMatching(/^(memory|sqlite)$/) },
      value: 1,
    });
  });

  it('answers 404 for an unknown path and 405 for a wrong method', async () => {
    expect((await fetch(`${target.node().adminEndpoint}/nope`)).status).toBe(404);
    expect((await fetch(`${target.node().adminEndpoint}/health`, { method: 'DELETE' })).status).toBe(405);
  });

  it('runs SQS actions (and replimq\'s PeekMessages / DeleteMessageById) through POST /sqs, with SQS\'s errors', async () => {
    const run = async (body: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
      const response = await fetch(`${target.node().adminEndpoint}/sqs`, { method: 'POST', body: JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const created = await run({ action: 'CreateQueue', input: { QueueName: 'via-admin' } });
    expect(created.status).toBe(200);
    const queueUrl = (created.body.output as { QueueUrl: string }).QueueUrl;
    expect(queueUrl).toBe(`${target.node().sqsEndpoint}/000000000000/via-admin`);
    expect(created.body.logIndex).toEqual(expect.any(Number));
    const sent = await run({ action: 'SendMessage', input: { QueueUrl: queueUrl, MessageBody: 'hi' } });
    const messageId = (sent.body.output as { MessageId: string }).MessageId;
    const peeked = await run({ action: 'PeekMessages', input: { QueueUrl: queueUrl } });
    expect((peeked.body.output as { Messages: { MessageId: string }[] }).Messages.map((m) => m.MessageId)).toEqual([messageId]);
    expect((await run({ action: 'DeleteMessageById', input: { QueueUrl: queueUrl, MessageId: messageId } })).status).toBe(200);
    expect((await run({ action: 'PeekMessages', input: { QueueUrl: queueUrl } })).body).toEqual({ output: {} });

    expect(await run({ action: 'SendMessage', input: { QueueUrl: queueUrl } })).toMatchObject({
      status: 400,
      body: { error: { code: 'MissingParameter' } },
    });
    expect(await run({ action: 'PeekMessages', input: { QueueUrl: `${queueUrl}-gone` } })).toMatchObject({
      status: 400,
      body: { error: { code: 'QueueDoesNotExist', queryCode: 'AWS.SimpleQueueService.NonExistentQueue' } },
    });
    expect(await run({ action: 'DropEverything', input: {} })).toMatchObject({ status: 400, body: { error: { code: 'InvalidAction' } } });
    expect(await run([1, 2])).toMatchObject({ status: 400, body: { error: { code: 'InvalidAction' } } });
    // replimq's own actions stay off the SQS wire.
    const wire = await fetch(`${target.node().sqsEndpoint}/?Action=PeekMessages&QueueUrl=${encodeURIComponent(queueUrl)}`);
    expect(wire.status).toBe(400);
    expect(await wire.text()).toContain('<Code>InvalidAction</Code>');
  });

  it('reads a path that starts with "//" as a path, never as a host or a server error', async () => {
    expect((await fetch(`${target.node().adminEndpoint}//`)).status).toBe(404);
    // Not `/faults` on a host named "x".
    expect((await fetch(`${target.node().adminEndpoint}//x/faults`)).status).toBe(404);
  });

  it('answers 400 to a /faults body that is JSON but not an object, and keeps the rules', async () => {
    const post = (body: string): Promise<Response> =>
      fetch(`${target.node().adminEndpoint}/faults`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect((await post('{"refuseClients":true}')).status).toBe(200);
    for (const body of ['null', '[]', '"n2"', '7', '{bad json']) {
      const response = await post(body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
      expect(await response.json()).toHaveProperty('error');
    }
    expect(await (await fetch(`${target.node().adminEndpoint}/faults`)).json()).toMatchObject({ refuseClients: true });
    expect((await fetch(`${target.node().adminEndpoint}/faults`, { method: 'DELETE' })).status).toBe(200);
  });
});

describe('admin API while the node starts', () => {
  it('answers /health 503 until SQS is served, then 200', async () => {
    const adminPort = await freePort();
    let releaseStart!: () => void;
    const startBlocked = new Promise<void>((resolve) => (releaseStart = resolve));
    const starting = startNode({
      config: { adminPort },
      dependencies: {
        // The node's own layer, with a start-up that waits for the test first.
        replication: (context) => {
          const layer = raftReplication(context);
          return { ...layer, start: () => startBlocked.then(() => layer.start?.()) };
        },
      },
    });
    const health = (): Promise<number> => fetch(`http://127.0.0.1:${adminPort}/health`).then((response) => response.status);
    let status = await health().catch(() => 0);
    for (let attempt = 0; attempt < 200 && status !== 503; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 10)); // the admin port opens early in start-up
      status = await health().catch(() => 0);
    }
    expect(status).toBe(503);
    releaseStart();
    const node = await starting;
    expect(await health()).toBe(200);
    await node.stop();
  });
});
