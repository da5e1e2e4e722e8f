/** The `replimq` package's own version (from its package.json), for `--version` and build info. */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function packageVersion(): string {
  if (cached !== undefined) return cached;
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  cached = manifest.version ?? 'unknown';
  return cached;
}
