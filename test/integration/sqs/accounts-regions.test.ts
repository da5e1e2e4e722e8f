/**
 * Accounts and regions on one node, isolated as AWS isolates them: the region a client signs for
 * (its SigV4 credential scope) and an access key id of 12 digits (the account id, the LocalStack
 * convention) each get their own queues — URLs, ARNs, messages, listings, dead-letter queues,
 * ListDeadLetterSourceQueues and message move tasks. Another account's queue is AccessDenied
 * unless its policy (AddPermission) grants the action.
 */
import { expect, it } from 'vitest';
import { describeEachFlavour } from '../../support/conformance-target.js';
import {
  NON_EXISTENT_QUEUE,
  expectNothingVisible,
  expectSqsError,
  queueArn,
  receiveOne,
  uniqueQueueName,
} from '../../support/conformance-helpers.js';
import type { SqsTestClient } from '../../support/sdk-clients.js';

const ACCESS_DENIED = { code: 'AccessDenied', status: 403 };
const NOT_FOUND = { code: 'ResourceNotFoundException', status: 404 };

async function create(sqs: SqsTestClient, name: string, attributes: Record<string, string> = {}): Promise<string> {
  const { QueueUrl } = await sqs.createQueue({ QueueName: name, Attributes: attributes });
  expect(QueueUrl).toBeTruthy();
  return QueueUrl!;
}

async function listed(sqs: SqsTestClient, prefix: string): Promise<string[]> {
  return (await sqs.listQueues({ QueueNamePrefix: prefix })).QueueUrls ?? [];
}

/** A source whose one message was dead-lettered into `dlq` (both named alike in every caller). */
async function deadLettered(sqs: SqsTestClient, dlqName: string, sourceName: string, body: string): Promise<{ dlq: string; source: string }> {
  const dlq = await create(sqs, dlqName);
  const source = await create(sqs, sourceName, {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await queueArn(sqs, dlq), maxReceiveCount: 1 }),
  });
  await sqs.sendMessage({ QueueUrl: source, MessageBody: body });
  await sqs.receiveMessage({ QueueUrl: source, VisibilityTimeout: 0, WaitTimeSeconds: 1 });
  // The second receive finds the count exhausted and moves the message instead of answering it.
  await expectNothingVisible(sqs, source);
  return { dlq, source };
}

