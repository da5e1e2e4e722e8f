/**
 * The `replimq` package installed beside the testkit: its version names the default image
 * (`replimq:<version>`), so that an upgrade never runs an image built from an older server.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export function serverManifestPath(): string {
  return createRequire(import.meta.url).resolve('replimq/package.json');
}

export function serverVersion(): string {
  return (JSON.parse(readFileSync(serverManifestPath(), 'utf8')) as { version: string }).version;
}
