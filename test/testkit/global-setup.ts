/**
 * vitest globalSetup for the testkit suites (vitest.config.ts: `globalSetup`): once per run, in CI
 * start the Docker engine if none answers, then build the default image if it is missing or older
 * than the built server. Outside CI without an engine it does nothing: the suites skip.
 * The container suite does the same in its beforeAll, so it also runs without this setup.
 */
import { probeDocker } from '../../client/src/docker-engine.js';
import { ensureEngineInCi, ensureImage } from './support/image.js';

export default async function setup(): Promise<void> {
  await ensureEngineInCi();
  if ((await probeDocker()).reachable) ensureImage();
}
