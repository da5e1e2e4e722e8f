import { describe, expect, it } from 'vitest';
import { Harness, START, expectRejectedUnchanged, expectSqsError } from './harness.js';

describe('queue attributes', () => {
  it('reports every attribute of a standard queue with AWS defaults', () => {
    const h = new Harness();
    h.createQueue('q');
    const seconds = String(Math.floor(START / 1000));
    expect(h.attributes('q')).toEqual({
      QueueArn: 'arn:aws:sqs:us-east-1:000000000000:q',
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
      ApproximateNumberOfMessagesDelayed: '0',
      CreatedTimestamp: seconds,
      LastModifiedTimestamp: seconds,
      VisibilityTimeout: '30',
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      DelaySeconds: '0',
      ReceiveMessageWaitTimeSeconds: '0',
      SqsManagedSseEnabled: 'true',
    });
  });

  it('reports FIFO attributes for FIFO queues', () => {
    const h = new Harness();
    h.createQueue('q.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    expect(h.attributes('q.fifo')).toMatchObject({
      FifoQueue: 'true', ContentBasedDeduplication: 'true', DeduplicationScope: 'queue', FifoThroughputLimit: 'perQueue',
    });
  });

  // AWS confirmed this in aws-sdk-ruby#1350: FIFO attribute names are unknown to a standard queue.
  it.each([['FifoQueue'], ['ContentBasedDeduplication'], ['DeduplicationScope'], ['FifoThroughputLimit']])(
    'refuses to report %s of a standard queue as an unknown attribute', (name) => {
      const h = new Harness();
      h.createQueue('q');
      const error = expectSqsError(() => h.attributes('q', ['VisibilityTimeout', name]), 'InvalidAttributeName');
      expect(error.message).toBe(`Unknown Attribute ${name}.`);
      h.createQueue('q.fifo', { FifoQueue: 'true' });
      expect(Object.keys(h.attributes('q.fifo', [name]))).toEqual([name]);
    });

  it('answers only the names asked for, and nothing without names', () => {
    const h = new Harness();
    h.createQueue('q', { DelaySeconds: '5' });
    expect(h.attributes('q', ['DelaySeconds', 'QueueArn'])).toEqual({ DelaySeconds: '5', QueueArn: h.arn('q') });
    expect(h.read('GetQueueAttributes', { QueueUrl: h.url('q') }).Attributes).toBeUndefined();
    const error = expectSqsError(() => h.attributes('q', ['Bogus']), 'InvalidAttributeName');
    expect(error.message).toBe('Unknown Attribute Bogus.');
  });

  it('updates attributes and LastModifiedTimestamp', () => {
    const h = new Harness();
    h.createQueue('q');
    h.advance(5_000);
    h.apply('SetQueueAttributes', { QueueUrl: h.url('q'), Attributes: { VisibilityTimeout: '69', MaximumMessageSize: '2048' } });
    const attributes = h.attributes('q');
    expect(attributes.VisibilityTimeout).toBe('69');
    expect(attributes.MaximumMessageSize).toBe('2048');
    expect(attributes.LastModifiedTimestamp).toBe(String(Math.floor(START / 1000) + 5));
    expect(attributes.CreatedTimestamp).toBe(String(Math.floor(START / 1000)));
  });

  it.each([
    ['VisibilityTimeout', '-1'], ['VisibilityTimeout', '43201'], ['VisibilityTimeout', 'abc'],
    ['DelaySeconds', '901'], ['MaximumMessageSize', '1023'], ['MaximumMessageSize', '1048577'],
    ['MessageRetentionPeriod', '59'], ['MessageRetentionPeriod', '1209601'],
    ['ReceiveMessageWaitTimeSeconds', '21'], ['KmsDataKeyReusePeriodSeconds', '59'],
    ['SqsManagedSseEnabled', 'yes'], ['Policy', 'not json'],
    // SQS parses numbers strictly (Java's Integer.parseInt): no blanks, no decimals.
    ['DelaySeconds', ' 5'], ['VisibilityTimeout', '30 '], ['DelaySeconds', '5.0'], ['DelaySeconds', ''],
    // Free text still has to be text an answer can carry.
    ['KmsMasterKeyId', 'alias/\u0001'],
  ])('rejects %s=%j with InvalidAttributeValue', (name, value) => {
    const h = new Harness();
    h.createQueue('q');
    expectRejectedUnchanged(h, () => h.apply('SetQueueAttributes', { QueueUrl: h.url('q'), Attributes: { [name]: value } }), 'InvalidAttributeValue');
    expectRejectedUnchanged(h, () => h.createQueue('other', { [name]: value }), 'InvalidAttributeValue');
  });

  it.each([
    ['VisibilityTimeout', '0'], ['VisibilityTimeout', '43200'], ['DelaySeconds', '900'],
    ['MaximumMessageSize', '1024'], ['MaximumMessageSize', '1048576'], ['MessageRetentionPeriod', '60'],
    ['MessageRetentionPeriod', '1209600'], ['ReceiveMessageWaitTimeSeconds', '20'],
  ])('accepts the boundary %s=%s', (name, value) => {
    const h = new Harness();
    h.createQueue('q', { [name]: value });
    expect(h.attributes('q', [name])).toEqual({ [name]: value });
  });

  it('rejects unknown and FIFO-only attribute names on standard queues', () => {
    const h = new Harness();
    h.createQueue('q');
    expectRejectedUnchanged(h, () => h.apply('SetQueueAttributes', { QueueUrl: h.url('q'), Attributes: { Bogus: '1' } }), 'InvalidAttributeName');
    expectRejectedUnchanged(h, () => h.apply('SetQueueAttributes', { QueueUrl: h.url('q'), Attributes: { ContentBasedDeduplication: 'true' } }), 'InvalidAttributeName');
    expectRejectedUnchanged(h, () => h.apply('SetQueueAttributes', { QueueUrl: h.url('q'), Attributes: { FifoQueue: 'true' } }), 'InvalidAttributeName');
  });

  // Names that every JavaScript object inherits are attribute names like any other unknown one.
  it.each([['constructor'], ['toString'], ['hasOwnProperty'], ['__proto__']])('rejects the attribute name %s', (name) => {
    const h = new Harness();
    h.createQueue('q');
    const attributes = { [name]: '1' };
    expect(Object.keys(attributes)).toEqual([name]);
    expectRejectedUnchanged(h, () => h.apply('SetQueueAttributes', { QueueUrl: h.url('q'), Attributes: attributes }), 'InvalidAttributeName');
    expectRejectedUnchanged(h, () => h.createQueue('other', attributes), 'InvalidAttributeName');
  });

  it('refuses to change the queue type of a FIFO queue', () => {
    const h = new Harness();
    h.createQueue('q.fifo', { FifoQueue: 'true' });
    const error = expectRejectedUnchanged(h, () => h.apply('SetQueueAttributes', { QueueUrl: h.url('q.fifo'), Attributes: { FifoQueue: 'false' } }), 'InvalidAttributeValue');
    expect(error.message).toBe('Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.');
  });

  it('accepts FifoQueue=true on a FIFO queue as a no-op, as recorded SQS does', () => {
    // LocalStack's AWS-validated test_set_unsupported_attribute_fifo.
    const h = new Harness();
    h.createQueue('q.fifo', { FifoQueue: 'true', VisibilityTimeout: '10' });
    h.apply('SetQueueAttributes', { QueueUrl: h.url('q.fifo'), Attributes: { FifoQueue: 'true', VisibilityTimeout: '20' } });
    expect(h.attributes('q.fifo', ['FifoQueue', 'VisibilityTimeout'])).toEqual({ FifoQueue: 'true', VisibilityTimeout: '20' });
    expectRejectedUnchanged(h, () => h.apply('SetQueueAttributes', { QueueUrl: h.url('q.fifo'), Attributes: { FifoQueue: 'maybe' } }), 'InvalidAttributeValue');
  });

  it('validates FIFO settings', () => {
    const h = new Harness();
    h.createQueue('q.fifo', { FifoQueue: 'true', DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
    expect(h.attributes('q.fifo', ['DeduplicationScope', 'FifoThroughputLimit'])).toEqual({ DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
    const set = (attributes: Record<string, string>) => () => h.apply('SetQueueAttributes', { QueueUrl: h.url('q.fifo'), Attributes: attributes });
    expectRejectedUnchanged(h, set({ DeduplicationScope: 'group' }), 'InvalidAttributeValue');
    expectRejectedUnchanged(h, set({ FifoThroughputLimit: 'perGroup' }), 'InvalidAttributeValue');
    expectRejectedUnchanged(h, set({ ContentBasedDeduplication: 'maybe' }), 'InvalidAttributeValue');
  });

  it('allows FifoThroughputLimit perMessageGroupId only with DeduplicationScope messageGroup', () => {
    // API reference, SetQueueAttributes: "The perMessageGroupId value is allowed only when the
    // value for DeduplicationScope is messageGroup."
    const h = new Harness();
    const created = expectSqsError(() => h.createQueue('q.fifo', { FifoQueue: 'true', FifoThroughputLimit: 'perMessageGroupId' }), 'InvalidAttributeValue');
    expect(created.message).toBe('Invalid value for the parameter FifoThroughputLimit. Reason: perMessageGroupId is allowed only when DeduplicationScope is messageGroup.');
    h.createQueue('q.fifo', { FifoQueue: 'true' });
    const set = (attributes: Record<string, string>) => () => h.apply('SetQueueAttributes', { QueueUrl: h.url('q.fifo'), Attributes: attributes });
    expectRejectedUnchanged(h, set({ FifoThroughputLimit: 'perMessageGroupId' }), 'InvalidAttributeValue');
    set({ DeduplicationScope: 'messageGroup' })();
    set({ FifoThroughputLimit: 'perMessageGroupId' })();
    const narrowed = expectRejectedUnchanged(h, set({ DeduplicationScope: 'queue' }), 'InvalidAttributeValue');
    expect(narrowed.message).toBe('Invalid value for the parameter DeduplicationScope. Reason: perMessageGroupId is allowed only when DeduplicationScope is messageGroup.');
    set({ DeduplicationScope: 'queue', FifoThroughputLimit: 'perQueue' })();
    expect(h.attributes('q.fifo', ['DeduplicationScope', 'FifoThroughputLimit'])).toEqual({ DeduplicationScope: 'queue', FifoThroughputLimit: 'perQueue' });
  });

  it('stops reporting KMS attributes set back to their defaults, as recorded SQS does', () => {
    // LocalStack's AWS-validated test_set_queue_attributes_default_values.
    const h = new Harness();
    h.createQueue('q');
    h.apply('SetQueueAttributes', { QueueUrl: h.url('q'), Attributes: { KmsMasterKeyId: 'testKeyId', KmsDataKeyReusePeriodSeconds: '6000' } });
    expect(h.attributes('q')).toMatchObject({ KmsMasterKeyId: 'testKeyId', KmsDataKeyReusePeriodSeconds: '6000', SqsManagedSseEnabled: 'false' });
    h.apply('SetQueueAttributes', { QueueUrl: h.url('q'), Attributes: { KmsMasterKeyId: '', KmsDataKeyReusePeriodSeconds: '300' } });
    const all = h.attributes('q');
    expect(all).not.toHaveProperty('KmsMasterKeyId');
    expect(all).not.toHaveProperty('KmsDataKeyReusePeriodSeconds');
    expect(all['SqsManagedSseEnabled']).toBe('false');
  });

  it('stores KMS attributes and keeps the two kinds of encryption exclusive', () => {
    const h = new Harness();
    h.createQueue('q', { KmsMasterKeyId: 'alias/aws/sqs' });
    expect(h.attributes('q', ['KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled'])).toEqual({
      KmsMasterKeyId: 'alias/aws/sqs', KmsDataKeyReusePeriodSeconds: '300', SqsManagedSseEnabled: 'false',
    });
    h.apply('SetQueueAttributes', { QueueUrl: h.url('q'), Attributes: { SqsManagedSseEnabled: 'true' } });
    expect(h.attributes('q', ['KmsMasterKeyId', 'SqsManagedSseEnabled'])).toEqual({ SqsManagedSseEnabled: 'true' });
    expectRejectedUnchanged(h, () => h.apply('SetQueueAttributes', {
      QueueUrl: h.url('q'), Attributes: { KmsMasterKeyId: 'k', SqsManagedSseEnabled: 'true' },
    }), 'InvalidAttributeName');
  });

  it('stores a Policy and removes it with an empty value', () => {
    const h = new Harness();
    h.createQueue('q');
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [] });
    h.apply('SetQueueAttributes', { QueueUrl: h.url('q'), Attributes: { Policy: policy } });
    expect(h.attributes('q', ['Policy'])).toEqual({ Policy: policy });
    h.apply('SetQueueAttributes', { QueueUrl: h.url('q'), Attributes: { Policy: '' } });
    expect(h.attributes('q', ['Policy'])).toEqual({});
  });
});
