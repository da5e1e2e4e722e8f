/**
 * Checks that what the testkit started is gone: Docker objects by id or name, processes by pid,
 * and a child process that starts a node and exits without stopping it (the exit safety net).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const clientDist = fileURLToPath(new URL('../../../client/dist/index.js', import.meta.url));

export function dockerObjectExists(kind: 'container' | 'network' | 'image', idOrName: string): boolean {
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

/** How the child process ends: `exit` runs exit handlers, signals do not. */
export type Ending = 'exit' | 'SIGTERM' | 'SIGKILL';

/**
 * Runs `body` (an ES module snippet with `testkit` = the built client package in scope) in a
 * child Node process that ends as told without stopping anything, and returns what it printed.
 */
export function runAndEndWithoutStop(body: string, ending: Ending = 'exit'): string {
  if (!existsSync(clientDist)) throw new Error(`${clientDist} is missing: run "npm run build" first`);
  // After a signal the process stays busy, as a test runner would: only the signal may end it.
  const end = ending === 'exit' ? 'process.exit(0);' : `process.kill(process.pid, '${ending}'); setInterval(() => {}, 1000);`;
  const script = `const testkit = await import(${JSON.stringify(clientDist)});\n${body}\n${end}`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 25_000 });
  // A signal the testkit caught ends the process with the status a shell reports for it.
  const expected =
    ending === 'exit' ? child.status === 0 : child.signal === ending || child.status === 128 + constants.signals[ending];
  if (!expected) throw new Error(`child ended with ${child.status ?? child.signal}, not by ${ending}: ${child.stderr}`);
  return child.stdout.trim();
}

/** Names of the networks this test process owns (the testkit labels them with its pid). */
export function ownNetworks(): string[] {
  const names = execFileSync('docker', ['network', 'ls', '--format', '{{.Name}}', '--filter', `label=org.replimq.testkit.owner-pid=${process.pid}`], {
    encoding: 'utf8',
  });
  return names.trim().split(/\s+/).filter(Boolean);
}
