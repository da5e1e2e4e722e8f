/**
 * GetQueueAttributes / SetQueueAttributes per the API reference: defaults, documented ranges
 * (out of range → `InvalidAttributeValue`), unknown names (→ `InvalidAttributeName`), the
 * Approximate* counters, timestamps in epoch seconds, RedrivePolicy (invalid → InvalidParameterValue)
 * and RedriveAllowPolicy.
 */
import { expect, it, vi } from 'vitest';
import { describeEachFlavour } from '../../support/conformance-target.js';
import {
  EVENTUALLY,
  NON_EXISTENT_QUEUE,
  createQueue,
  eventuallySqsError,
  expectSqsError,
  queueArn,
  queueAttributes,
  receiveAtLeast,
} from '../../support/conformance-helpers.js';

const INVALID_VALUE = { code: 'InvalidAttributeValue', status: 400 };
const INVALID_NAME = { code: 'InvalidAttributeName', status: 400 };
const INVALID_PARAMETER = { code: 'InvalidParameterValue', status: 400 };

const STANDARD_DEFAULTS = {
  ApproximateNumberOfMessages: '0',
  ApproximateNumberOfMessagesDelayed: '0',
  ApproximateNumberOfMessagesNotVisible: '0',
  DelaySeconds: '0',
  MaximumMessageSize: '1048576',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
};

/** [attribute, lowest valid, highest valid] from the CreateQueue / SetQueueAttributes reference. */
const RANGES: [string, number, number][] = [
  ['DelaySeconds', 0, 900],
  ['MaximumMessageSize', 1024, 1_048_576],
  ['MessageRetentionPeriod', 60, 1_209_600],
  ['ReceiveMessageWaitTimeSeconds', 0, 20],
  ['VisibilityTimeout', 0, 43_200],
  ['KmsDataKeyReusePeriodSeconds', 60, 86_400],
];

