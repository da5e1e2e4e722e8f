/**
 * A single node is a cluster of one on the raft path, whether `--peers` names it or is left out
 * (node.ts uses `raftReplication` for every node). The member elects itself at once, answers
 * every ack mode alone, fixes each command's time and
 * ids, wakes long polls, and (SQLite) restarts from its own disk with its term and applied index.
 */
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig, type StorageKind } from '../../server/src/config.js';
import { makeTempDir, startNode, type StartedNode } from '../support/start-node.js';
import { freePort } from './free-port.js';
import { replicationOf, trackReplication } from './replication-headers.js';
import { waitFor } from './wait-for.js';

const running: { node: StartedNode; sqs: SQSClient }[] = [];

afterEach(async () => {
  for (const { node, sqs } of running.splice(0)) {
    sqs.destroy();
    await node.stop();
  }
});

/** `peers: 'none'` starts it without a peer list, as `npm start` does. */
async function startSingleMember(
  storage: StorageKind,
  dataDir?: string,
  port?: number,
  peers: 'self' | 'none' = 'self',
): Promise<{ node: StartedNode; sqs: SQSClient }> {
  const grpcPort = port ?? (await freePort());
  const node = await startNode({
    storage,
    ...(dataDir ? { dataDir } : {}),
    config: {
      grpcPort,
      cluster: {
        ...defaultConfig().cluster,
        nodeId: 'solo',
        peers: peers === 'self' ? [{ id: 'solo', host: '127.0.0.1', port: grpcPort }] : [],
      },
    },
  });
  const sqs = trackReplication(
    new SQSClient({ endpoint: node.sqsEndpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' }, maxAttempts: 1 }),
  );
  const started = { node, sqs };
  running.push(started);
  return started;
}

async function role(node: StartedNode): Promise<{ role: string; term: number; appliedIndex: number }> {
  return (await (await fetch(`${node.adminEndpoint}/cluster`)).json()) as { role: string; term: number; appliedIndex: number };
}

describe('a 1-member cluster on the raft path', () => {
  it('leads at once and answers every ack mode with itself as the only replica', async () => {
    const { node, sqs } = await startSingleMember('memory');
    await waitFor('the member to lead', async () => (await role(node)).role === 'leader');
    for (const mode of ['none', 'one', 'majority', 'all']) {
      const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `q-${mode}`, tags: { 'replimq:ack-mode': mode } }))).QueueUrl!;
      const sent = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: mode }));
      expect(replicationOf(sent).replicas).toBe(1);
      expect(replicationOf(sent).logIndex).toBeGreaterThan(0);
    }
  });

  it('runs the same raft path without a peer list, as a member of itself', async () => {
    const { node, sqs } = await startSingleMember('memory', undefined, undefined, 'none');
    const view = await waitFor('the member to lead', async () => {
      const status = await role(node);
      return status.role === 'leader' ? status : undefined;
    });
    expect(view.term).toBeGreaterThan(0);
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'alone' }))).QueueUrl!;
    expect(replicationOf(await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x' }))).replicas).toBe(1);
  });

  it('fixes each command\'s time and random ids on the leader', async () => {
    const { node, sqs } = await startSingleMember('memory');
    await waitFor('the member to lead', async () => (await role(node)).role === 'leader');
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'ids' }))).QueueUrl!;
    const before = Date.now();
    const sent = await sqs.send(
      new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: 'a', MessageBody: 'x' }, { Id: 'b', MessageBody: 'y' }] }),
    );
    const after = Date.now();
    expect(new Set(sent.Successful?.map((entry) => entry.MessageId)).size).toBe(2);
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageSystemAttributeNames: ['SentTimestamp'] }));
    const sentAt = Number(received.Messages?.[0]?.Attributes?.['SentTimestamp']);
    expect(sentAt).toBeGreaterThanOrEqual(before);
    expect(sentAt).toBeLessThanOrEqual(after);
  });

  it('wakes a long poll when a message arrives', async () => {
    const { node, sqs } = await startSingleMember('memory');
    await waitFor('the member to lead', async () => (await role(node)).role === 'leader');
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'poll' }))).QueueUrl!;
    const polling = sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 10 }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'wake up' }));
    const received = await polling;
    expect(received.Messages?.map((message) => message.Body)).toEqual(['wake up']);
  });

  it('restarts from its SQLite file with its messages, term and applied index', async () => {
    const dataDir = makeTempDir();
    const grpcPort = await freePort();
    const first = await startSingleMember('sqlite', dataDir, grpcPort);
    await waitFor('the member to lead', async () => (await role(first.node)).role === 'leader');
    const queueUrl = (await first.sqs.send(new CreateQueueCommand({ QueueName: 'durable' }))).QueueUrl!;
    await first.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'kept' }));
    const before = await role(first.node);
    first.sqs.destroy();
    await first.node.stop();
    running.splice(running.indexOf(first), 1);

    const second = await startSingleMember('sqlite', dataDir, grpcPort);
    const after = await waitFor('the restarted member to lead', async () => {
      const view = await role(second.node);
      return view.role === 'leader' ? view : undefined;
    });
    expect(after.term).toBeGreaterThan(before.term);
    expect(after.appliedIndex).toBeGreaterThan(before.appliedIndex);
    const received = await second.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));
    expect(received.Messages?.map((message) => message.Body)).toEqual(['kept']);
    await second.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: received.Messages![0]!.ReceiptHandle! }));
    second.sqs.destroy();
    await second.node.stop();
    running.splice(running.indexOf(second), 1);
    rmSync(dataDir, { recursive: true, force: true });
  });
});
