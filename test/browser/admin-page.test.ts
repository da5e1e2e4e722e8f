/**
 * The admin page as a person uses it, in a real headless Chromium: open a queue, look at its
 * messages (visible, in flight, delayed) without consuming them, send one, delete one, purge,
 * start a dead-letter redrive — and never run a message body as HTML.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { startNode, type StartedNode } from '../support/start-node.js';
import { launchChromium, skipWithoutChromium } from '../support/headless-chromium.js';

const HOSTILE_BODY = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

describe.skipIf(skipWithoutChromium())('admin page in headless Chromium', { timeout: 90_000 }, () => {
  let node: StartedNode;
  let sqs: SQSClient;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    node = await startNode();
    sqs = new SQSClient({ endpoint: node.sqsEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
  });

  afterAll(async () => {
    await browser?.close();
    sqs?.destroy();
    await node?.stop();
  });

  const approximate = async (queueUrl: string): Promise<string[]> => {
    const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }));
    return [Attributes.ApproximateNumberOfMessages!, Attributes.ApproximateNumberOfMessagesNotVisible!, Attributes.ApproximateNumberOfMessagesDelayed!];
  };
  const messageRows = (p: Page) => p.locator('#messages tbody tr[data-message-id]');

  async function openQueue(name: string): Promise<void> {
    await page.goto(`${node.adminEndpoint}/`);
    await page.locator(`#queues button[data-queue="${name}"]`).click();
    await expect.poll(() => page.locator('#queue-name').textContent()).toBe(name);
  }

  it('peeks at every message with its state and attributes, consuming nothing, and shows hostile bodies as text', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'browse', Attributes: { VisibilityTimeout: '300' } }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'taken' }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    await sqs.send(new SendMessageCommand({
      QueueUrl,
      MessageBody: HOSTILE_BODY,
      MessageAttributes: { html: { DataType: 'String', StringValue: '<iframe src="javascript:window.__pwned=3">' } },
    }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'later', DelaySeconds: 600 }));

    await openQueue('browse');
    await expect.poll(() => messageRows(page).count()).toBe(3);
    const rows = await messageRows(page).evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].slice(1, 5).map((td) => td.textContent)),
    );
    expect(rows.map(([state, receives, , body]) => [state, receives, body])).toEqual([
      ['in flight', '1', 'taken'],
      ['visible', '0', HOSTILE_BODY],
      ['delayed', '0', 'later'],
    ]);
    const attributes = await messageRows(page).nth(1).locator('td').nth(5).textContent();
    expect(attributes).toContain('html (String) = <iframe src="javascript:window.__pwned=3">');
    expect(attributes).toContain('SenderId = ');
    // Shown as text: no element came out of a body or an attribute, no script ran.
    expect(await page.locator('#messages img, #messages script, #messages iframe').count()).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    // A peek: counts exactly as before, the visible message still never received.
    expect(await approximate(QueueUrl!)).toEqual(['1', '1', '1']);
  });

  it('sends a message from the form, deletes one by id, and purges', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'work.fifo', Attributes: { FifoQueue: 'true' } }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'first', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }));
    await openQueue('work.fifo');
    await expect.poll(() => messageRows(page).count()).toBe(1);

    await page.locator('#send-form textarea[name=body]').fill('from the page');
    await page.locator('#send-form input[name=group]').fill('g');
    await page.locator('#send-form input[name=dedup]').fill('d2');
    await page.locator('#send-form input[name=attrName]').fill('origin');
    await page.locator('#send-form input[name=attrValue]').fill('admin page');
    await page.locator('#send-form button[type=submit]').click();
    await expect.poll(() => messageRows(page).count()).toBe(2);
    expect(await page.locator('#status').textContent()).toBe('sent');

    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
    expect(Messages?.map((m) => [m.Body, m.MessageAttributes?.origin?.StringValue])).toEqual([['first', undefined], ['from the page', 'admin page']]);

    // Both in flight now: delete the second by id (it has no receipt handle the page could hold).
    const second = Messages![1]!.MessageId!;
    await page.locator('#refresh-messages').click();
    await page.locator(`button[data-delete="${second}"]`).click();
    await expect.poll(() => messageRows(page).count()).toBe(1);
    expect(await approximate(QueueUrl!)).toEqual(['0', '1', '0']);

    await page.locator('#purge').click();
    await expect.poll(() => page.locator('#status').textContent()).toBe('purged');
    expect(await messageRows(page).count()).toBe(0);
    expect(await approximate(QueueUrl!)).toEqual(['0', '0', '0']);
  });

  it('starts a redrive of a dead-letter queue back to its source', async () => {
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: 'orders-dlq' }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }));
    const source = await sqs.send(new CreateQueueCommand({
      QueueName: 'orders',
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: 1 }) },
    }));
    await sqs.send(new SendMessageCommand({ QueueUrl: source.QueueUrl, MessageBody: 'poison' }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: source.QueueUrl, VisibilityTimeout: 0 }));
    // The second receive finds it over maxReceiveCount and moves it to the dead-letter queue.
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: source.QueueUrl, VisibilityTimeout: 0 }));
    expect(await approximate(dlq.QueueUrl!)).toEqual(['1', '0', '0']);

    await openQueue('orders-dlq');
    await expect.poll(() => messageRows(page).count()).toBe(1);
    await page.locator('#redrive').click();
    await expect.poll(() => page.locator('#status').textContent()).toBe('redrive started');
    await expect.poll(() => approximate(source.QueueUrl!), { timeout: 20_000 }).toEqual(['1', '0', '0']);
    await page.locator('#refresh-messages').click();
    await expect.poll(() => page.locator('#move-tasks tbody tr').count()).toBe(1);
    expect(await page.locator('#move-tasks tbody tr td').first().textContent()).toMatch(/RUNNING|COMPLETED/);
  });

  it('shows the SQS error of an action that fails', async () => {
    await sqs.send(new CreateQueueCommand({ QueueName: 'plain' }));
    await openQueue('plain');
    await page.locator('#send-form input[name=delay]').fill('901');
    await page.locator('#send-form textarea[name=body]').fill('too late');
    // Past the form's own limit: the engine must be the one that refuses it.
    await page.evaluate("document.querySelector('#send-form input[name=delay]').removeAttribute('max')");
    await page.locator('#send-form button[type=submit]').click();
    await expect.poll(() => page.locator('#status .bad').textContent()).toMatch(/^InvalidParameterValue: /);
  });
});
