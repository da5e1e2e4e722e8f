/**
 * The second safety net, for what exit-cleanup.ts cannot catch (a test process killed with
 * SIGKILL, a worker torn down mid-test): every container and network the testkit creates carries
 * its owner's host name and pid, and the first start in a later process removes those whose owner
 * on this host is gone. Does the reaper's (Ryuk's) job where its image cannot be pulled.
 */
import { hostname } from 'node:os';
import { getContainerRuntimeClient } from 'testcontainers';
import { debugLog } from './debug-log.js';
import { processAlive } from './process-alive.js';

export const TESTKIT_LABEL = 'org.replimq.testkit';
const OWNER_HOST_LABEL = 'org.replimq.testkit.owner-host';
const OWNER_PID_LABEL = 'org.replimq.testkit.owner-pid';
const log = debugLog('replimq:cleanup');

let sweep: Promise<void> | undefined;

/** Labels for a container or network this process owns. */
export function ownerLabels(): Record<string, string> {
  return { [TESTKIT_LABEL]: 'true', [OWNER_HOST_LABEL]: hostname(), [OWNER_PID_LABEL]: String(process.pid) };
}

/** Removes orphans once per process; never fails the caller (a sweep is a courtesy). */
export function sweepOrphansOnce(): Promise<void> {
  sweep ??= sweepOrphans().catch((error: unknown) => log(`orphan sweep failed: ${String(error)}`));
  return sweep;
}

/** Removes the containers and networks whose owning process on this host is gone. */
export async function sweepOrphans(): Promise<void> {
  const docker = (await getContainerRuntimeClient()).container.dockerode;
  const mine = { label: [`${OWNER_HOST_LABEL}=${hostname()}`] };
  for (const container of await docker.listContainers({ all: true, filters: mine })) {
    if (ownerAlive(container.Labels[OWNER_PID_LABEL])) continue;
    log(`removing orphaned container ${container.Id.slice(0, 12)}`);
    await docker.getContainer(container.Id).remove({ force: true, v: true });
  }
  for (const network of await docker.listNetworks({ filters: mine })) {
    if (ownerAlive(network.Labels?.[OWNER_PID_LABEL])) continue;
    log(`removing orphaned network ${network.Name}`);
    await docker.getNetwork(network.Id).remove();
  }
}

function ownerAlive(pid: string | undefined): boolean {
  const owner = Number(pid);
  if (!Number.isInteger(owner) || owner <= 0) return true; // not ours to judge
  return processAlive(owner);
}
