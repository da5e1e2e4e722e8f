/**
 * The `replimq` package's root directory (where its package.json and `proto/` are): the nearest
 * ancestor of this module whose package.json names the package. Found by looking upwards rather
 * than at a fixed depth because the same code runs from `src/` (tests, tsx), `dist/`, and the
 * start-up bundle in `dist/bundle/`, where every module shares the bundle chunk's location.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'replimq';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached !== undefined) return cached;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (namesPackage(join(dir, 'package.json'))) return (cached = dir);
    if (dirname(dir) === dir) throw new Error(`no package.json of ${PACKAGE_NAME} above ${start}`);
  }
}

function namesPackage(manifest: string): boolean {
  if (!existsSync(manifest)) return false;
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
}
