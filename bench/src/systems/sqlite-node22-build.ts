/**
 * better-sqlite3 for Node 22, built beside (never over) the workspace's Node 20 build: its source
 * (the package ships SQLite's amalgamation) and its one runtime dependency chain are copied into
 * `bench/.cache/better-sqlite3-abi<N>/node_modules`, then compiled there with node-gyp against the
 * Node 22 distribution's own headers, as `.ci/run` does for its Node 22 pass — offline, 1–2 minutes
 * once, reused afterwards. Servers find it through `sqlite-node22-preload.ts`.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CACHE_DIRECTORY, type NodeRuntime } from './node-runtime.js';

const require = createRequire(import.meta.url);
/** What the copy needs at run time: the addon loader and its own dependency. */
const RUNTIME_PACKAGES = ['better-sqlite3', 'bindings', 'file-uri-to-path'];
const SKIPPED_IN_COPY = new Set(['build', 'node_modules']);

export interface SqliteBuild {
  /** Node flags that make the server load this build. */
  nodeFlags: string[];
  env: Record<string, string>;
}

const builds = new Map<string, SqliteBuild | string>();

/** The build for `runtime` (made on first use), or why it could not be made. */
export function sqliteBuildFor(runtime: NodeRuntime): SqliteBuild | string {
  const cached = builds.get(runtime.execPath);
  if (cached) return cached;
  const outcome = build(runtime);
  builds.set(runtime.execPath, outcome);
  return outcome;
}

function build(runtime: NodeRuntime): SqliteBuild | string {
  if (!runtime.home) return `no headers found next to ${runtime.execPath} to build better-sqlite3 against`;
  let abi: string;
  try {
    abi = execFileSync(runtime.execPath, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).trim();
  } catch (error) {
    return `${runtime.execPath} did not run: ${(error as Error).message.split('\n')[0]}`;
  }
  const root = join(CACHE_DIRECTORY, `better-sqlite3-abi${abi}`);
  const entry = join(root, 'node_modules/better-sqlite3/lib/index.js');
  const addon = join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
  const result: SqliteBuild = {
    nodeFlags: ['--import', new URL('./sqlite-node22-preload.js', import.meta.url).href],
    env: { REPLIMQ_BENCH_BETTER_SQLITE3: entry },
  };
  if (existsSync(addon)) return result;
  try {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(join(root, 'node_modules'), { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'bench-better-sqlite3', private: true }));
    for (const name of RUNTIME_PACKAGES) {
      const source = dirname(require.resolve(`${name}/package.json`, { paths: [dirname(require.resolve('better-sqlite3'))] }));
      cpSync(source, join(root, 'node_modules', name), { recursive: true, filter: (path) => !SKIPPED_IN_COPY.has(path.slice(source.length + 1)) });
    }
    console.log(`building better-sqlite3 for ${runtime.version} (ABI ${abi}) in ${root} (once, 1–2 minutes)`);
    // npm is a `#!/usr/bin/env node` script: with Node 22 first on PATH, npm, node-gyp and the
    // install script all run on Node 22 and build for its ABI.
    execFileSync('npm', ['rebuild', 'better-sqlite3', '--ignore-scripts=false', `--nodedir=${runtime.home}`], {
      cwd: root,
      env: { ...process.env, PATH: `${dirname(runtime.execPath)}:${process.env['PATH'] ?? ''}` },
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 600_000,
    });
  } catch (error) {
    return `better-sqlite3 could not be built for ${runtime.version}: ${(error as Error).message.split('\n').slice(0, 2).join(' ')}`;
  }
  return existsSync(addon) ? result : `better-sqlite3 built for ${runtime.version} but ${addon} is missing`;
}
