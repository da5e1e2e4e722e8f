/**
 * `node bench/dist/render-markdown.js <results.jsonl>`: the Markdown tables of a finished run
 * again (for the README), from its JSON lines.
 */
import { readFileSync } from 'node:fs';
import { formatDeploymentsMarkdown, isFailoverRow, type ResultLine } from './deployments.js';
import { formatMarkdown } from './report.js';
import type { ResultRow } from './scenario.js';

const [file] = process.argv.slice(2);
if (!file) throw new Error('usage: node bench/dist/render-markdown.js <results.jsonl>');
const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as ResultLine);
const rows = lines.filter((line): line is ResultRow => !isFailoverRow(line));
const deployments = formatDeploymentsMarkdown(rows, lines.filter(isFailoverRow));
process.stdout.write(`${formatMarkdown(rows)}\n${deployments ? `\n${deployments}\n` : ''}`);
