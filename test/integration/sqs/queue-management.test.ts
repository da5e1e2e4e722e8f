/**
 * Tags (TagQueue, UntagQueue, ListQueueTags, CreateQueue `tags`), permissions (AddPermission and
 * RemovePermission, reflected in the queue's Policy attribute), PurgeQueue (deletes visible and
 * in-flight messages; a second purge within 60 s is PurgeQueueInProgress) and retention.
 */
import { expect, it, vi } from 'vitest';
import { describeEachFlavour } from '../../support/conformance-target.js';
import {
  EVENTUALLY,
  NON_EXISTENT_QUEUE,
  createQueue,
  eventuallySqsError,
  expectNothingVisible,
  expectSqsError,
  queueAttributes,
  receiveOne,
  uniqueQueueName,
} from '../../support/conformance-helpers.js';
import type { SqsTestClient } from '../../support/sdk-clients.js';

interface PolicyStatement {
  Sid?: string;
  Action?: string | string[];
  Principal?: unknown;
}

async function policyStatements(sqs: SqsTestClient, url: string): Promise<PolicyStatement[]> {
  const { Policy } = await queueAttributes(sqs, url, ['Policy']);
  if (Policy === undefined || Policy === '') return [];
  return (JSON.parse(Policy) as { Statement?: PolicyStatement[] }).Statement ?? [];
}

