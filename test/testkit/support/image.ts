/**
 * Makes sure a Docker engine answers (in CI only: scripts/docker/ensure-engine.sh starts or
 * installs it) and that the tests' image exists and is not older than the built server, building
 * it with scripts/docker/build-image.sh (the testkit's own builder, ~15 s) when it is.
 *
 * The tests' image is `REPLIMQ_IMAGE` when set, else a tag of this checkout's own
 * (`replimq:<version>-checkout-<hash of its path>`), never the shared `replimq:<version>`: the
 * freshness check compares times, so two checkouts testing at once on one engine rebuilt the
 * shared tag from each other's server in turn and ran their containers on the other's code.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
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

/** `replimq:<version>-checkout-<8 hex digits of this checkout's path>`. */
export function checkoutImage(): string {
  return `${DEFAULT_IMAGE}-checkout-${createHash('sha256').update(repoRoot).digest('hex').slice(0, 8)}`;
}

/**
 * The image the container suites run, exported as `REPLIMQ_IMAGE` so that the testkit's default
 * (`defaultImage()`) and every child process a test starts pick it: vitest's workers inherit the
 * environment the global setup leaves.
 */
export function useTestImage(): string {
  process.env.REPLIMQ_IMAGE ??= checkoutImage();
  return process.env.REPLIMQ_IMAGE;
}

export function ensureImage(image = useTestImage()): void {
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
