/**
 * `writeReport(dir)`: the JSON files, and a self-contained HTML page whose plots a real headless
 * Chromium draws (the script that draws them is inlined; the page loads nothing from anywhere).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { History, OperationRecord } from '../../client/src/experiment/history.js';
import { resolveExperiment } from '../../client/src/experiment/options.js';
import { planExperiment } from '../../client/src/experiment/plan.js';
import { writeReport } from '../../client/src/experiment/report.js';
import type { ReportSubject } from '../../client/src/experiment/report.js';
import { summarize } from '../../client/src/experiment/summary.js';
import { chromiumSkipReason, launchChromium } from './support/chromium.js';

/** Twenty seconds of sends and receives on three nodes, node 2 failing during a fault, one message lost under majority. */
function syntheticRun(): ReportSubject {
  const options = resolveExperiment({ seed: 42, durationMs: 20_000, ackModes: ['none', 'majority'] }, { nodes: 3, storage: 'memory' });
  const plan = planExperiment(options);
  const operations: OperationRecord[] = [];
  for (let at = 0; at < 20_000; at += 50) {
    const node = (at / 50) % 3 + 1;
    const failing = node === 2 && at >= 5_000 && at < 9_000;
    const queue = plan.queues[(at / 50) % plan.queues.length]!;
    const id = `p1.${at}`;
    const outcome = failing ? 'unknown' : 'ok';
    operations.push({ id: operations.length, worker: 'producer-1', kind: 'send', queue: queue.key, node, invokeMs: at, completeMs: at + (failing ? 5_000 : 5 + (at % 40)), outcome, sent: [{ id, outcome }] });
    if (id !== 'p1.1100') {
      operations.push({ id: operations.length, worker: 'consumer-1', kind: 'receive', queue: queue.key, node, invokeMs: at + 20, completeMs: at + 30, outcome: 'ok', received: [{ id, messageId: `m-${at}`, intact: true }] });
    }
  }
  const history: History = {
    operations,
    faults: [
      { index: 0, kind: 'pause', nodes: [2], description: 'paused n2 for 4000 ms', startMs: 5_000, endMs: 9_000 },
      { index: 1, kind: 'partition-leader', nodes: [1], description: 'isolated n1 (the leader) from every other node', startMs: 12_000, endMs: 15_000 },
    ],
    workloadEndMs: 20_000,
    drainStartMs: 20_000,
    drainEndMs: 24_000,
  };
  const digests = [1, 2, 3].map((number) => ({ number, nodeId: `n${number}`, appliedIndex: 800, digest: 'ab'.repeat(32), records: 12 }));
  const summary = summarize({ queues: plan.queues, history, visibilityTimeoutMs: 5_000, digests, undrainedQueues: [] });
  const queues = plan.queues.map((queue) => ({ ...queue, name: `exp-${queue.key}`, url: `http://localhost/000000000000/exp-${queue.key}` }));
  return { seed: 42, options, schedule: plan.faults, queues, history, summary, problems: [] };
}

describe.skipIf(chromiumSkipReason !== undefined)(`experiment report in Chromium${chromiumSkipReason ? ` (skipped: ${chromiumSkipReason})` : ''}`, () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    browser = await launchChromium();
    dir = await mkdtemp(join(tmpdir(), 'replimq-report-'));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes the history and summary as JSON, and a page whose plots draw every node, fault and mode', async () => {
    const run = syntheticRun();
    const files = await writeReport(run, dir);
    const summary = JSON.parse(await readFile(files.summary, 'utf8'));
    expect(summary.summary.byAckMode.majority.lost).toBe(1);
    expect(JSON.parse(await readFile(files.history, 'utf8')).history.operations.length).toBe(run.history.operations.length);

    const page = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(files.html).href);
    await page.waitForSelector('body[data-series-drawn]');
    expect(errors).toEqual([]);
    // Self-contained: the page asks for nothing but itself.
    expect(requests).toEqual([pathToFileURL(files.html).href]);

    expect(await page.locator('svg.plot').count()).toBe(3);
    // Throughput and errors: a line per node; latency: median and 99th percentile per node.
    expect(Number(await page.getAttribute('body', 'data-series-drawn'))).toBe(3 + 6 + 3);
    const paths = await page.locator('svg.plot path.series').evaluateAll((elements) => elements.map((element) => element.getAttribute('d') ?? ''));
    expect(paths.every((d) => /^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+)+/.test(d))).toBe(true);
    // The fault windows are shaded in every plot, with their width in proportion to their time.
    const shades = await page.locator('svg.plot rect.fault').evaluateAll((elements) => elements.map((element) => Number(element.getAttribute('width'))));
    expect(shades.length).toBe(2 * 3);
    expect(shades[0]! / shades[1]!).toBeCloseTo(4 / 3, 1);
    const box = await page.locator('svg.plot').first().boundingBox();
    expect(box!.width).toBeGreaterThan(300);

    // The per-mode table: each promise next to what it kept.
    await expect(page.locator('tr[data-mode="majority"]').innerText()).resolves.toMatch(/broken: 1 acknowledged messages lost/);
    await expect(page.locator('tr[data-mode="none"]').innerText()).resolves.toMatch(/kept/);
    await expect(page.locator('#verdict').innerText()).resolves.toMatch(/A promise was broken/);
    await expect(page.locator('#faults').innerText()).resolves.toMatch(/paused n2 for 4000 ms/);
    await page.close();
  });
});
