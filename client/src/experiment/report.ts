/**
 * `result.writeReport(dir)`: the history and the summary as JSON (for tools and for replaying the
 * checker), and report.html for a person.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ExperimentResult } from './run-experiment.js';
import { renderReportPage } from './report-page.js';

export interface ReportFiles {
  dir: string;
  html: string;
  history: string;
  summary: string;
}

/** What the report is made from. */
export type ReportSubject = Pick<ExperimentResult, 'seed' | 'options' | 'schedule' | 'queues' | 'history' | 'summary' | 'problems'>;

export async function writeReport(result: ReportSubject, dir: string): Promise<ReportFiles> {
  const root = resolve(dir);
  await mkdir(root, { recursive: true });
  const files: ReportFiles = { dir: root, html: join(root, 'report.html'), history: join(root, 'history.json'), summary: join(root, 'summary.json') };
  const { seed, options, schedule, queues, history, summary, problems } = result;
  await writeFile(files.history, `${JSON.stringify({ seed, schedule, queues, history }, null, 1)}\n`);
  await writeFile(files.summary, `${JSON.stringify({ seed, options: withoutCallbacks(options), summary, problems }, null, 2)}\n`);
  await writeFile(files.html, renderReportPage(result));
  return files;
}

function withoutCallbacks<T extends object>(options: T): T {
  return JSON.parse(JSON.stringify(options)) as T;
}
