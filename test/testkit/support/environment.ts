/**
 * What the testkit suites can run on here: a Docker engine (containers), and a server build that
 * runs clusters. In CI (`CI=true`) container suites are never skipped: a missing engine fails.
 */
import { spawnSync } from 'node:child_process';
import { probeDocker } from '../../../client/src/docker-engine.js';
import { resolveServerBin } from '../../../client/src/server-bin.js';

export const inCi = process.env.CI === 'true';

const docker = await probeDocker();

/** Why container suites are skipped, or undefined when they run. */
export const containerSkipReason: string | undefined =
  docker.reachable || inCi ? undefined : `no Docker engine reachable (${docker.detail}); run scripts/docker/ensure-engine.sh`;

/**
 * Why cluster scenarios are skipped, or undefined when they run: a server build that refuses
 * `--peers` says so at once, one that accepts it keeps running (and is stopped here).
 */
export const clusterSkipReason: string | undefined = probeClusterSupport();

function probeClusterSupport(): string | undefined {
  const probe = spawnSync(
    process.execPath,
    [resolveServerBin(), '--sqs-port', '0', '--admin-port', '0', '--grpc-port', '0', '--bind', '127.0.0.1', '--node-id', 'n1', '--peers', 'n1@127.0.0.1:1,n2@127.0.0.1:2,n3@127.0.0.1:3'],
    { timeout: 2_000, encoding: 'utf8' },
  );
  const said = `${probe.stdout ?? ''}${probe.stderr ?? ''}`;
  return /cannot run a cluster/.test(said) ? `this server build cannot run a cluster yet: ${said.trim()}` : undefined;
}
