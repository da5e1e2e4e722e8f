/**
 * `node bench/dist/profile-summary.js <file.cpuprofile>… [--top N]`: the functions with the most
 * self time in V8 CPU profiles (as written by `npm run bench -- --cpu-prof`), summed over files.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));

export function selfTimes(profile: CpuProfile): Map<string, number> {
  const nameOf = new Map<number, string>(profile.nodes.map((node) => [node.id, describe(node)]));
  const totals = new Map<string, number>();
  profile.samples.forEach((nodeId, index) => {
    const name = nameOf.get(nodeId) ?? '(unknown)';
    totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  return totals;
}

function describe(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  if (!url) return functionName || '(anonymous)';
  const file = url.startsWith('file://') ? relative(REPOSITORY, fileURLToPath(url)) : url;
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}

function main(argv: readonly string[]): void {
  let top = 25;
  const files: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    if (argv[index] === '--top') top = Number(argv[++index]);
    else files.push(argv[index]!);
  }
  const totals = new Map<string, number>();
  for (const file of files) {
    for (const [name, milliseconds] of selfTimes(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile)) {
      totals.set(name, (totals.get(name) ?? 0) + milliseconds);
    }
  }
  const all = [...totals.values()].reduce((sum, value) => sum + value, 0);
  const idle = totals.get('(idle)') ?? 0;
  const busy = all - idle;
  console.log(`${files.length} profile(s): ${(all / 1000).toFixed(1)} s sampled, ${(busy / 1000).toFixed(1)} s busy (percentages of busy time)`);
  const ranked = [...totals.entries()].filter(([name]) => name !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [name, milliseconds] of ranked) {
    console.log(`${((milliseconds / busy) * 100).toFixed(1).padStart(5)}%  ${milliseconds.toFixed(0).padStart(7)} ms  ${name}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