describeEachFlavour('queue attributes', (sqs) => {
  it('All answers the documented defaults of a standard queue, its ARN and timestamps', async () => {
    const before = Math.floor(Date.now() / 1000) - 5;
    const url = await createQueue(sqs, 'defaults');
    const attributes = await queueAttributes(sqs, url);
    expect(attributes).toMatchObject(STANDARD_DEFAULTS);
    const name = url.split('/').pop();
    expect(attributes['QueueArn']).toMatch(new RegExp(`^arn:aws:sqs:[a-z0-9-]+:\\d{12}:${name}$`));
    for (const stamp of ['CreatedTimestamp', 'LastModifiedTimestamp']) {
      // epoch *seconds*, not milliseconds
      expect(attributes[stamp]).toMatch(/^\d{10}$/);
      expect(Number(attributes[stamp])).toBeGreaterThanOrEqual(before);
    }
    expect(attributes).not.toHaveProperty('FifoQueue');
  });

  it('All on a FIFO queue adds the FIFO attributes with their defaults', async () => {
    const url = await createQueue(sqs, 'fifodefaults', { FifoQueue: 'true' });
    expect(await queueAttributes(sqs, url)).toMatchObject({
      ...STANDARD_DEFAULTS,
      FifoQueue: 'true',
      ContentBasedDeduplication: 'false',
      DeduplicationScope: 'queue',
      FifoThroughputLimit: 'perQueue',
    });
  });

  it('answers only the attributes asked for', async () => {
    const url = await createQueue(sqs, 'subset', { DelaySeconds: '5' });
    expect(await queueAttributes(sqs, url, ['DelaySeconds', 'VisibilityTimeout'])).toEqual({
      DelaySeconds: '5',
      VisibilityTimeout: '30',
    });
  });

  it('answers no attributes when none are asked for', async () => {
    const url = await createQueue(sqs, 'noattrs');
    const { Attributes } = await sqs.getQueueAttributes({ QueueUrl: url });
    expect(Attributes ?? {}).toEqual({});
  });

  it('rejects an unknown attribute name in GetQueueAttributes', async () => {
    const url = await createQueue(sqs, 'getbadname');
    await expectSqsError(sqs.getQueueAttributes({ QueueUrl: url, AttributeNames: ['Bogus'] }), INVALID_NAME);
  });

  it('rejects an unknown attribute name in SetQueueAttributes and changes nothing', async () => {
    const url = await createQueue(sqs, 'setbadname');
    await expectSqsError(
      sqs.setQueueAttributes({ QueueUrl: url, Attributes: { VisibilityTimeout: '99', Bogus: '1' } }),
      INVALID_NAME,
    );
    expect(await queueAttributes(sqs, url, ['VisibilityTimeout'])).toEqual({ VisibilityTimeout: '30' });
  });

  it('SetQueueAttributes changes what GetQueueAttributes answers', async () => {
    const url = await createQueue(sqs, 'set');
    const changed = {
      DelaySeconds: '7',
      MaximumMessageSize: '2048',
      MessageRetentionPeriod: '120',
      ReceiveMessageWaitTimeSeconds: '3',
      VisibilityTimeout: '77',
    };
    await sqs.setQueueAttributes({ QueueUrl: url, Attributes: changed });
    expect(await queueAttributes(sqs, url, Object.keys(changed))).toEqual(changed);
  });

  it.each(RANGES)('%s accepts its bounds %i and %i', async (name, low, high) => {
    const url = await createQueue(sqs, 'bounds', { [name]: String(low) });
    expect(await queueAttributes(sqs, url, [name])).toEqual({ [name]: String(low) });
    await sqs.setQueueAttributes({ QueueUrl: url, Attributes: { [name]: String(high) } });
    expect(await queueAttributes(sqs, url, [name])).toEqual({ [name]: String(high) });
  });

  it.each(RANGES)('%s rejects %i - 1 and %i + 1 (InvalidAttributeValue)', async (name, low, high) => {
    const url = await createQueue(sqs, 'range');
    await expectSqsError(sqs.setQueueAttributes({ QueueUrl: url, Attributes: { [name]: String(low - 1) } }), INVALID_VALUE);
    await expectSqsError(sqs.setQueueAttributes({ QueueUrl: url, Attributes: { [name]: String(high + 1) } }), INVALID_VALUE);
    await expectSqsError(sqs.createQueue({ QueueName: `bad-${Date.now()}-${name}`, Attributes: { [name]: String(high + 1) } }), INVALID_VALUE);
  });

  it.each(['abc', '1.5', ''])('rejects a non-integer VisibilityTimeout %j', async (value) => {
    const url = await createQueue(sqs, 'nonint');
    await expectSqsError(sqs.setQueueAttributes({ QueueUrl: url, Attributes: { VisibilityTimeout: value } }), INVALID_VALUE);
  });

  it('counts visible, in-flight and delayed messages (Approximate*)', async () => {
    const url = await createQueue(sqs, 'counters', { VisibilityTimeout: '60' });
    await sqs.sendMessage({ QueueUrl: url, MessageBody: 'one' });
    await sqs.sendMessage({ QueueUrl: url, MessageBody: 'two' });
    await sqs.sendMessage({ QueueUrl: url, MessageBody: 'later', DelaySeconds: 600 });
    await vi.waitFor(
      async () =>
        expect(await queueAttributes(sqs, url)).toMatchObject({
          ApproximateNumberOfMessages: '2',
          ApproximateNumberOfMessagesNotVisible: '0',
          ApproximateNumberOfMessagesDelayed: '1',
        }),
      EVENTUALLY,
    );
    await receiveAtLeast(sqs, url, 2);
    await vi.waitFor(
      async () =>
        expect(await queueAttributes(sqs, url)).toMatchObject({
          ApproximateNumberOfMessages: '0',
          ApproximateNumberOfMessagesNotVisible: '2',
          ApproximateNumberOfMessagesDelayed: '1',
        }),
      EVENTUALLY,
    );
  });

  it('an unknown queue fails with NonExistentQueue', async () => {
    const url = await createQueue(sqs, 'attrgone');
    await sqs.deleteQueue({ QueueUrl: url });
    await eventuallySqsError(() => sqs.getQueueAttributes({ QueueUrl: url, AttributeNames: ['All'] }), NON_EXISTENT_QUEUE);
  });

  it('stores a RedrivePolicy pointing at an existing queue and answers it as JSON', async () => {
    const dlqArn = await queueArn(sqs, await createQueue(sqs, 'dlq'));
    const url = await createQueue(sqs, 'source');
    await sqs.setQueueAttributes({
      QueueUrl: url,
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 4 }) },
    });
    const { RedrivePolicy } = await queueAttributes(sqs, url, ['RedrivePolicy']);
    const policy = JSON.parse(RedrivePolicy!) as { deadLetterTargetArn: string; maxReceiveCount: number | string };
    expect(policy.deadLetterTargetArn).toBe(dlqArn);
    expect(Number(policy.maxReceiveCount)).toBe(4);
  });

  it('accepts a RedrivePolicy on CreateQueue', async () => {
    const dlqArn = await queueArn(sqs, await createQueue(sqs, 'dlq'));
    const url = await createQueue(sqs, 'source', {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: '2' }),
    });
    const { RedrivePolicy } = await queueAttributes(sqs, url, ['RedrivePolicy']);
    expect(JSON.parse(RedrivePolicy!)).toMatchObject({ deadLetterTargetArn: dlqArn });
  });

  it('clears the RedrivePolicy when set to an empty string', async () => {
    const dlqArn = await queueArn(sqs, await createQueue(sqs, 'dlq'));
    const url = await createQueue(sqs, 'source', {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }),
    });
    await sqs.setQueueAttributes({ QueueUrl: url, Attributes: { RedrivePolicy: '' } });
    expect(await queueAttributes(sqs, url)).not.toHaveProperty('RedrivePolicy');
  });

  it.each([
    ['a dead-letter target that does not exist', (arn: string) => ({ deadLetterTargetArn: `${arn}-missing`, maxReceiveCount: 3 })],
    ['maxReceiveCount 0', (arn: string) => ({ deadLetterTargetArn: arn, maxReceiveCount: 0 })],
    ['maxReceiveCount 1001', (arn: string) => ({ deadLetterTargetArn: arn, maxReceiveCount: 1001 })],
    ['no deadLetterTargetArn', (_arn: string) => ({ maxReceiveCount: 3 })],
  ])('rejects a RedrivePolicy with %s (InvalidParameterValue)', async (_case, policyFor) => {
    const dlqArn = await queueArn(sqs, await createQueue(sqs, 'dlq'));
    const url = await createQueue(sqs, 'source');
    await expectSqsError(
      sqs.setQueueAttributes({ QueueUrl: url, Attributes: { RedrivePolicy: JSON.stringify(policyFor(dlqArn)) } }),
      INVALID_PARAMETER,
    );
    expect(await queueAttributes(sqs, url)).not.toHaveProperty('RedrivePolicy');
  });

  it('rejects a RedrivePolicy that is not JSON', async () => {
    const url = await createQueue(sqs, 'source');
    await expectSqsError(
      sqs.setQueueAttributes({ QueueUrl: url, Attributes: { RedrivePolicy: '{not json' } }),
      INVALID_PARAMETER,
    );
  });

  it('rejects a FIFO dead-letter queue for a standard queue', async () => {
    const fifoArn = await queueArn(sqs, await createQueue(sqs, 'fifodlq', { FifoQueue: 'true' }));
    const url = await createQueue(sqs, 'source');
    await expectSqsError(
      sqs.setQueueAttributes({
        QueueUrl: url,
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: fifoArn, maxReceiveCount: 3 }) },
      }),
      INVALID_PARAMETER,
    );
  });

  it('stores a RedriveAllowPolicy and answers it', async () => {
    const url = await createQueue(sqs, 'allow');
    const sourceArn = await queueArn(sqs, await createQueue(sqs, 'allowed-source'));
    const policy = { redrivePermission: 'byQueue', sourceQueueArns: [sourceArn] };
    await sqs.setQueueAttributes({ QueueUrl: url, Attributes: { RedriveAllowPolicy: JSON.stringify(policy) } });
    const { RedriveAllowPolicy } = await queueAttributes(sqs, url, ['RedriveAllowPolicy']);
    expect(JSON.parse(RedriveAllowPolicy!)).toEqual(policy);
  });

  it('refuses a RedrivePolicy whose dead-letter queue denies all sources (RedriveAllowPolicy denyAll)', async () => {
    const dlqUrl = await createQueue(sqs, 'denying-dlq', {
      RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'denyAll' }),
    });
    const dlqArn = await queueArn(sqs, dlqUrl);
    const url = await createQueue(sqs, 'source');
    await expectSqsError(
      sqs.setQueueAttributes({
        QueueUrl: url,
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }) },
      }),
      INVALID_PARAMETER,
    );
  });

  it('rejects a RedriveAllowPolicy with an unknown redrivePermission', async () => {
    const url = await createQueue(sqs, 'allowbad');
    await expectSqsError(
      sqs.setQueueAttributes({
        QueueUrl: url,
        Attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'maybe' }) },
      }),
      INVALID_PARAMETER,
    );
  });

  it('FIFO-only attributes are refused on a standard queue', async () => {
    const url = await createQueue(sqs, 'stdfifoattr');
    await expectSqsError(
      sqs.setQueueAttributes({ QueueUrl: url, Attributes: { ContentBasedDeduplication: 'true' } }),
      INVALID_NAME,
    );
  });

  it('FIFO high-throughput attributes accept their documented values', async () => {
    const url = await createQueue(sqs, 'highthroughput', { FifoQueue: 'true' });
    const highThroughput = { DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' };
    await sqs.setQueueAttributes({ QueueUrl: url, Attributes: highThroughput });
    expect(await queueAttributes(sqs, url, Object.keys(highThroughput))).toEqual(highThroughput);
    await expectSqsError(
      sqs.setQueueAttributes({ QueueUrl: url, Attributes: { DeduplicationScope: 'everywhere' } }),
      INVALID_VALUE,
    );
  });

  // SetQueueAttributes reference: "The perMessageGroupId value is allowed only when the value
  // for DeduplicationScope is messageGroup."
  it('FifoThroughputLimit perMessageGroupId needs DeduplicationScope messageGroup', async () => {
    const url = await createQueue(sqs, 'throughputpair', { FifoQueue: 'true' });
    await expectSqsError(
      sqs.setQueueAttributes({ QueueUrl: url, Attributes: { FifoThroughputLimit: 'perMessageGroupId' } }),
      INVALID_VALUE,
    );
    expect(await queueAttributes(sqs, url, ['FifoThroughputLimit'])).toEqual({ FifoThroughputLimit: 'perQueue' });
  });

  it('QueueArn names the same account as the queue URL, and GetQueueUrl accepts that owner account', async () => {
    const url = await createQueue(sqs, 'owner');
    const [, account, name] = /\/(\d{12})\/([^/]+)$/.exec(url)!;
    expect(await queueArn(sqs, url)).toMatch(new RegExp(`:${account}:${name}$`));
    const { QueueUrl } = await sqs.getQueueUrl({ QueueName: name!, QueueOwnerAWSAccountId: account });
    expect(QueueUrl).toBe(url);
  });

  // Another account's queue of that name is another queue, and the node serves one account.
  it('GetQueueUrl for the same name in another owner account fails with NonExistentQueue', async () => {
    const url = await createQueue(sqs, 'owner-other');
    const [, account, name] = /\/(\d{12})\/([^/]+)$/.exec(url)!;
    const other = account === '111122223333' ? '444455556666' : '111122223333';
    await expectSqsError(sqs.getQueueUrl({ QueueName: name!, QueueOwnerAWSAccountId: other }), NON_EXISTENT_QUEUE);
  });

  it('a RedriveAllowPolicy byQueue admits the listed source queues only', async () => {
    const allowedUrl = await createQueue(sqs, 'listed');
    const dlqUrl = await createQueue(sqs, 'picky-dlq', {
      RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [await queueArn(sqs, allowedUrl)] }),
    });
    const redrivePolicy = JSON.stringify({ deadLetterTargetArn: await queueArn(sqs, dlqUrl), maxReceiveCount: 3 });
    await sqs.setQueueAttributes({ QueueUrl: allowedUrl, Attributes: { RedrivePolicy: redrivePolicy } });
    const strangerUrl = await createQueue(sqs, 'stranger');
    await expectSqsError(
      sqs.setQueueAttributes({ QueueUrl: strangerUrl, Attributes: { RedrivePolicy: redrivePolicy } }),
      INVALID_PARAMETER,
    );
  });

  it('stores a Policy document and the server-side encryption settings', async () => {
    const url = await createQueue(sqs, 'policy');
    const arn = await queueArn(sqs, url);
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'owner', Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sqs:SendMessage', Resource: arn }],
    };
    const encryption = { KmsMasterKeyId: 'alias/aws/sqs', KmsDataKeyReusePeriodSeconds: '600' };
    await sqs.setQueueAttributes({ QueueUrl: url, Attributes: { Policy: JSON.stringify(policy), ...encryption } });
    const stored = await queueAttributes(sqs, url, ['Policy', ...Object.keys(encryption)]);
    expect(JSON.parse(stored['Policy']!)).toEqual(policy);
    expect(stored).toMatchObject(encryption);
  });

  it('SqsManagedSseEnabled accepts true and false', async () => {
    const url = await createQueue(sqs, 'ssesqs', { SqsManagedSseEnabled: 'false' });
    expect(await queueAttributes(sqs, url, ['SqsManagedSseEnabled'])).toEqual({ SqsManagedSseEnabled: 'false' });
    await sqs.setQueueAttributes({ QueueUrl: url, Attributes: { SqsManagedSseEnabled: 'true' } });
    expect(await queueAttributes(sqs, url, ['SqsManagedSseEnabled'])).toEqual({ SqsManagedSseEnabled: 'true' });
  });
});
