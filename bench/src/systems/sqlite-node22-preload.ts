/**
 * Preloaded (`--import`) into replimq nodes that run on Node 22 with SQLite storage: points
 * `better-sqlite3` at the build named by `REPLIMQ_BENCH_BETTER_SQLITE3` (see sqlite-node22-build.ts).
 */
import { register } from 'node:module';

const target = process.env['REPLIMQ_BENCH_BETTER_SQLITE3'];
if (target) register('./sqlite-node22-hooks.js', import.meta.url, { data: { target } });
