/**
 * Module hooks (registered by `sqlite-node22-preload.ts`) that send the server's
 * `import Database from 'better-sqlite3'` to a copy built for this Node's ABI: the workspace's
 * copy is built for Node 20, and rebuilding it in place would break every Node 20 run.
 */
import { pathToFileURL } from 'node:url';

let target: string | undefined;

export function initialize(data: { target: string }): void {
  target = pathToFileURL(data.target).href;
}

export async function resolve(
  specifier: string,
  context: unknown,
  nextResolve: (specifier: string, context: unknown) => Promise<unknown>,
): Promise<unknown> {
  if (specifier === 'better-sqlite3' && target) return { url: target, format: 'commonjs', shortCircuit: true };
  return nextResolve(specifier, context);
}
