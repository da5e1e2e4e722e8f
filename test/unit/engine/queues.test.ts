import { describe, expect, it } from 'vitest';
import { Harness, expectRejectedUnchanged, expectSqsError } from './harness.js';

describe('queues', () => {
  it('creates a queue and answers its URL in the caller\'s base URL', () => {
    const h = new Harness();
    expect(h.createQueue('orders')).toBe('http://localhost:9324/000000000000/orders');
    expect(h.read('GetQueueUrl', { QueueName: 'orders' }).QueueUrl).toBe(h.url('orders'));
  });

  it('accepts any URL whose last path segment is the queue name', () => {
    const h = new Harness();
    h.createQueue('orders');
    h.apply('SendMessage', { QueueUrl: 'http://elsewhere:4566/123456789012/orders', MessageBody: 'x' });
    h.apply('SendMessage', { QueueUrl: 'orders', MessageBody: 'y' });
    expect(h.counts('orders')[0]).toBe(2);
  });

  it('is idempotent when attributes match and refuses different ones', () => {
    const h = new Harness();
    h.createQueue('q', { VisibilityTimeout: '60' });
    expect(h.createQueue('q', { VisibilityTimeout: '60' })).toBe(h.url('q'));
    expect(h.createQueue('q')).toBe(h.url('q'));
    const error = expectRejectedUnchanged(h, () => h.createQueue('q', { VisibilityTimeout: '61' }), 'QueueNameExists');
    expect(error.message).toBe('A queue already exists with the same name and a different value for attribute VisibilityTimeout');
    expect(error.queryCode).toBe('QueueAlreadyExists');
  });

  it.each([
    [''], ['a'.repeat(81)], ['bad name'], ['bad/name'], ['dots.are.bad'], ['plain.fifo'],
  ])('rejects the queue name %j', (name) => {
    const h = new Harness();
    expectRejectedUnchanged(h, () => h.createQueue(name), 'InvalidParameterValue');
  });

  it('requires .fifo names for FIFO queues and accepts 80 characters with the suffix', () => {
    const h = new Harness();
    expectRejectedUnchanged(h, () => h.createQueue('nofifo', { FifoQueue: 'true' }), 'InvalidParameterValue');
    const name = `${'a'.repeat(75)}.fifo`;
    expect(h.createQueue(name, { FifoQueue: 'true' })).toBe(h.url(name));
    expect(h.createQueue('a'.repeat(80))).toBe(h.url('a'.repeat(80)));
  });

  // Real SQS refuses FifoQueue=false as an unknown attribute, on a new name and an existing
  // standard queue alike (recorded: yavosh/pail test/diff golden sqs-edge-cases; aws-sdk-php#1331).
  it('refuses FifoQueue=false on CreateQueue as an unknown attribute', () => {
    const h = new Harness();
    const error = expectRejectedUnchanged(h, () => h.createQueue('plain', { FifoQueue: 'false' }), 'InvalidAttributeName');
    expect(error.message).toBe('Unknown Attribute FifoQueue.');
    h.createQueue('existing');
    expectRejectedUnchanged(h, () => h.createQueue('existing', { FifoQueue: 'false' }), 'InvalidAttributeName');
  });

  it('lists queues by prefix with pagination', () => {
    const h = new Harness();
    for (const name of ['b1', 'a1', 'a3', 'a2', 'c']) h.createQueue(name);
    expect(h.read('ListQueues', { QueueNamePrefix: 'a' }).QueueUrls).toEqual([h.url('a1'), h.url('a2'), h.url('a3')]);
    const first = h.read('ListQueues', { MaxResults: 2 });
    expect(first.QueueUrls).toEqual([h.url('a1'), h.url('a2')]);
    expect(first.NextToken).toBeDefined();
    const second = h.read('ListQueues', { MaxResults: 2, NextToken: first.NextToken as string });
    expect(second.QueueUrls).toEqual([h.url('a3'), h.url('b1')]);
    const third = h.read('ListQueues', { MaxResults: 2, NextToken: second.NextToken as string });
    expect(third.QueueUrls).toEqual([h.url('c')]);
    expect(third.NextToken).toBeUndefined();
    expect(h.read('ListQueues', { QueueNamePrefix: 'zzz' }).QueueUrls).toBeUndefined();
    expectSqsError(() => h.read('ListQueues', { MaxResults: 0 }), 'InvalidParameterValue');
    expectSqsError(() => h.read('ListQueues', { MaxResults: 1001 }), 'InvalidParameterValue');
    expectSqsError(() => h.read('ListQueues', { MaxResults: 5, NextToken: '!!' }), 'InvalidParameterValue');
  });

  it('returns at most 1000 URLs without MaxResults', () => {
    const h = new Harness();
    for (let i = 0; i < 1001; i++) h.createQueue(`q${String(i).padStart(4, '0')}`);
    const listed = h.read('ListQueues', {});
    expect(listed.QueueUrls).toHaveLength(1000);
    expect(listed.NextToken).toBeUndefined();
  });

  it('deletes a queue with its messages', () => {
    const h = new Harness();
    h.createQueue('q');
    h.send('q', 'x');
    h.apply('DeleteQueue', { QueueUrl: h.url('q') });
    expectSqsError(() => h.read('GetQueueUrl', { QueueName: 'q' }), 'QueueDoesNotExist');
    expectSqsError(() => h.receive('q'), 'QueueDoesNotExist');
    h.createQueue('q');
    expect(h.counts('q')).toEqual([0, 0, 0]);
  });

  it('purges every message, in flight and delayed ones too, any number of times', () => {
    const h = new Harness();
    h.createQueue('q');
    h.send('q', 'visible');
    h.send('q', 'delayed', { DelaySeconds: 60 });
    h.send('q', 'in flight');
    const [received] = h.receive('q');
    h.apply('PurgeQueue', { QueueUrl: h.url('q') });
    expect(h.counts('q')).toEqual([0, 0, 0]);
    h.apply('PurgeQueue', { QueueUrl: h.url('q') });
    h.apply('DeleteMessage', { QueueUrl: h.url('q'), ReceiptHandle: received?.ReceiptHandle as string });
    h.advance(120_000);
    expect(h.receive('q')).toEqual([]);
  });

  it('ends the FIFO deduplication window on purge (recorded SQS), in its records too', () => {
    // LocalStack's AWS-validated test_purge_queue_clears_fifo_deduplication_cache.
    const h = new Harness();
    h.createQueue('q.fifo', { FifoQueue: 'true' });
    h.send('q.fifo', 'message-1', { MessageGroupId: 'g', MessageDeduplicationId: 'd' });
    h.apply('PurgeQueue', { QueueUrl: h.url('q.fifo') });
    expect([...h.records().keys()].filter((key) => key.startsWith('d/'))).toEqual([]);
    h.send('q.fifo', 'message-2', { MessageGroupId: 'g', MessageDeduplicationId: 'd' });
    expect(h.receive('q.fifo').map((m) => m.Body)).toEqual(['message-2']);
  });

  it('tags queues at creation and with TagQueue/UntagQueue', () => {
    const h = new Harness();
    h.createQueue('q', undefined, { team: 'a', empty: '' });
    h.apply('TagQueue', { QueueUrl: h.url('q'), Tags: { env: 'test', team: 'b' } });
    expect(h.read('ListQueueTags', { QueueUrl: h.url('q') }).Tags).toEqual({ team: 'b', empty: '', env: 'test' });
    expect(h.engine.queueTags(h.url('q'))).toEqual({ team: 'b', empty: '', env: 'test' });
    h.apply('UntagQueue', { QueueUrl: h.url('q'), TagKeys: ['team', 'empty', 'env'] });
    expect(h.read('ListQueueTags', { QueueUrl: h.url('q') }).Tags).toBeUndefined();
    expect(h.engine.queueTags(h.url('nope'))).toBeUndefined();
  });

  // As moto answers them, mirroring SQS: nothing to tag is a missing parameter, nothing to
  // untag an invalid key list.
  it('refuses TagQueue without tags and UntagQueue without keys', () => {
    const h = new Harness();
    h.createQueue('q', undefined, { team: 'a' });
    const tag = expectRejectedUnchanged(h, () => h.apply('TagQueue', { QueueUrl: h.url('q'), Tags: {} }), 'MissingParameter');
    expect(tag.message).toBe('The request must contain the parameter Tags.');
    const untag = expectRejectedUnchanged(h, () => h.apply('UntagQueue', { QueueUrl: h.url('q'), TagKeys: [] }), 'InvalidParameterValue');
    expect(untag.message).toBe('Tag keys must be between 1 and 128 characters in length.');
  });

  it('limits tags to 50 per queue and checks key and value lengths', () => {
    const h = new Harness();
    h.createQueue('q');
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    h.apply('TagQueue', { QueueUrl: h.url('q'), Tags: fifty });
    expectRejectedUnchanged(h, () => h.apply('TagQueue', { QueueUrl: h.url('q'), Tags: { one: 'more' } }), 'InvalidParameterValue');
    expectRejectedUnchanged(h, () => h.apply('TagQueue', { QueueUrl: h.url('q'), Tags: { ['k'.repeat(129)]: 'v' } }), 'InvalidParameterValue');
    expectRejectedUnchanged(h, () => h.apply('TagQueue', { QueueUrl: h.url('q'), Tags: { k0: 'v'.repeat(257) } }), 'InvalidParameterValue');
    // Characters no XML answer could carry (ListQueueTags over Query).
    expectRejectedUnchanged(h, () => h.apply('TagQueue', { QueueUrl: h.url('q'), Tags: { 'k\u0001': 'v' } }), 'InvalidParameterValue');
    expectRejectedUnchanged(h, () => h.apply('TagQueue', { QueueUrl: h.url('q'), Tags: { k0: 'v\u0000' } }), 'InvalidParameterValue');
  });

  it('keeps AddPermission labels as statements of the Policy attribute', () => {
    const h = new Harness();
    h.createQueue('q');
    h.apply('AddPermission', { QueueUrl: h.url('q'), Label: 'one', AWSAccountIds: ['111111111111'], Actions: ['SendMessage'] });
    h.apply('AddPermission', { QueueUrl: h.url('q'), Label: 'two', AWSAccountIds: ['1', '2'], Actions: ['ReceiveMessage', 'DeleteMessage'] });
    const policy = JSON.parse(h.attributes('q', ['Policy']).Policy as string);
    expect(policy.Version).toBe('2008-10-17');
    expect(policy.Id).toBe(`${h.arn('q')}/SQSDefaultPolicy`);
    expect(policy.Statement).toEqual([
      { Sid: 'one', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'SQS:SendMessage', Resource: h.arn('q') },
      {
        Sid: 'two', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::1:root', 'arn:aws:iam::2:root'] },
        Action: ['SQS:ReceiveMessage', 'SQS:DeleteMessage'], Resource: h.arn('q'),
      },
    ]);
    const duplicate = expectRejectedUnchanged(h, () => h.apply('AddPermission', {
      QueueUrl: h.url('q'), Label: 'one', AWSAccountIds: ['1'], Actions: ['SendMessage'],
    }), 'InvalidParameterValue');
    expect(duplicate.message).toBe('Value one for parameter Label is invalid. Reason: Already exists.');
    h.apply('RemovePermission', { QueueUrl: h.url('q'), Label: 'one' });
    h.apply('RemovePermission', { QueueUrl: h.url('q'), Label: 'two' });
    expect(h.attributes('q', ['Policy'])).toEqual({});
    const missing = expectRejectedUnchanged(h, () => h.apply('RemovePermission', { QueueUrl: h.url('q'), Label: 'two' }), 'InvalidParameterValue');
    expect(missing.message).toBe("Value two for parameter Label is invalid. Reason: can't find label.");
  });

  it('validates AddPermission parameters', () => {
    const h = new Harness();
    h.createQueue('q');
    const add = (label: string, accounts: string[], actions: string[]) => () =>
      h.apply('AddPermission', { QueueUrl: h.url('q'), Label: label, AWSAccountIds: accounts, Actions: actions });
    expectRejectedUnchanged(h, add('bad label', ['1'], ['SendMessage']), 'InvalidParameterValue');
    expectRejectedUnchanged(h, add('x'.repeat(81), ['1'], ['SendMessage']), 'InvalidParameterValue');
    expectRejectedUnchanged(h, add('ok', [], ['SendMessage']), 'MissingParameter');
    expectRejectedUnchanged(h, add('ok', ['1'], []), 'MissingParameter');
    expectRejectedUnchanged(h, add('ok', ['1'], ['FlyAway']), 'InvalidParameterValue');
    add('ok', ['1'], ['*'])();
    expect(JSON.parse(h.attributes('q', ['Policy']).Policy as string).Statement[0].Action).toBe('SQS:*');
  });

  it('rejects invalid tags at creation without creating the queue', () => {
    const h = new Harness();
    expectRejectedUnchanged(h, () => h.createQueue('q', undefined, { ['k'.repeat(129)]: 'v' }), 'InvalidParameterValue');
    expect(h.read('ListQueues', {}).QueueUrls).toBeUndefined();
  });
});
