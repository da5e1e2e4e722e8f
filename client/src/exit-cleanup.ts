/**
 * The safety net behind stop() and `await using`: whatever a test started and did not stop is
 * removed when the process exits. Needed because testcontainers' reaper (Ryuk) cannot run where
 * no registry is reachable, so nothing else would remove forgotten containers and networks.
 *
 * An `exit` handler may only do synchronous work, hence the Docker CLI through spawnSync. SIGINT,
 * SIGTERM and SIGHUP end a process without `exit`, so they are caught too: the handler cleans up,
 * then sends the signal again for the remaining listeners or the default action. What SIGKILL leaves behind, the
 * next process sweeps (orphan-sweep.ts).
 */
import { spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

const containers = new Set<string>();
/** The engine testcontainers found: the `docker` CLI would otherwise ask its own default one. */
let engine: string | undefined;
const networks = new Set<string>();
const processes = new Set<ChildProcess>();
let installed = false;

/** Where the containers and networks tracked here live (docker-engine.ts `engineAddress()`). */
export function rememberEngine(address: string): void {
  engine = address;
}

export function trackContainer(id: string): () => void {
  install();
  containers.add(id);
  return () => containers.delete(id);
}

export function trackNetwork(id: string): () => void {
  install();
  networks.add(id);
  return () => networks.delete(id);
}

export function trackProcess(child: ChildProcess): () => void {
  install();
  processes.add(child);
  return () => processes.delete(child);
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function install(): void {
  if (installed) return;
  installed = true;
  process.once('exit', removeEverythingLeft);
  for (const signal of SIGNALS) process.on(signal, cleanUpAndReraise);
}

function cleanUpAndReraise(signal: NodeJS.Signals): void {
  removeEverythingLeft();
  for (const caught of SIGNALS) process.removeListener(caught, cleanUpAndReraise);
  // Send the signal again, as `signal-exit` (which testcontainers' dependencies load) does: the
  // remaining listeners see it as if we had never been there, and with none left the default
  // action ends the process.
  process.kill(process.pid, signal);
}

function removeEverythingLeft(): void {
  for (const child of processes) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  const options = { stdio: 'ignore' as const, timeout: 30_000, env: engine ? { ...process.env, DOCKER_HOST: engine } : process.env };
  if (containers.size > 0) spawnSync('docker', ['rm', '--force', '--volumes', ...containers], options);
  if (networks.size > 0) spawnSync('docker', ['network', 'rm', ...networks], options);
  processes.clear();
  containers.clear();
  networks.clear();
}
