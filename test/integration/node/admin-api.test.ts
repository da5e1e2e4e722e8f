/** The admin API of a single node: health, cluster view, queue summary, Prometheus metrics. */
import { describe, expect, it } from 'vitest';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';

import { useNode } from './node-fixture.js';
import { startNode } from '../../support/start-node.js';
import { raftReplication } from '../../../server/src/cluster/raft-replication.js';
import { freePort } from '../../../client/src/free-port.js';

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
      // The page is only a view: everything it shows comes from these two JSON endpoints.
      expect(page).toContain("fetch('cluster')");
      expect(page).toContain("fetch('queues')");
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
    expect(text).toMatch(/^replimq_requests_total\{action="SendMessage",outcome="ok"\} 3$/m);
    expect(text).toMatch(/^replimq_requests_total\{action="SendMessage",outcome="QueueDoesNotExist"\} 1$/m);
    expect(text).toMatch(/^replimq_messages_sent_total 3$/m);
    expect(text).toMatch(/^replimq_messages_received_total 2$/m);
    expect(text).toMatch(/^replimq_messages_deleted_total 1$/m);
    expect(text).toMatch(/^replimq_queue_messages\{queue="metered",account="000000000000",region="us-east-1",state="in_flight"\} 1$/m);
    expect(text).toMatch(/^replimq_queue_messages\{queue="metered",account="000000000000",region="us-east-1",state="delayed"\} 1$/m);
    expect(text).toMatch(/^replimq_applied_index \d+$/m);
    // The replication layer's families are part of the same exposition, each declared once.
    expect(text).toMatch(/^replimq_raft_role\{node="n1",role="leader"\} 1$/m);
    expect(text).toMatch(/^replimq_replication_seconds_count\{node="n1",ack_mode="majority"\} \d+$/m);
    const declared = text.match(/^# TYPE \S+/gm) ?? [];
    expect(new Set(declared).size).toBe(declared.length);
    expect(await (await fetch(`${target.node().adminEndpoint}/metrics/cluster`)).text()).toContain('# TYPE replimq_raft_term gauge');
  });

  it('shows every account’s and region’s queues, each with its account and region', async () => {
    const eu = new SQSClient({
      endpoint: target.node().sqsEndpoint, region: 'eu-central-1', credentials: { accessKeyId: '111111111111', secretAccessKey: 'x' }, maxAttempts: 1,
    });
    try {
      await target.sqs().send(new CreateQueueCommand({ QueueName: 'everywhere' }));
      const { QueueUrl } = await eu.send(new CreateQueueCommand({ QueueName: 'everywhere' }));
      await eu.send(new SendMessageCommand({ QueueUrl, MessageBody: 'eu' }));
    } finally {
      eu.destroy();
    }
    const { body } = await getJson('/queues');
    const rows = (body as { queues: { name: string; accountId: string; region: string; url: string; arn: string; visible: number }[] }).queues
      .filter((queue) => queue.name === 'everywhere')
      .map(({ accountId, region, url, arn, visible }) => ({ accountId, region, path: new URL(url).pathname, arn, visible }));
    expect(rows).toEqual([
      { accountId: '000000000000', region: 'us-east-1', path: '/000000000000/everywhere', arn: 'arn:aws:sqs:us-east-1:000000000000:everywhere', visible: 0 },
      {
        accountId: '111111111111', region: 'eu-central-1', path: '/queue/eu-central-1/111111111111/everywhere',
        arn: 'arn:aws:sqs:eu-central-1:111111111111:everywhere', visible: 1,
      },
    ]);
    const text = await (await fetch(`${target.node().adminEndpoint}/metrics`)).text();
    expect(text).toMatch(/^replimq_queue_messages\{queue="everywhere",account="111111111111",region="eu-central-1",state="visible"\} 1$/m);
    expect(text).toMatch(/^replimq_queue_messages\{queue="everywhere",account="000000000000",region="us-east-1",state="visible"\} 0$/m);
    const page = await (await fetch(`${target.node().adminEndpoint}/`)).text();
    expect(page).toContain('<th>account</th><th>region</th>');
  });

  it('answers 404 for an unknown path and 405 for a wrong method', async () => {
    expect((await fetch(`${target.node().adminEndpoint}/nope`)).status).toBe(404);
    expect((await fetch(`${target.node().adminEndpoint}/health`, { method: 'DELETE' })).status).toBe(405);
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