describeEachFlavour('accounts and regions', (sqs, target) => {
  const us = (): SqsTestClient => sqs;
  const eu = target.client(sqs.flavour, { region: 'eu-central-1' });
  const alice = target.client(sqs.flavour, { accessKeyId: '111111111111' });
  const bob = target.client(sqs.flavour, { accessKeyId: '222222222222' });

  it('gives two regions creating one name two queues with their own URLs, ARNs and messages', async () => {
    const name = uniqueQueueName('orders');
    const usUrl = await create(us(), name);
    const euUrl = await create(eu, name);
    expect(usUrl).toBe(`${target.endpoint()}/000000000000/${name}`);
    expect(euUrl).toBe(`${target.endpoint()}/queue/eu-central-1/000000000000/${name}`);
    expect(await queueArn(us(), usUrl)).toBe(`arn:aws:sqs:us-east-1:000000000000:${name}`);
    expect(await queueArn(eu, euUrl)).toBe(`arn:aws:sqs:eu-central-1:000000000000:${name}`);

    await us().sendMessage({ QueueUrl: usUrl, MessageBody: 'for us-east-1' });
    await eu.sendMessage({ QueueUrl: euUrl, MessageBody: 'for eu-central-1' });
    expect((await receiveOne(us(), usUrl)).Body).toBe('for us-east-1');
    expect((await receiveOne(eu, euUrl)).Body).toBe('for eu-central-1');
    await expectNothingVisible(us(), usUrl);

    expect(await listed(us(), name)).toEqual([usUrl]);
    expect(await listed(eu, name)).toEqual([euUrl]);
    expect((await eu.getQueueUrl({ QueueName: name })).QueueUrl).toBe(euUrl);
  });

  it('wakes a long poll with its own region’s message, not another region’s of the same name', async () => {
    const name = uniqueQueueName('polled');
    const usUrl = await create(us(), name);
    const euUrl = await create(eu, name);
    const polled = us().receiveMessage({ QueueUrl: usUrl, WaitTimeSeconds: 10 });
    await eu.sendMessage({ QueueUrl: euUrl, MessageBody: 'eu' });
    await us().sendMessage({ QueueUrl: usUrl, MessageBody: 'us' });
    expect((await polled).Messages?.map((message) => message.Body)).toEqual(['us']);
    expect((await receiveOne(eu, euUrl)).Body).toBe('eu');
  });

  it('reads a URL without a region in the caller’s region', async () => {
    const name = uniqueQueueName('plain');
    await create(us(), name);
    const euUrl = await create(eu, name);
    await eu.sendMessage({ QueueUrl: `${target.endpoint()}/000000000000/${name}`, MessageBody: 'eu' });
    expect((await receiveOne(eu, euUrl)).Body).toBe('eu');
  });

  it('gives each 12-digit access key its own account, and refuses another account’s queue', async () => {
    const name = uniqueQueueName('ledger');
    const aliceUrl = await create(alice, name);
    const bobUrl = await create(bob, name);
    expect(aliceUrl).toBe(`${target.endpoint()}/111111111111/${name}`);
    expect(bobUrl).toBe(`${target.endpoint()}/222222222222/${name}`);
    expect(await queueArn(alice, aliceUrl)).toBe(`arn:aws:sqs:us-east-1:111111111111:${name}`);

    await alice.sendMessage({ QueueUrl: aliceUrl, MessageBody: 'alice' });
    await expectSqsError(bob.sendMessage({ QueueUrl: aliceUrl, MessageBody: 'bob' }), ACCESS_DENIED);
    await expectSqsError(bob.receiveMessage({ QueueUrl: aliceUrl }), ACCESS_DENIED);
    await expectSqsError(bob.purgeQueue({ QueueUrl: aliceUrl }), ACCESS_DENIED);
    await expectSqsError(bob.getQueueUrl({ QueueName: name, QueueOwnerAWSAccountId: '111111111111' }), NON_EXISTENT_QUEUE);
    await expectNothingVisible(bob, bobUrl);
    expect((await receiveOne(alice, aliceUrl)).Body).toBe('alice');

    expect(await listed(alice, name)).toEqual([aliceUrl]);
    expect(await listed(bob, name)).toEqual([bobUrl]);
    // The node's own account (a key that is no account id) has no such queue.
    expect(await listed(us(), name)).toEqual([]);
    await expectSqsError(us().getQueueUrl({ QueueName: name }), NON_EXISTENT_QUEUE);
  });

  it('lets another account in where AddPermission granted it, and only for that', async () => {
    const name = uniqueQueueName('shared');
    const url = await create(alice, name);
    await alice.addPermission({ QueueUrl: url, Label: 'bob-sends', AWSAccountIds: ['222222222222'], Actions: ['SendMessage', 'GetQueueUrl'] });
    expect((await bob.getQueueUrl({ QueueName: name, QueueOwnerAWSAccountId: '111111111111' })).QueueUrl).toBe(url);
    await bob.sendMessage({ QueueUrl: url, MessageBody: 'from bob' });
    await expectSqsError(bob.receiveMessage({ QueueUrl: url }), ACCESS_DENIED);
    await expectSqsError(bob.deleteQueue({ QueueUrl: url }), ACCESS_DENIED);
    expect((await receiveOne(alice, url)).Body).toBe('from bob');
    await alice.removePermission({ QueueUrl: url, Label: 'bob-sends' });
    await expectSqsError(bob.sendMessage({ QueueUrl: url, MessageBody: 'again' }), ACCESS_DENIED);
  });

  it('keeps dead-letter queues, their sources and move tasks in their own region', async () => {
    const dlqName = uniqueQueueName('dlq');
    const sourceName = uniqueQueueName('source');
    const inEu = await deadLettered(eu, dlqName, sourceName, 'eu poison');
    const inUs = { dlq: await create(us(), dlqName), source: await create(us(), sourceName) };
    expect((await eu.listDeadLetterSourceQueues({ QueueUrl: inEu.dlq })).queueUrls).toEqual([inEu.source]);
    expect((await us().listDeadLetterSourceQueues({ QueueUrl: inUs.dlq })).queueUrls ?? []).toEqual([]);
    await expectNothingVisible(us(), inUs.dlq);

    const euDlqArn = await queueArn(eu, inEu.dlq);
    // us-east-1's SQS knows nothing of eu-central-1's queues.
    await expectSqsError(us().startMessageMoveTask({ SourceArn: euDlqArn }), NOT_FOUND);
    await expectSqsError(us().listMessageMoveTasks({ SourceArn: euDlqArn }), NOT_FOUND);
    await eu.startMessageMoveTask({ SourceArn: euDlqArn });
    expect((await receiveOne(eu, inEu.source)).Body).toBe('eu poison');
    expect((await eu.listMessageMoveTasks({ SourceArn: euDlqArn })).Results?.map((task) => task.SourceArn)).toEqual([euDlqArn]);
    await expectNothingVisible(us(), inUs.source);
  });

  it('keeps dead-letter targets and move tasks within one account', async () => {
    const dlqName = uniqueQueueName('dlq');
    const { dlq } = await deadLettered(alice, dlqName, uniqueQueueName('source'), 'alice poison');
    const aliceDlqArn = await queueArn(alice, dlq);
    await expectSqsError(
      bob.createQueue({
        QueueName: uniqueQueueName('bob-source'),
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: aliceDlqArn, maxReceiveCount: 1 }) },
      }),
      { code: 'InvalidParameterValue', status: 400 },
    );
    await expectSqsError(bob.startMessageMoveTask({ SourceArn: aliceDlqArn }), ACCESS_DENIED);
    await expectSqsError(bob.listDeadLetterSourceQueues({ QueueUrl: dlq }), ACCESS_DENIED);
    expect((await receiveOne(alice, dlq)).Body).toBe('alice poison');
  });
});
