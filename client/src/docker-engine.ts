/**
 * Is a container runtime reachable? Decides the default runtime and lets test suites skip with a
 * reason. Asks testcontainers' own runtime client, so that every setup testcontainers finds is
 * found here too, in its order: `tc.host` in ~/.testcontainers.properties (Testcontainers
 * Desktop/Cloud), `DOCKER_HOST` or `docker.host` in that file (remote engines, TLS, Colima's or
 * Podman's socket named there), /var/run/docker.sock, then the rootless and Docker Desktop
 * sockets ($XDG_RUNTIME_DIR/docker.sock, ~/.docker/run/docker.sock, ~/.docker/desktop/docker.sock,
 * /run/user/<uid>/docker.sock). A second, hand-written search would disagree with the one the
 * containers are then started through.
 */
import { getContainerRuntimeClient } from 'testcontainers';
import type { ContainerRuntimeClient } from 'testcontainers';
import { describeError } from './errors.js';

export interface DockerProbe {
  reachable: boolean;
  /** Which engine answered (address, version, OS), or why none was found. */
  detail: string;
}

export async function probeDocker(timeoutMs = 5_000): Promise<DockerProbe> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no container runtime answered within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  try {
    const client = await Promise.race([getContainerRuntimeClient(), timeout]);
    return { reachable: true, detail: describeRuntime(client) };
  } catch (error) {
    return {
      reachable: false,
      detail:
        `testcontainers found no container runtime (${describeError(error)}; looked at tc.host and docker.host in ` +
        '~/.testcontainers.properties, DOCKER_HOST, /var/run/docker.sock and the rootless/Docker Desktop sockets)',
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Async, because finding the runtime means asking it: `describe.skipIf(!(await isDockerReachable()))`. */
export async function isDockerReachable(): Promise<boolean> {
  return (await probeDocker()).reachable;
}

/** What answered, and where the client connects. */
export function describeRuntime(client: ContainerRuntimeClient): string {
  const runtime = client.info.containerRuntime;
  return `engine ${runtime.serverVersion} (${runtime.operatingSystem}) at ${engineAddress(client)}, containers reached on ${runtime.host}`;
}

/** The engine's address as `DOCKER_HOST` spells it, from dockerode's own connection options. */
export function engineAddress(client: ContainerRuntimeClient): string {
  const modem = client.container.dockerode.modem as { socketPath?: unknown; host?: unknown; port?: unknown };
  return typeof modem.socketPath === 'string' && modem.socketPath !== ''
    ? `unix://${modem.socketPath}`
    : `tcp://${String(modem.host)}:${String(modem.port)}`;
}
