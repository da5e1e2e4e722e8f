/**
 * Can the container suites run here? They need a Docker engine; in CI (`CI=true`) they are never
 * skipped: a missing engine fails them.
 */
import { probeDocker } from '../../../client/src/docker-engine.js';

export const inCi = process.env.CI === 'true';

const docker = await probeDocker();

/** Why container suites are skipped, or undefined when they run. */
export const containerSkipReason: string | undefined =
  docker.reachable || inCi ? undefined : `no Docker engine reachable (${docker.detail}); run scripts/docker/ensure-engine.sh`;

if (containerSkipReason) console.warn(`replimq testkit: container suites skipped: ${containerSkipReason}`);