describeEachFlavour('tags, permissions, purge', (sqs) => {
  it('a new queue has no tags', async () => {
    const url = await createQueue(sqs, 'notags');
    const { Tags } = await sqs.listQueueTags({ QueueUrl: url });
    expect(Tags ?? {}).toEqual({});
  });

  it('CreateQueue applies its tags', async () => {
    const { QueueUrl } = await sqs.createQueue({ QueueName: uniqueQueueName('createtags'), tags: { team: 'core', env: 'test' } });
    expect((await sqs.listQueueTags({ QueueUrl })).Tags).toEqual({ team: 'core', env: 'test' });
  });

  it('TagQueue adds and overwrites, UntagQueue removes, keys are case-sensitive', async () => {
    const url = await createQueue(sqs, 'tags');
    await sqs.tagQueue({ QueueUrl: url, Tags: { a: '1', b: '2', B: 'upper' } });
    await sqs.tagQueue({ QueueUrl: url, Tags: { a: 'one', c: '' } });
    expect((await sqs.listQueueTags({ QueueUrl: url })).Tags).toEqual({ a: 'one', b: '2', B: 'upper', c: '' });
    await sqs.untagQueue({ QueueUrl: url, TagKeys: ['b', 'missing-key'] });
    expect((await sqs.listQueueTags({ QueueUrl: url })).Tags).toEqual({ a: 'one', B: 'upper', c: '' });
  });

  it('tag actions on an unknown queue fail with NonExistentQueue', async () => {
    const url = await createQueue(sqs, 'taggone');
    await sqs.deleteQueue({ QueueUrl: url });
    await eventuallySqsError(() => sqs.listQueueTags({ QueueUrl: url }), NON_EXISTENT_QUEUE);
    await expectSqsError(sqs.tagQueue({ QueueUrl: url, Tags: { a: 'b' } }), NON_EXISTENT_QUEUE);
  });

  it('AddPermission writes a statement labelled with the Sid into the queue Policy', async () => {
    const url = await createQueue(sqs, 'permission');
    await sqs.addPermission({
      QueueUrl: url,
      Label: 'let-them-send',
      AWSAccountIds: ['111122223333'],
      Actions: ['SendMessage', 'ReceiveMessage'],
    });
    const statements = await policyStatements(sqs, url);
    const statement = statements.find((candidate) => candidate.Sid === 'let-them-send');
    expect(statement).toBeDefined();
    const actions = [statement!.Action].flat().map((action) => String(action).toLowerCase());
    expect(actions.sort()).toEqual(['sqs:receivemessage', 'sqs:sendmessage']);
    expect(JSON.stringify(statement!.Principal)).toContain('111122223333');
  });

  it('RemovePermission removes the labelled statement', async () => {
    const url = await createQueue(sqs, 'removepermission');
    for (const label of ['keep', 'drop']) {
      await sqs.addPermission({ QueueUrl: url, Label: label, AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] });
    }
    await sqs.removePermission({ QueueUrl: url, Label: 'drop' });
    expect((await policyStatements(sqs, url)).map((statement) => statement.Sid)).toEqual(['keep']);
  });

  it('AddPermission with a label already in use fails (InvalidParameterValue)', async () => {
    const url = await createQueue(sqs, 'duplabel');
    const permission = { QueueUrl: url, Label: 'same', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] };
    await sqs.addPermission(permission);
    await expectSqsError(sqs.addPermission(permission), { code: 'InvalidParameterValue', status: 400 });
  });

  // The API reference: "An Amazon SQS policy can have a maximum of seven actions per statement"
  // (policy quotas: 7 actions per statement); more is OverLimit, as SQS answers it.
  it('AddPermission with more than seven actions fails (OverLimit) and writes nothing', async () => {
    const url = await createQueue(sqs, 'eightactions');
    const actions = ['SendMessage', 'ReceiveMessage', 'DeleteMessage', 'ChangeMessageVisibility', 'GetQueueAttributes', 'GetQueueUrl', 'ListDeadLetterSourceQueues', 'PurgeQueue'];
    await expectSqsError(sqs.addPermission({ QueueUrl: url, Label: 'toomany', AWSAccountIds: ['111122223333'], Actions: actions }), {
      code: 'OverLimit',
      status: 403,
    });
    await sqs.addPermission({ QueueUrl: url, Label: 'seven', AWSAccountIds: ['111122223333'], Actions: actions.slice(0, 7) });
    expect((await policyStatements(sqs, url)).map((statement) => statement.Sid)).toEqual(['seven']);
  });

  // Managing the queue itself cannot be shared: SQS refuses such an action with "Only the queue
  // owner is allowed to invoke this action" rather than writing a statement granting it.
  it.each(['CreateQueue', 'DeleteQueue', 'SetQueueAttributes', 'AddPermission', 'TagQueue'])(
    'AddPermission for the owner-only action %s fails (InvalidParameterValue)',
    async (action) => {
      const url = await createQueue(sqs, 'owneronly');
      await expectSqsError(sqs.addPermission({ QueueUrl: url, Label: 'owner', AWSAccountIds: ['111122223333'], Actions: [action] }), {
        code: 'InvalidParameterValue',
        status: 400,
      });
      expect((await queueAttributes(sqs, url, ['Policy'])).Policy).toBeUndefined();
    },
  );

  it('RemovePermission of an unknown label fails (InvalidParameterValue)', async () => {
    const url = await createQueue(sqs, 'nolabel');
    await expectSqsError(sqs.removePermission({ QueueUrl: url, Label: 'never-added' }), {
      code: 'InvalidParameterValue',
      status: 400,
    });
  });

  it('PurgeQueue deletes visible and in-flight messages', async () => {
    const url = await createQueue(sqs, 'purge', { VisibilityTimeout: '1' });
    for (const body of ['a', 'b', 'c']) await sqs.sendMessage({ QueueUrl: url, MessageBody: body });
    await receiveOne(sqs, url);
    await sqs.purgeQueue({ QueueUrl: url });
    await vi.waitFor(async () => {
      expect(await queueAttributes(sqs, url, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'])).toEqual({
        ApproximateNumberOfMessages: '0',
        ApproximateNumberOfMessagesNotVisible: '0',
      });
    }, EVENTUALLY);
    // Past the 1 s visibility timeout: the purged in-flight message does not come back.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await expectNothingVisible(sqs, url);
  });

  it('a second PurgeQueue within 60 seconds fails with PurgeQueueInProgress', async () => {
    const url = await createQueue(sqs, 'purgetwice');
    await sqs.purgeQueue({ QueueUrl: url });
    await expectSqsError(sqs.purgeQueue({ QueueUrl: url }), {
      code: 'AWS.SimpleQueueService.PurgeQueueInProgress',
      status: 403,
    });
  });

  it('PurgeQueue of an unknown queue fails with NonExistentQueue', async () => {
    const url = await createQueue(sqs, 'purgegone');
    await sqs.deleteQueue({ QueueUrl: url });
    await eventuallySqsError(() => sqs.purgeQueue({ QueueUrl: url }), NON_EXISTENT_QUEUE);
  });

  it('keeps messages within a short MessageRetentionPeriod (60 s, the minimum)', async () => {
    const url = await createQueue(sqs, 'retention', { MessageRetentionPeriod: '60' });
    await sqs.sendMessage({ QueueUrl: url, MessageBody: 'kept for a minute' });
    expect((await receiveOne(sqs, url)).Body).toBe('kept for a minute');
  });
}, { concurrent: true });
