/**
 * The AWS SDK v3 in a browser page from another origin, talking to a node: CORS as a real
 * Chromium enforces it. The page is served by a second HTTP server (another port: another
 * origin); `@aws-sdk/client-sqs` is bundled for the browser by esbuild, as an application would.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { startNode, type StartedNode } from '../support/start-node.js';
import { launchChromium, skipWithoutChromium } from '../support/headless-chromium.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** What the page runs: the SDK calls an application would make, results handed back as JSON. */
const PAGE_SCRIPT = `
import { SQSClient, CreateQueueCommand, SendMessageCommand, ReceiveMessageCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
window.runSqs = async (endpoint) => {
  const client = new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'from-a-browser' }));
  const sent = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hello from Chromium' }));
  const { Messages } = await client.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['All'] }));
  let error;
  try {
    await client.send(new GetQueueUrlCommand({ QueueName: 'no-such-queue' }));
  } catch (e) {
    error = { name: e.name, requestId: e.$metadata && e.$metadata.requestId };
  }
  return { QueueUrl, sentId: sent.MessageId, received: (Messages || []).map((m) => [m.MessageId, m.Body]), error, origin: location.origin };
};
`;

async function bundleSdk(): Promise<string> {
  const result = await build({
    stdin: { contents: PAGE_SCRIPT, resolveDir: REPO_ROOT, loader: 'js' },
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

describe.skipIf(skipWithoutChromium())('the v3 SDK in a browser page from another origin', { timeout: 120_000 }, () => {
  let node: StartedNode;
  let pageServer: Server;
  let pageOrigin: string;
  let browser: Browser;

  beforeAll(async () => {
    const [bundle, started] = await Promise.all([bundleSdk(), startNode()]);
    node = started;
    pageServer = createServer((req, res) => {
      const [type, body] = req.url === '/sdk.js'
        ? ['text/javascript', bundle]
        : ['text/html; charset=utf-8', '<!doctype html><title>app</title><script src="/sdk.js"></script>'];
      res.writeHead(200, { 'content-type': type });
      res.end(body);
    });
    await new Promise<void>((done) => pageServer.listen(0, '127.0.0.1', done));
    pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => pageServer?.close(done));
    await node?.stop();
  });

  it('creates a queue, sends and receives, and reads an error code, across origins', async () => {
    const page = await browser.newPage();
    await page.goto(`${pageOrigin}/`);
    expect(new URL(node.sqsEndpoint).origin).not.toBe(pageOrigin);
    const result = (await page.evaluate(`window.runSqs(${JSON.stringify(node.sqsEndpoint)})`)) as {
      QueueUrl: string;
      sentId: string;
      received: [string, string][];
      error: { name: string; requestId: string } | undefined;
      origin: string;
    };
    expect(result.origin).toBe(pageOrigin);
    expect(result.QueueUrl).toBe(`${node.sqsEndpoint}/000000000000/from-a-browser`);
    expect(result.received).toEqual([[result.sentId, 'hello from Chromium']]);
    // The SDK could read x-amzn-query-error and the request id: the exposed headers.
    expect(result.error?.name).toBe('QueueDoesNotExist');
    expect(result.error?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    await page.close();
  });
});
