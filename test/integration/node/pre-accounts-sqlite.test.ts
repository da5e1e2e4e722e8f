/**
 * A SQLite file written before queues had accounts and regions still loads: its queues become the
 * node's own account's, in its own region, with every message, tag, dead-letter link and FIFO
 * deduplication entry; the file is rewritten in today's keys once, so a record changed afterwards
 * is never found again under its old key.
 *
 * test/fixtures/pre-accounts.sqlite was written by replimq e9214b8 (the last version before
 * accounts): a node on SQLite (node id `legacy`) given, through @aws-sdk/client-sqs, `legacy-dlq`
 * (message `dead`), `legacy-orders` (RedrivePolicy → legacy-dlq, tag team=old, messages `first`
 * and `second`) and `legacy.fifo` (message `ordered`, group `g`, deduplication id `dedup-1`).
 */
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DeleteMessageCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueueTagsCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SQSClient,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { makeTempDir, startNode, type StartedNode } from '../../support/start-node.js';
import { sqliteFilePath } from '../../../server/src/storage/sqlite-storage.js';
import { isLegacyRecordKey } from '../../../server/src/engine/record-keys.js';
import { defaultConfig } from '../../../server/src/config.js';

const FIXTURE = join(import.meta.dirname, '../../fixtures/pre-accounts.sqlite');
/** When the fixture's messages were sent: the node's clock starts there, so nothing has expired. */
const WRITTEN_AT = 1796313320368;
const FIFO_MESSAGE_ID = '663f836d-9c7c-4544-8ceb-00b58f5071eb';

describe('a SQLite file from before accounts and regions', () => {
  const dataDir = makeTempDir();
  let node: StartedNode | undefined;
  const clients: SQSClient[] = [];

  const client = (endpoint: string, region = 'us-east-1'): SQSClient => {
    const sqs = new SQSClient({ endpoint, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    clients.push(sqs);
    return sqs;
  };
  // One clock for both runs, so time never goes back at the restart.
  const offset = WRITTEN_AT + 1_000 - Date.now();
  const start = async (): Promise<StartedNode> => {
    node = await startNode({
      storage: 'sqlite',
      dataDir,
      config: { cluster: { ...defaultConfig().cluster, nodeId: 'legacy' } },
      dependencies: { clock: () => Date.now() + offset },
    });
    return node;
  };

  afterEach(async () => {
    for (const sqs of clients.splice(0)) sqs.destroy();
    await node?.stop();
    node = undefined;
  });

  it('loads as the node’s own account and region, and is rewritten in today’s keys', async () => {
    copyFileSync(FIXTURE, sqliteFilePath(dataDir, 'legacy'));
    const started = await start();
    const sqs = client(started.sqsEndpoint);
    const base = `${started.sqsEndpoint}/000000000000`;

    expect((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'legacy' }))).QueueUrls?.sort())
      .toEqual([`${base}/legacy-dlq`, `${base}/legacy-orders`, `${base}/legacy.fifo`]);
    const orders = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'legacy-orders' }))).QueueUrl!;
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl: orders }))).Tags).toEqual({ team: 'old' });
    expect((await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: `${base}/legacy-dlq` }))).queueUrls).toEqual([orders]);
    const received = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: orders, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }))).Messages ?? [];
    expect(received.map((message) => message.Body).sort()).toEqual(['first', 'second']);
    // The deduplication window came along: the same id is the same message.
    const again = await sqs.send(new SendMessageCommand({
      QueueUrl: `${base}/legacy.fifo`, MessageBody: 'ordered', MessageGroupId: 'g', MessageDeduplicationId: 'dedup-1',
    }));
    expect(again.MessageId).toBe(FIFO_MESSAGE_ID);
    // Another region sees none of it.
    expect((await client(started.sqsEndpoint, 'eu-central-1').send(new ListQueuesCommand({ QueueNamePrefix: 'legacy' }))).QueueUrls)
      .toBeUndefined();

    // A change after the upgrade: deleted under today's key, it must stay deleted.
    const first = received.find((message) => message.Body === 'first')!;
    await sqs.send(new DeleteMessageCommand({ QueueUrl: orders, ReceiptHandle: first.ReceiptHandle! }));
    await started.stop();
    node = undefined;

    const db = new Database(sqliteFilePath(dataDir, 'legacy'), { readonly: true });
    const keys = db.prepare<[], { key: string }>('SELECT key FROM records').all().map((row) => row.key);
    db.close();
    expect(keys.filter(isLegacyRecordKey)).toEqual([]);
    expect(keys).toContain('q/us-east-1:000000000000:legacy-orders');

    const restarted = await start();
    const after = client(restarted.sqsEndpoint);
    const url = (name: string): string => `${restarted.sqsEndpoint}/000000000000/${name}`;
    // `second` was received once already: with maxReceiveCount 1 this receive dead-letters it.
    const left = await after.send(new ReceiveMessageCommand({ QueueUrl: url('legacy-orders'), MaxNumberOfMessages: 10 }));
    expect(left.Messages ?? []).toEqual([]);
    const dead = (await after.send(new ReceiveMessageCommand({ QueueUrl: url('legacy-dlq'), MaxNumberOfMessages: 10 }))).Messages ?? [];
    expect(dead.map((message) => message.Body).sort()).toEqual(['dead', 'second']);
  });

  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
});
