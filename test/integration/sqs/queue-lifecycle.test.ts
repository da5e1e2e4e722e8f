/**
 * CreateQueue, GetQueueUrl, ListQueues, DeleteQueue — per the SQS API reference: names of 1–80
 * characters from [A-Za-z0-9_-] (FIFO names end in `.fifo`), CreateQueue idempotent for identical
 * attributes and `QueueAlreadyExists` otherwise, ListQueues prefix filter and MaxResults/NextToken
 * pagination, and queue URLs addressed at the host the client called.
 */
import { expect, it } from 'vitest';
import { describeEachFlavour } from '../../support/conformance-target.js';
import { createSdkClient } from '../../support/sdk-clients.js';
import {
  NON_EXISTENT_QUEUE,
  eventuallySqsError,
  expectSqsError,
  uniqueQueueName,
} from '../../support/conformance-helpers.js';

const INVALID_NAME = { code: 'InvalidParameterValue', status: 400 };

describeEachFlavour('queue lifecycle', (sqs, target) => {
  it('creates a queue whose URL ends with an account id and the queue name', async () => {
    const name = uniqueQueueName('life');
    const { QueueUrl } = await sqs.createQueue({ QueueName: name });
    expect(QueueUrl).toMatch(new RegExp(`/\\d{12}/${name}$`));
  });

  it('answers queue URLs on the host and port the client called', async () => {
    const name = uniqueQueueName('host');
    const { QueueUrl } = await sqs.createQueue({ QueueName: name });
    expect(QueueUrl!.startsWith(`${target.endpoint()}/`)).toBe(true);

    const viaLocalhost = createSdkClient(sqs.flavour, () => target.endpoint().replace('127.0.0.1', 'localhost'));
    const { QueueUrl: urlViaLocalhost } = await viaLocalhost.getQueueUrl({ QueueName: name });
    expect(new URL(urlViaLocalhost!).host).toBe(new URL(target.endpoint()).host.replace('127.0.0.1', 'localhost'));
  });

  it('is idempotent when the attributes are the same', async () => {
    const name = uniqueQueueName('idem');
    const first = await sqs.createQueue({ QueueName: name, Attributes: { VisibilityTimeout: '45' } });
    const second = await sqs.createQueue({ QueueName: name, Attributes: { VisibilityTimeout: '45' } });
    expect(second.QueueUrl).toBe(first.QueueUrl);
  });

  it('rejects re-creating a queue with different attribute values (QueueAlreadyExists)', async () => {
    const name = uniqueQueueName('conflict');
    await sqs.createQueue({ QueueName: name, Attributes: { VisibilityTimeout: '45' } });
    await expectSqsError(sqs.createQueue({ QueueName: name, Attributes: { VisibilityTimeout: '46' } }), {
      code: 'QueueAlreadyExists',
      status: 400,
    });
  });

  it('accepts a name of exactly 80 characters of letters, digits, hyphens and underscores', async () => {
    const name = `Ab0_-${randomTail(75)}`;
    expect(name).toHaveLength(80);
    const { QueueUrl } = await sqs.createQueue({ QueueName: name });
    expect(QueueUrl).toMatch(new RegExp(`/${name}$`));
  });

  it.each([
    ['81 characters', () => `n${randomTail(80)}`],
    ['an empty name', () => ''],
    ['a space', () => `bad name-${randomTail(6)}`],
    ['a dot in a standard queue name', () => `bad.name-${randomTail(6)}`],
    ['an exclamation mark', () => `bad!-${randomTail(6)}`],
  ])('rejects a queue name with %s', async (_case, makeName) => {
    await expectSqsError(sqs.createQueue({ QueueName: makeName() }), INVALID_NAME);
  });

  it('creates a FIFO queue when the name ends with .fifo and FifoQueue is true', async () => {
    const name = uniqueQueueName('fifo', '.fifo');
    const { QueueUrl } = await sqs.createQueue({ QueueName: name, Attributes: { FifoQueue: 'true' } });
    expect(QueueUrl).toMatch(/\.fifo$/);
    const { Attributes } = await sqs.getQueueAttributes({ QueueUrl, AttributeNames: ['FifoQueue'] });
    expect(Attributes).toEqual({ FifoQueue: 'true' });
  });

  it('counts the .fifo suffix in the 80-character limit', async () => {
    const fits = `f${randomTail(74)}.fifo`;
    expect(fits).toHaveLength(80);
    await sqs.createQueue({ QueueName: fits, Attributes: { FifoQueue: 'true' } });
    await expectSqsError(
      sqs.createQueue({ QueueName: `f${randomTail(75)}.fifo`, Attributes: { FifoQueue: 'true' } }),
      INVALID_NAME,
    );
  });

  it('rejects FifoQueue=true on a name without the .fifo suffix', async () => {
    await expectSqsError(
      sqs.createQueue({ QueueName: uniqueQueueName('nofifosuffix'), Attributes: { FifoQueue: 'true' } }),
      INVALID_NAME,
    );
  });

  it('rejects a .fifo name without FifoQueue=true (a dot is not allowed in a standard queue name)', async () => {
    await expectSqsError(sqs.createQueue({ QueueName: uniqueQueueName('std', '.fifo') }), INVALID_NAME);
  });

  it('rejects an unknown attribute name on create (InvalidAttributeName)', async () => {
    await expectSqsError(
      sqs.createQueue({ QueueName: uniqueQueueName('badattr'), Attributes: { NotAnAttribute: '1' } }),
      { code: 'InvalidAttributeName', status: 400 },
    );
  });

  it('GetQueueUrl answers the URL CreateQueue answered', async () => {
    const name = uniqueQueueName('geturl');
    const { QueueUrl } = await sqs.createQueue({ QueueName: name });
    expect((await sqs.getQueueUrl({ QueueName: name })).QueueUrl).toBe(QueueUrl);
  });

  it('GetQueueUrl of an unknown queue fails with NonExistentQueue', async () => {
    await expectSqsError(sqs.getQueueUrl({ QueueName: uniqueQueueName('missing') }), NON_EXISTENT_QUEUE);
  });

  it('names are case-sensitive', async () => {
    const name = uniqueQueueName('CaseSensitive');
    await sqs.createQueue({ QueueName: name });
    await expectSqsError(sqs.getQueueUrl({ QueueName: name.toLowerCase() }), NON_EXISTENT_QUEUE);
  });

  it('ListQueues filters by name prefix', async () => {
    const prefix = uniqueQueueName('prefix');
    const urls = await Promise.all(
      ['a', 'b', 'c'].map(async (suffix) => (await sqs.createQueue({ QueueName: `${prefix}-${suffix}` })).QueueUrl!),
    );
    await sqs.createQueue({ QueueName: uniqueQueueName('other') });

    const { QueueUrls } = await sqs.listQueues({ QueueNamePrefix: prefix });
    expect([...(QueueUrls ?? [])].sort()).toEqual([...urls].sort());
  });

  it('ListQueues with an unmatched prefix answers no URLs', async () => {
    const { QueueUrls } = await sqs.listQueues({ QueueNamePrefix: uniqueQueueName('nomatch') });
    expect(QueueUrls ?? []).toEqual([]);
  });

  it('ListQueues pages with MaxResults and NextToken, visiting every queue once', async () => {
    const prefix = uniqueQueueName('page');
    const created = await Promise.all(
      [1, 2, 3, 4, 5].map(async (n) => (await sqs.createQueue({ QueueName: `${prefix}-${n}` })).QueueUrl!),
    );
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await sqs.listQueues({ QueueNamePrefix: prefix, MaxResults: 2, NextToken: nextToken });
      expect(page.QueueUrls!.length).toBeLessThanOrEqual(2);
      seen.push(...page.QueueUrls!);
      nextToken = page.NextToken;
      pages++;
    } while (nextToken !== undefined && pages < 10);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual([...created].sort());
  });

  it('ListQueues without MaxResults answers no NextToken', async () => {
    const prefix = uniqueQueueName('nopage');
    await sqs.createQueue({ QueueName: `${prefix}-1` });
    const page = await sqs.listQueues({ QueueNamePrefix: prefix });
    expect(page.NextToken).toBeUndefined();
  });

  it('DeleteQueue removes the queue from GetQueueUrl and ListQueues', async () => {
    const name = uniqueQueueName('delete');
    const { QueueUrl } = await sqs.createQueue({ QueueName: name });
    await sqs.deleteQueue({ QueueUrl });
    // AWS: deletion "takes up to 60 seconds"; an emulator is expected to be immediate, but the
    // test only requires that it happens within the polling bound.
    await eventuallySqsError(() => sqs.getQueueUrl({ QueueName: name }), NON_EXISTENT_QUEUE);
    const { QueueUrls } = await sqs.listQueues({ QueueNamePrefix: name });
    expect(QueueUrls ?? []).toEqual([]);
  });

  it('DeleteQueue of an unknown queue fails with NonExistentQueue', async () => {
    const { QueueUrl } = await sqs.createQueue({ QueueName: uniqueQueueName('gone') });
    await sqs.deleteQueue({ QueueUrl });
    await eventuallySqsError(() => sqs.deleteQueue({ QueueUrl }), NON_EXISTENT_QUEUE);
  });

  it('refuses to re-create a just-deleted queue name within 60 seconds (QueueDeletedRecently)', async () => {
    const name = uniqueQueueName('recent');
    const { QueueUrl } = await sqs.createQueue({ QueueName: name });
    await sqs.deleteQueue({ QueueUrl });
    await expectSqsError(sqs.createQueue({ QueueName: name }), {
      code: 'AWS.SimpleQueueService.QueueDeletedRecently',
      status: 400,
    });
  });

  if (sqs.flavour === 'json') {
    it('JSON answers carry the modeled error name next to the legacy code (x-amzn-query-error)', async () => {
      const error = await expectSqsError(sqs.getQueueUrl({ QueueName: uniqueQueueName('modeled') }), NON_EXISTENT_QUEUE);
      expect(error.modeledName).toBe('QueueDoesNotExist');
    });
  }
});

function randomTail(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('');
}
