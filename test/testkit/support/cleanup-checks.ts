/**
 * Checks that what the testkit started is gone: Docker objects by id or name, processes by pid,
 * and a child process that starts a node and exits without stopping it (the exit safety net).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const clientDist = fileURLToPath(new URL('../../../client/dist/index.js', import.meta.url));

export function dockerObjectExists(kind: 'container' | 'network', idOrName: string): boolean {
  return spawnSync('docker', [kind, 'inspect', idOrName], { stdio: 'ignore' }).status === 0;
}

export function networksOf(containerId: string): string[] {
  const names = execFileSync('docker', ['inspect', '--format', '{{range $name, $_ := .NetworkSettings.Networks}}{{$name}} {{end}}', containerId], {
    encoding: 'utf8',
  });
  return names.trim().split(/\s+/).filter(Boolean);
}

/** Running, that is: not gone and not a zombie (an orphan whose exit no init reaped yet). */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Runs `body` (an ES module snippet with `testkit` = the built client package in scope) in a
 * child Node process that exits without stopping anything, and returns what it printed.
 */
export function runAndExitWithoutStop(body: string): string {
  if (!existsSync(clientDist)) throw new Error(`${clientDist} is missing: run "npm run build" first`);
  const script = `const testkit = await import(${JSON.stringify(clientDist)});\n${body}\nprocess.exit(0);`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 90_000 });
  if (child.status !== 0) throw new Error(`child failed (${child.status}): ${child.stderr}`);
  return child.stdout.trim();
}
