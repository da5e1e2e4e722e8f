/**
 * Accounts and regions: the same name in two regions or two accounts is two queues, with their
 * own URLs, ARNs, messages, listings, dead-letter queues and move tasks — as in AWS.
 */
import { describe, expect, it } from 'vitest';
import { parseQueueUrl, type Account } from '../../../server/src/engine/queue-address.js';
import { BASE_URL, HOME, Harness, expectRejectedUnchanged, expectSqsError } from './harness.js';

const EU: Account = { accountId: HOME.accountId, region: 'eu-central-1' };
const A: Account = { accountId: '111111111111', region: 'us-east-1' };
const B: Account = { accountId: '222222222222', region: 'us-east-1' };

function as<T>(h: Harness, account: Account, call: () => T): T {
  const before = h.caller;
  h.caller = account;
  try {
    return call();
  } finally {
    h.caller = before;
  }
}

describe('accounts and regions', () => {
  it('reads the account and region a queue URL names, where it names them', () => {
    expect(parseQueueUrl('http://localhost:9324/000000000000/orders')).toEqual({ name: 'orders', accountId: '000000000000', region: undefined });
    expect(parseQueueUrl('http://localhost:9324/queue/eu-central-1/111111111111/orders/'))
      .toEqual({ name: 'orders', accountId: '111111111111', region: 'eu-central-1' });
    expect(parseQueueUrl('https://sqs.ap-south-1.amazonaws.com/222222222222/q.fifo?x=1'))
      .toEqual({ name: 'q.fifo', accountId: '222222222222', region: 'ap-south-1' });
    expect(parseQueueUrl('http://sqs.eu-west-1.localhost.localstack.cloud:4566/000000000000/q')?.region).toBe('eu-west-1');
    // Not an account id, not a region marker: only the name counts (proxies, bare names).
    expect(parseQueueUrl('http://proxy/sqs/orders')).toEqual({ name: 'orders', accountId: undefined, region: undefined });
    expect(parseQueueUrl('http://h/queue/000000000000/orders')?.region).toBeUndefined();
    expect(parseQueueUrl('orders')).toEqual({ name: 'orders', accountId: undefined, region: undefined });
  });

  it('makes one name in two regions two queues, each with its own URL, ARN and messages', () => {
    const h = new Harness();
    const home = h.createQueue('orders');
    const eu = as(h, EU, () => h.createQueue('orders'));
    expect(home).toBe(`${BASE_URL}/000000000000/orders`);
    expect(eu).toBe(`${BASE_URL}/queue/eu-central-1/000000000000/orders`);
    expect(h.attributes('orders', ['QueueArn']).QueueArn).toBe('arn:aws:sqs:us-east-1:000000000000:orders');
    expect(as(h, EU, () => h.attributes('orders', ['QueueArn']).QueueArn)).toBe('arn:aws:sqs:eu-central-1:000000000000:orders');

    h.send('orders', 'for us-east-1');
    as(h, EU, () => h.send('orders', 'for eu-central-1'));
    expect(h.receive('orders').map((m) => m.Body)).toEqual(['for us-east-1']);
    expect(as(h, EU, () => h.receive('orders').map((m) => m.Body))).toEqual(['for eu-central-1']);
  });

  it('lists only the caller’s account and region', () => {
    const h = new Harness();
    h.createQueue('a');
    as(h, EU, () => h.createQueue('b'));
    as(h, A, () => h.createQueue('c'));
    expect(h.read('ListQueues', {}).QueueUrls).toEqual([`${BASE_URL}/000000000000/a`]);
    expect(as(h, EU, () => h.read('ListQueues', {}).QueueUrls)).toEqual([`${BASE_URL}/queue/eu-central-1/000000000000/b`]);
    expect(as(h, A, () => h.read('ListQueues', {}).QueueUrls)).toEqual([`${BASE_URL}/111111111111/c`]);
    expect(as(h, B, () => h.read('ListQueues', {}).QueueUrls)).toBeUndefined();
  });

  it('resolves a plain URL in the caller’s region and a region URL in its own', () => {
    const h = new Harness();
    h.createQueue('orders');
    as(h, EU, () => h.createQueue('orders'));
    // A client of eu-central-1 that spells the URL without the region means its region's queue.
    as(h, EU, () => h.apply('SendMessage', { QueueUrl: `${BASE_URL}/000000000000/orders`, MessageBody: 'eu' }));
    // The URL handed out for the eu-central-1 queue names it whoever calls.
    h.apply('SendMessage', { QueueUrl: `${BASE_URL}/queue/eu-central-1/000000000000/orders`, MessageBody: 'eu too' });
    expect(h.counts('orders')[0]).toBe(0);
    expect(as(h, EU, () => h.counts('orders')[0])).toBe(2);
  });

  it('refuses another account’s queue with AccessDenied, and does not find it by name', () => {
    const h = new Harness();
    const url = as(h, A, () => h.createQueue('orders'));
    expect(url).toBe(`${BASE_URL}/111111111111/orders`);
    const denied = expectRejectedUnchanged(h, () => as(h, B, () => h.apply('SendMessage', { QueueUrl: url, MessageBody: 'x' })), 'AccessDenied');
    expect(denied.message).toBe(`Access to the resource ${url} is denied.`);
    expectSqsError(() => as(h, B, () => h.read('GetQueueAttributes', { QueueUrl: url })), 'AccessDenied');
    // Another account's URL is refused even when there is no such queue: nothing is given away.
    expectSqsError(() => as(h, B, () => h.apply('DeleteQueue', { QueueUrl: `${BASE_URL}/111111111111/none` })), 'AccessDenied');
    expectSqsError(() => as(h, B, () => h.read('GetQueueUrl', { QueueName: 'orders', QueueOwnerAWSAccountId: A.accountId })), 'QueueDoesNotExist');
    expectSqsError(() => as(h, B, () => h.read('GetQueueUrl', { QueueName: 'orders' })), 'QueueDoesNotExist');
    expect(as(h, A, () => h.read('GetQueueUrl', { QueueName: 'orders', QueueOwnerAWSAccountId: A.accountId }).QueueUrl)).toBe(url);
    // B's own queue of the same name is another queue.
    expect(as(h, B, () => h.createQueue('orders'))).toBe(`${BASE_URL}/222222222222/orders`);
    as(h, B, () => h.send('orders', 'b'));
    expect(as(h, A, () => h.counts('orders')[0])).toBe(0);
  });

  it('lets another account in where the queue’s policy grants it, and only for what it grants', () => {
    const h = new Harness();
    const url = as(h, A, () => h.createQueue('shared'));
    as(h, A, () => h.apply('AddPermission', { QueueUrl: url, Label: 'b-sends', AWSAccountIds: [B.accountId], Actions: ['SendMessage', 'GetQueueUrl'] }));
    as(h, B, () => {
      h.apply('SendMessage', { QueueUrl: url, MessageBody: 'from b' });
      h.apply('SendMessageBatch', { QueueUrl: url, Entries: [{ Id: '1', MessageBody: 'batch from b' }] });
      expect(h.read('GetQueueUrl', { QueueName: 'shared', QueueOwnerAWSAccountId: A.accountId }).QueueUrl).toBe(url);
      expectSqsError(() => h.apply('ReceiveMessage', { QueueUrl: url }), 'AccessDenied');
      expectSqsError(() => h.apply('DeleteQueue', { QueueUrl: url }), 'AccessDenied');
      expectSqsError(() => h.apply('SetQueueAttributes', { QueueUrl: url, Attributes: { DelaySeconds: '1' } }), 'AccessDenied');
      // Its own listing still shows only its own queues.
      expect(h.read('ListQueues', {}).QueueUrls).toBeUndefined();
    });
    expect(as(h, A, () => h.receive('shared', { MaxNumberOfMessages: 10 }).map((m) => m.Body).sort())).toEqual(['batch from b', 'from b']);
    // Another account the policy does not name stays out.
    expectSqsError(() => as(h, { accountId: '333333333333', region: 'us-east-1' }, () => h.apply('SendMessage', { QueueUrl: url, MessageBody: 'x' })), 'AccessDenied');
  });

  it('reads policies as IAM does: wildcards, principal ARNs, an explicit Deny first, conditions not met', () => {
    const h = new Harness();
    const url = as(h, A, () => h.createQueue('policed'));
    const arn = 'arn:aws:sqs:us-east-1:111111111111:policed';
    const setPolicy = (statements: object[]): void => {
      as(h, A, () => h.apply('SetQueueAttributes', { QueueUrl: url, Attributes: { Policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) } }));
    };
    const bSends = (): void => {
      as(h, B, () => h.apply('SendMessage', { QueueUrl: url, MessageBody: 'x' }));
    };
    setPolicy([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:role/app' }, Action: 'sqs:Send*', Resource: 'arn:aws:sqs:*:111111111111:*' }]);
    bSends();
    setPolicy([{ Effect: 'Allow', Principal: '*', Action: '*', Resource: arn }, { Effect: 'Deny', Principal: { AWS: ['222222222222'] }, Action: 'SQS:SendMessage' }]);
    expectSqsError(bSends, 'AccessDenied');
    setPolicy([{ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: arn, Condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:1:t' } } }]);
    expectSqsError(bSends, 'AccessDenied');
    setPolicy([{ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: `${arn}-other` }]);
    expectSqsError(bSends, 'AccessDenied');
  });

  it('dead-letters into the source’s own account and region, and lists only its own sources', () => {
    const h = new Harness();
    for (const account of [HOME, EU]) {
      as(h, account, () => {
        h.createQueue('dlq');
        h.createQueue('src', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: h.arn('dlq'), maxReceiveCount: 1 }) });
      });
    }
    as(h, EU, () => {
      h.send('src', 'poison');
      h.receive('src', { VisibilityTimeout: 0 });
      expect(h.receive('src')).toEqual([]);
    });
    expect(as(h, EU, () => h.counts('dlq')[0])).toBe(1);
    expect(h.counts('dlq')[0]).toBe(0);
    expect(as(h, EU, () => h.read('ListDeadLetterSourceQueues', { QueueUrl: h.url('dlq') }).queueUrls))
      .toEqual([`${BASE_URL}/queue/eu-central-1/000000000000/src`]);
    expect(h.read('ListDeadLetterSourceQueues', { QueueUrl: h.url('dlq') }).queueUrls).toEqual([`${BASE_URL}/000000000000/src`]);
  });

  it('refuses a dead-letter target in another region or account', () => {
    const h = new Harness();
    as(h, EU, () => h.createQueue('dlq'));
    as(h, A, () => h.createQueue('dlq'));
    for (const arn of ['arn:aws:sqs:eu-central-1:000000000000:dlq', 'arn:aws:sqs:us-east-1:111111111111:dlq']) {
      const error = expectSqsError(
        () => h.createQueue('src', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: 1 }) }),
        'InvalidParameterValue',
      );
      expect(error.message).toContain('Dead letter target does not exist.');
    }
  });

  it('runs move tasks on the caller’s queues only', () => {
    const h = new Harness();
    as(h, EU, () => {
      h.createQueue('dlq');
      h.createQueue('src', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: h.arn('dlq'), maxReceiveCount: 1 }) });
      h.send('src', 'poison');
      h.receive('src', { VisibilityTimeout: 0 });
      h.receive('src');
    });
    const euDlq = 'arn:aws:sqs:eu-central-1:000000000000:dlq';
    // Another region's endpoint does not know the queue; another account may not touch it.
    expectSqsError(() => h.apply('StartMessageMoveTask', { SourceArn: euDlq }), 'ResourceNotFoundException');
    expectSqsError(() => as(h, { ...A, region: 'eu-central-1' }, () => h.apply('StartMessageMoveTask', { SourceArn: euDlq })), 'AccessDenied');
    const { TaskHandle } = as(h, EU, () => h.apply('StartMessageMoveTask', { SourceArn: euDlq }));
    expect(as(h, EU, () => h.read('ListMessageMoveTasks', { SourceArn: euDlq }).Results.map((t) => t.Status))).toEqual(['RUNNING']);
    expectSqsError(() => h.apply('CancelMessageMoveTask', { TaskHandle }), 'ResourceNotFoundException');
    h.advance(1_000);
    h.apply('Housekeeping', { kind: 'housekeeping' });
    expect(as(h, EU, () => h.counts('src')[0])).toBe(1);
    expect(as(h, EU, () => h.read('ListMessageMoveTasks', { SourceArn: euDlq }).Results[0]?.Status)).toBe('COMPLETED');
  });

  it('keys records by region, account and name, and restores every account from them', () => {
    const h = new Harness(true);
    h.createQueue('orders');
    as(h, EU, () => h.createQueue('orders'));
    as(h, EU, () => h.send('orders', 'eu'));
    const keys = [...h.records().keys()].filter((key) => key.startsWith('q/')).sort();
    expect(keys).toEqual(['q/eu-central-1:000000000000:orders', 'q/us-east-1:000000000000:orders']);

    const restored = new Harness();
    restored.engine.importRecords(h.records());
    expect(as(restored, EU, () => restored.receive('orders').map((m) => m.Body))).toEqual(['eu']);
    expect(restored.receive('orders')).toEqual([]);
    expect(restored.engine.queueAccounts().map((a) => a.region).sort()).toEqual(['eu-central-1', 'us-east-1']);
  });

  it('reads records of a version before accounts (keyed by bare names) as the node’s own', () => {
    const old = new Harness(true);
    old.createQueue('dlq');
    old.createQueue('orders', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: old.arn('dlq'), maxReceiveCount: 5 }) });
    old.send('orders', 'kept');
    // What the previous version wrote: the same records, owned by the bare name, no account.
    const legacy = [...old.records()].map(([key, value]): [string, string] => {
      const record = JSON.parse(value) as Record<string, unknown>;
      delete record.accountId;
      delete record.region;
      return [key.replace('us-east-1:000000000000:', ''), JSON.stringify(record)];
    });
    expect(legacy.map(([key]) => key)).toContain('q/orders');

    const h = new Harness(true);
    h.engine.importRecords(legacy);
    expect(h.receive('orders').map((m) => m.Body)).toEqual(['kept']);
    expect(h.read('ListDeadLetterSourceQueues', { QueueUrl: h.url('dlq') }).queueUrls).toEqual([h.url('orders')]);
    expect(as(h, EU, () => h.read('ListQueues', {}).QueueUrls)).toBeUndefined();
    // Exported again, they are in today's keys.
    expect([...h.records().keys()].filter((key) => key.startsWith('q/')).sort())
      .toEqual(['q/us-east-1:000000000000:dlq', 'q/us-east-1:000000000000:orders']);
  });
});
