/**
 * `node bench/dist/render-markdown.js <results.jsonl>`: the Markdown tables of a finished run
 * again (for the README), from its JSON lines.
 */
import { readFileSync } from 'node:fs';
import { formatDeploymentsMarkdown, isFailoverRow, type FailoverRow } from './deployments.js';
import { formatIssueMarkdown, splitLines, type RunLine } from './issue-report.js';
import { formatMarkdown } from './report.js';

const [file] = process.argv.slice(2);
if (!file) throw new Error('usage: node bench/dist/render-markdown.js <results.jsonl>');
const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as RunLine | FailoverRow);
const failovers = lines.filter(isFailoverRow);
const { rows, startup, targets } = splitLines(lines.filter((line): line is RunLine => !isFailoverRow(line)));
const deployments = formatDeploymentsMarkdown(rows, failovers);
process.stdout.write(`${formatMarkdown(rows)}\n${deployments ? `\n${deployments}\n` : ''}\n${formatIssueMarkdown(startup, targets)}\n`);
