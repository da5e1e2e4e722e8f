/**
 * SQLite storage survives a restart — even a SIGKILL — with every queue and message as it was:
 * visible, in-flight (same receipt handle, same receive count) and delayed messages, FIFO
 * deduplication and sequence numbers, queue attributes and tags. Runs the real CLI. PostgreSQL
 * storage (a group of one on its database) must do exactly the same, when the run has one.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListQueueTagsCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { makeTempDir, startNodeProcess, type NodeProcess } from '../../support/start-node.js';
import { createTestDatabase, POSTGRES_MISSING, POSTGRES_URL, type TestDatabase } from '../../support/postgres.js';
import { waitFor } from '../../cluster/wait-for.js';
import { sqsClient } from './node-fixture.js';

interface Durable {
  name: string;
  missing?: string;
  /** Flags of the storage, prepared once for the file; `cleanUp` after its last test. */
  prepare(): Promise<{ args: string[]; cleanUp(): Promise<void> }>;
}

const DURABLE_STORAGE: Durable[] = [
  {
    name: 'sqlite',
    prepare: async () => {
      const dataDir = makeTempDir();
      return { args: ['--storage', 'sqlite', '--data-dir', dataDir], cleanUp: async () => rmSync(dataDir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres',
    ...(POSTGRES_URL ? {} : { missing: POSTGRES_MISSING }),
    prepare: async () => {
      const database: TestDatabase = await createTestDatabase();
      return { args: ['--storage', 'postgres', '--postgres-url', database.url], cleanUp: () => database.drop() };
    },
  },
];

describe.each(DURABLE_STORAGE)('$name restart', ({ name, missing, prepare }) => {
  let storage: { args: string[]; cleanUp(): Promise<void> } | undefined;
  let node: NodeProcess | undefined;
  const started: SQSClient[] = [];

  const start = async (): Promise<SQSClient> => {
    node = await startNodeProcess(storage!.args);
    const client = sqsClient(node.sqsEndpoint);
    started.push(client);
    return client;
  };

  beforeAll(async () => {
    if (!missing) storage = await prepare();
  });
  afterEach(async () => {
    await node?.stop('SIGKILL');
    for (const client of started.splice(0)) client.destroy();
  });
  afterAll(() => storage?.cleanUp());

  it.skipIf(missing !== undefined)(`keeps queues, messages in every state, FIFO state and receipt handles across a SIGKILL${missing ? ` (skipped: ${missing})` : ''}`, async () => {
    // ---- before: one of everything
    let sqs = await start();
    const standard = (await sqs.send(new CreateQueueCommand({
      QueueName: 'orders',
      Attributes: { VisibilityTimeout: '600', MessageRetentionPeriod: '3600' },
      tags: { team: 'billing' },
    }))).QueueUrl!;
    const fifo = (await sqs.send(new CreateQueueCommand({
      QueueName: 'jobs.fifo',
      Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' },
    }))).QueueUrl!;

    await sqs.send(new SendMessageCommand({ QueueUrl: standard, MessageBody: 'in-flight' }));
    const inFlight = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: standard }))).Messages![0]!;
    expect(inFlight.Body).toBe('in-flight');
    await sqs.send(new SendMessageCommand({ QueueUrl: standard, MessageBody: 'visible' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: standard, MessageBody: 'delayed', DelaySeconds: 2 }));
    const firstFifo = await sqs.send(new SendMessageCommand({ QueueUrl: fifo, MessageBody: 'job-1', MessageGroupId: 'g' }));

    // ---- crash: no clean shutdown, only what was committed before each answer
    expect(await node!.stop('SIGKILL')).toBeNull();
    sqs = await start();

    const queueUrls = (await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? [];
    expect(queueUrls.map((url) => url.slice(url.lastIndexOf('/') + 1)).sort()).toEqual(['jobs.fifo', 'orders']);
    const attributes = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: standard, AttributeNames: ['All'] }))).Attributes!;
    expect(attributes).toMatchObject({
      VisibilityTimeout: '600',
      MessageRetentionPeriod: '3600',
      ApproximateNumberOfMessagesNotVisible: '1',
    });
    expect(Number(attributes['ApproximateNumberOfMessages']) + Number(attributes['ApproximateNumberOfMessagesDelayed'])).toBe(2);
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl: standard }))).Tags).toEqual({ team: 'billing' });

    // The visible message is there, the in-flight one still hidden (600 s); the delayed one may
    // already have come out of its 2 s delay if the restart was slow.
    const available = await sqs.send(new ReceiveMessageCommand({ QueueUrl: standard, VisibilityTimeout: 600, MaxNumberOfMessages: 10 }));
    const bodies = (available.Messages ?? []).map((message) => message.Body);
    expect(bodies).toContain('visible');
    expect(bodies).not.toContain('in-flight');
    if (!bodies.includes('delayed')) {
      // Its delay kept running across the restart: a long poll gets it once the delay ends.
      const delayed = await sqs.send(new ReceiveMessageCommand({ QueueUrl: standard, WaitTimeSeconds: 10, VisibilityTimeout: 600 }));
      expect(delayed.Messages?.map((message) => message.Body)).toEqual(['delayed']);
    }

    // The in-flight message's receipt handle from before the crash still works.
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: standard, ReceiptHandle: inFlight.ReceiptHandle!, VisibilityTimeout: 0 }));
    const again = await sqs.send(new ReceiveMessageCommand({
      QueueUrl: standard,
      VisibilityTimeout: 600,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }));
    expect(again.Messages?.[0]?.Body).toBe('in-flight');
    expect(again.Messages?.[0]?.Attributes?.['ApproximateReceiveCount']).toBe('2');

    // FIFO: the deduplication window and the sequence survived.
    const duplicate = await sqs.send(new SendMessageCommand({ QueueUrl: fifo, MessageBody: 'job-1', MessageGroupId: 'g' }));
    expect(duplicate.MessageId).toBe(firstFifo.MessageId);
    const next = await sqs.send(new SendMessageCommand({ QueueUrl: fifo, MessageBody: 'job-2', MessageGroupId: 'g' }));
    expect(BigInt(next.SequenceNumber!)).toBeGreaterThan(BigInt(firstFifo.SequenceNumber!));
    const fifoMessages = await sqs.send(new ReceiveMessageCommand({ QueueUrl: fifo, MaxNumberOfMessages: 10 }));
    expect(fifoMessages.Messages?.map((message) => message.Body)).toEqual(['job-1', 'job-2']);
  });

  it.skipIf(missing !== undefined)('a message move task in progress at a SIGKILL goes on after the restart, moving every message once', async () => {
    let sqs = await start();
    const arnOf = async (queueUrl: string): Promise<string> =>
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!['QueueArn']!;
    const dead = (await sqs.send(new CreateQueueCommand({ QueueName: 'moving-dlq' }))).QueueUrl!;
    const deadArn = await arnOf(dead);
    await sqs.send(new CreateQueueCommand({
      QueueName: 'moving-source',
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadArn, maxReceiveCount: 1 }) },
    }));
    const destination = (await sqs.send(new CreateQueueCommand({ QueueName: 'moving-destination' }))).QueueUrl!;
    const destinationArn = await arnOf(destination);
    for (let at = 0; at < 6; at++) await sqs.send(new SendMessageCommand({ QueueUrl: dead, MessageBody: `dead-${at}` }));
    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: deadArn, DestinationArn: destinationArn, MaxNumberOfMessagesPerSecond: 1 }));

    expect(await node!.stop('SIGKILL')).toBeNull();
    sqs = await start();
    const [task] = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: deadArn }))).Results ?? [];
    if (task?.Status === 'RUNNING') expect(task.TaskHandle).toBe(TaskHandle);
    else expect(task?.Status).toBe('COMPLETED');
    await waitFor('the move task to complete', async () =>
      (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: deadArn }))).Results?.[0]?.Status === 'COMPLETED', { timeoutMs: 20_000 });
    const counts = async (queueUrl: string): Promise<string | undefined> =>
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes?.['ApproximateNumberOfMessages'];
    expect(await counts(destination)).toBe('6');
    expect(await counts(dead)).toBe('0');
  }, 60_000);

  it.runIf(name === 'sqlite')('starts empty with memory storage after the same kind of restart', async () => {
    node = await startNodeProcess(['--storage', 'memory']);
    let sqs = sqsClient(node.sqsEndpoint);
    started.push(sqs);
    await sqs.send(new CreateQueueCommand({ QueueName: 'gone' }));
    await node.stop('SIGKILL');
    node = await startNodeProcess(['--storage', 'memory']);
    sqs = sqsClient(node.sqsEndpoint);
    started.push(sqs);
    expect((await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? []).toEqual([]);
  });
});
