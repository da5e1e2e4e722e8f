#!/usr/bin/env node
// The `replimq` command. The code lives in dist/ (built by `npm run build`).
import module from 'node:module';

// Start-up is mostly compiling modules (ours, gRPC's, prom-client's): Node ≥ 22.1 can keep the
// compiled code on disk (by default under the OS temp directory) and reuse it at the next start.
// A cache it cannot write (read-only file system) only means compiling as before: Node reports
// that in the returned status and never throws. NODE_COMPILE_CACHE / NODE_DISABLE_COMPILE_CACHE
// keep their meaning. Node 20 has no such API.
module.enableCompileCache?.();

// Imported only now: a static import would be compiled before the cache is on.
const { main } = await import('../dist/main.js');
await main(process.argv.slice(2), process.env);
