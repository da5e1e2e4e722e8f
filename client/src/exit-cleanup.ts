/**
 * The safety net behind stop() and `await using`: whatever a test started and did not stop is
 * removed when the process exits. Needed because testcontainers' reaper (Ryuk) cannot run where
 * no registry is reachable, so nothing else would remove forgotten containers and networks.
 *
 * An `exit` handler may only do synchronous work, hence the Docker CLI through spawnSync.
 */
import { spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

const containers = new Set<string>();
const networks = new Set<string>();
const processes = new Set<ChildProcess>();
let installed = false;

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

function install(): void {
  if (installed) return;
  installed = true;
  process.once('exit', removeEverythingLeft);
}

function removeEverythingLeft(): void {
  for (const child of processes) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  if (containers.size > 0) {
    spawnSync('docker', ['rm', '--force', '--volumes', ...containers], { stdio: 'ignore', timeout: 30_000 });
  }
  if (networks.size > 0) {
    spawnSync('docker', ['network', 'rm', ...networks], { stdio: 'ignore', timeout: 30_000 });
  }
}
