/**
 * Preloaded (`--import`) into profiled servers: V8 writes `--cpu-prof` output only on a normal
 * exit, and a process killed by SIGTERM's default action never gets there.
 */
process.on('SIGTERM', () => process.exit(0));
