/**
 * The `replimq` package installed beside the testkit: its version names the default image
 * (`replimq:<version>`), so that an upgrade never runs an image built from an older server.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

export function serverManifestPath(): string {
  return require.resolve('replimq/package.json');
}

/**
 * The server's version; the testkit's own where the server cannot be resolved (the two are
 * released together), so that importing the testkit never fails over a missing optional part.
 */
export function serverVersion(): string {
  let manifest: string;
  try {
    manifest = serverManifestPath();
  } catch {
    manifest = fileURLToPath(new URL('../package.json', import.meta.url));
  }
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}
