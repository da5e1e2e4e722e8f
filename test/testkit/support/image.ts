/**
 * Makes sure a Docker engine answers (in CI only: scripts/docker/ensure-engine.sh starts or
 * installs it) and that the default image (`replimq:<version>`) exists and is not older than the
 * built server, building it with scripts/docker/build-image.sh (the testkit's own builder, a few
 * seconds with Docker's cache) when it is.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_IMAGE } from '../../../client/src/container.js';
import { probeDocker } from '../../../client/src/docker-engine.js';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');

/** In CI, start the engine when none answers; elsewhere leave the machine alone. */
export async function ensureEngineInCi(): Promise<void> {
  if (process.env.CI !== 'true' || (await probeDocker()).reachable) return;
  execFileSync(join(repoRoot, 'scripts', 'docker', 'ensure-engine.sh'), { stdio: ['ignore', 'inherit', 'inherit'] });
}

export function ensureImage(image = process.env.REPLIMQ_IMAGE ?? DEFAULT_IMAGE): void {
  const dist = join(repoRoot, 'server', 'dist');
  if (!existsSync(join(dist, 'main.js'))) {
    throw new Error(`the server is not built (${dist}/main.js missing): run "npm run build" first`);
  }
  const created = imageCreatedAt(image);
  if (created !== undefined && created >= newestMtime(dist)) return;
  execFileSync(join(repoRoot, 'scripts', 'docker', 'build-image.sh'), {
    env: { ...process.env, REPLIMQ_IMAGE: image },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

function imageCreatedAt(image: string): number | undefined {
  const inspect = spawnSync('docker', ['image', 'inspect', '--format', '{{.Created}}', image], { encoding: 'utf8' });
  return inspect.status === 0 ? Date.parse(inspect.stdout.trim()) : undefined;
}

function newestMtime(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}
