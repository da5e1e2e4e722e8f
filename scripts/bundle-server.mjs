// The server's start-up bundle: `server/dist/main.js` and everything of dist/ it imports, as a few
// files in `server/dist/bundle/` (part of `npm run build`, after tsc). `server/bin/replimq.js`
// runs it when it is at least as new as the last tsc build, else dist/ as before.
//
// Why: a single node's start-up is mostly Node's ESM loader resolving, reading, compiling and
// linking ~165 small modules of dist/; Node 20 has no compile cache. The same code in a few
// files starts with ~40% less CPU (measured: bench/README.md, "startup bundle").
// Packages stay external (imported from node_modules as before); the lazy imports (gRPC for a
// cluster, pg, the cluster command...) stay lazy as separate chunks.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const server = fileURLToPath(new URL('../server/', import.meta.url));
const outdir = `${server}dist/bundle`;

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [`${server}dist/main.js`],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: 'chunk-[hash]',
  // Chained to dist/'s own maps: under --enable-source-maps stack traces name the .ts lines.
  sourcemap: true,
  logLevel: 'warning',
});
