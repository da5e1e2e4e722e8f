/**
 * Is a Docker engine reachable? Decides the default runtime and lets test suites skip with a
 * reason. Asks the engine's `/_ping` over `DOCKER_HOST` (unix or tcp) or /var/run/docker.sock.
 */
import { request } from 'node:http';
import type { RequestOptions } from 'node:http';

export interface DockerProbe {
  reachable: boolean;
  /** Where the engine was looked for, and what went wrong if it was not reachable. */
  detail: string;
}

export async function probeDocker(timeoutMs = 2_000): Promise<DockerProbe> {
  const target = engineAddress(process.env.DOCKER_HOST);
  return new Promise((resolve) => {
    const req = request({ ...target.options, path: '/_ping', method: 'GET', timeout: timeoutMs }, (response) => {
      response.resume();
      resolve({
        reachable: response.statusCode === 200,
        detail: `${target.description} answered ${response.statusCode}`,
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ reachable: false, detail: `${target.description}: ${error.message}` }));
    req.end();
  });
}

export async function isDockerReachable(): Promise<boolean> {
  return (await probeDocker()).reachable;
}

function engineAddress(dockerHost: string | undefined): { options: RequestOptions; description: string } {
  if (dockerHost?.startsWith('tcp://')) {
    const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
    return { options: { host: url.hostname, port: url.port || 2375 }, description: `Docker engine at ${dockerHost}` };
  }
  const socketPath = dockerHost?.startsWith('unix://') ? dockerHost.slice('unix://'.length) : '/var/run/docker.sock';
  return { options: { socketPath }, description: `Docker engine on ${socketPath}` };
}
