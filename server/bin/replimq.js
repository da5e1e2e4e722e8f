#!/usr/bin/env node
// The `replimq` command. The code lives in dist/ (built by `npm run build`).
import { statSync } from 'node:fs';
import module from 'node:module';

// Start-up is mostly compiling modules (ours, gRPC's, prom-client's): Node ≥ 22.1 can keep the
// compiled code on disk (by default under the OS temp directory) and reuse it at the next start.
// A cache it cannot write (read-only file system) only means compiling as before: Node reports
// that in the returned status and never throws. NODE_COMPILE_CACHE / NODE_DISABLE_COMPILE_CACHE
// keep their meaning. Node 20 has no such API.
module.enableCompileCache?.();

// Imported only now: a static import would be compiled before the cache is on.
const { main } = await import(entry());
await main(process.argv.slice(2), process.env);

/**
 * dist/bundle/ holds the same code as dist/ in a few files (scripts/bundle-server.mjs, run by
 * `npm run build`): Node's ESM loader takes ~40% less CPU to start it than dist/'s ~165 modules.
 * It is used unless missing or older than the last tsc build in a checkout (tsc run on its own
 * after `npm run build`: dist/ is the newer code). An installed package has no build info.
 */
function entry() {
  const bundle = modifiedMs(new URL('../dist/bundle/main.js', import.meta.url));
  const compiled = modifiedMs(new URL('../tsconfig.tsbuildinfo', import.meta.url));
  return bundle !== undefined && (compiled === undefined || bundle >= compiled) ? '../dist/bundle/main.js' : '../dist/main.js';
}

function modifiedMs(url) {
  return statSync(url, { throwIfNoEntry: false })?.mtimeMs;
}
