/**
 * vitest globalSetup for the testkit suites (vitest.config.ts: `globalSetup`): once per run,
 * in CI start the Docker engine if needed, then build `replimq:local` if it is missing or older
 * than the built server. Without an engine outside CI it does nothing: the suites skip.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { probeDocker } from '../../client/src/docker-engine.js';
import { ensureImage } from './support/image.js';

export default async function setup(): Promise<void> {
  if (!(await probeDocker()).reachable) {
    if (process.env.CI !== 'true') return;
    execFileSync(fileURLToPath(new URL('../../scripts/docker/ensure-engine.sh', import.meta.url)), { stdio: 'inherit' });
  }
  ensureImage();
}
