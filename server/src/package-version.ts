/** The `replimq` package's own version (from its package.json), for `--version` and build info. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './package-root.js';

let cached: string | undefined;

export function packageVersion(): string {
  if (cached !== undefined) return cached;
  const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string };
  cached = manifest.version ?? 'unknown';
  return cached;
}
