/**
 * The build context of the replimq image, staged from the `replimq` package installed beside the
 * testkit (or the server workspace of a checkout): the server's package.json, bin/, dist/ and
 * proto/, its Dockerfile, and its production dependency closure as this machine resolved it.
 *
 * The closure is found the way Node finds modules (node_modules directories up from each
 * package), so it works for any npm layout, hoisted or nested. It serves both bases:
 * - a public Node base gets `package-lock.json`, pinning every package to the version installed
 *   here, and runs `npm ci` itself (native modules are built for the base's own Node);
 * - the local base, which carries this machine's own `node`, gets the packages themselves, native
 *   addons as compiled here (better-sqlite3 matches that node's ABI and glibc), no npm needed.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { ReplimqTestkitError } from './errors.js';
import { serverManifestPath } from './server-version.js';

interface PackageJson {
  name: string;
  version: string;
  license?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  bin?: string | Record<string, string>;
  engines?: Record<string, string>;
  scripts?: Record<string, string>;
}

/** One package of the closure: where it is here, where it goes in the image (under /app). */
export interface PlacedPackage {
  manifest: PackageJson;
  hostDir: string;
  /** `node_modules/x` or `node_modules/a/node_modules/x`. */
  imagePath: string;
}

export interface ServerPackage {
  dir: string;
  manifest: PackageJson;
  /** Where replication.proto's directory is: proto/ in the package, ../proto in a checkout. */
  protoDir: string;
  dockerfile: string;
}

/** The installed `replimq` package this testkit runs against. */
export function locateServerPackage(): ServerPackage {
  let manifestPath: string;
  try {
    manifestPath = serverManifestPath();
  } catch (error) {
    throw new ReplimqTestkitError('cannot find the "replimq" package to build the image from: install it beside the testkit', {
      cause: error,
    });
  }
  const dir = dirname(realpathSync(manifestPath));
  const manifest = readManifest(dir);
  const protoDir = [join(dir, 'proto'), join(dir, '..', 'proto')].find((candidate) => existsSync(join(candidate, 'replication.proto')));
  const dockerfile = join(dir, 'Dockerfile');
  if (!protoDir || !existsSync(dockerfile) || !existsSync(join(dir, 'dist', 'main.js'))) {
    throw new ReplimqTestkitError(`the replimq package in ${dir} is incomplete (needs dist/, proto/ and its Dockerfile; in a checkout, run "npm run build")`);
  }
  return { dir, manifest, protoDir, dockerfile };
}

/** Every production dependency of `root`, transitively, placed so that Node resolves them in the image as here. */
export function productionClosure(root: string): PlacedPackage[] {
  const placed = new Map<string, PlacedPackage>();
  const visit = (hostDir: string, imagePath: string): void => {
    const manifest = readManifest(hostDir);
    const wanted = { ...manifest.dependencies, ...manifest.optionalDependencies };
    for (const name of Object.keys(wanted)) {
      const found = resolvePackageDir(hostDir, name);
      if (!found) {
        if (manifest.optionalDependencies?.[name] !== undefined) continue;
        throw new ReplimqTestkitError(`${manifest.name} needs ${name}, which is not installed (looked up from ${hostDir})`);
      }
      const dependency = readManifest(found);
      const slot = chooseSlot(placed, imagePath, name, dependency.version);
      if (slot === undefined) continue; // resolves to the same package already placed
      placed.set(slot, { manifest: dependency, hostDir: found, imagePath: slot });
      visit(found, slot);
    }
  };
  visit(root, '');
  return [...placed.values()].sort((a, b) => a.imagePath.localeCompare(b.imagePath));
}

/**
 * Where `name` goes for a package at `from`: as high as possible (like npm's hoisting), unless a
 * different package of that name is already on the way up, which would shadow it.
 */
function chooseSlot(placed: Map<string, PlacedPackage>, from: string, name: string, version: string): string | undefined {
  const candidates = lookupPath(from).map((base) => `${base}node_modules/${name}`);
  for (const candidate of candidates) {
    const there = placed.get(candidate);
    if (!there) continue;
    // The same name and version is the same package (a tree npm did not fully deduplicate).
    return there.manifest.version === version ? undefined : candidates[0];
  }
  return candidates[candidates.length - 1];
}

/** The directories Node searches from a package at `imagePath`, nearest first, as `prefix/`. */
function lookupPath(imagePath: string): string[] {
  const bases: string[] = [];
  const parts = imagePath === '' ? [] : imagePath.split('/');
  for (let end = parts.length; end >= 0; end--) {
    if (end > 0 && parts[end - 1] === 'node_modules') continue;
    // A scope's directory (`@grpc`) is no package: its package is one segment further down.
    if (end > 0 && parts[end - 1]!.startsWith('@')) continue;
    const prefix = parts.slice(0, end).join('/');
    bases.push(prefix === '' ? '' : `${prefix}/`);
  }
  return bases;
}

function resolvePackageDir(from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (basename(dir) !== 'node_modules') {
      const candidate = join(dir, 'node_modules', ...name.split('/'));
      if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function readManifest(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
}

export type ContextKind = 'npm-ci' | 'prebuilt';

/**
 * Writes the context into `target`: Dockerfile, app/{package.json,bin,dist,proto} and either
 * app/package-lock.json (`npm-ci`) or app/node_modules (`prebuilt`). Returns the package count.
 */
export function stageContext(server: ServerPackage, target: string, kind: ContextKind): number {
  const app = join(target, 'app');
  mkdirSync(app, { recursive: true });
  cpSync(server.dockerfile, join(target, 'Dockerfile'));
  cpSync(join(server.dir, 'package.json'), join(app, 'package.json'));
  for (const part of ['bin', 'dist']) {
    cpSync(join(server.dir, part), join(app, part), { recursive: true, filter: (source) => !source.endsWith('.tsbuildinfo') });
  }
  cpSync(server.protoDir, join(app, 'proto'), { recursive: true });
  const closure = productionClosure(server.dir);
  if (kind === 'npm-ci') {
    writeFileSync(join(app, 'package-lock.json'), `${JSON.stringify(lockfileOf(server.manifest, closure), null, 2)}\n`);
  } else {
    // Type declarations (protobufjs depends on @types/node) are no use at run time.
    for (const placed of closure) {
      if (!placed.manifest.name.startsWith('@types/')) copyPackage(placed, join(app, ...placed.imagePath.split('/')));
    }
  }
  return closure.length;
}

/** A package's files without its own node_modules (each dependency is placed on its own). */
function copyPackage(placed: PlacedPackage, destination: string): void {
  const nested = join(placed.hostDir, 'node_modules');
  const keep = runtimeFilter(placed);
  cpSync(placed.hostDir, destination, {
    recursive: true,
    dereference: true,
    filter: (source) => source !== nested && !source.startsWith(nested + sep) && keep(relative(placed.hostDir, source)),
  });
}

/**
 * better-sqlite3 needs only its JavaScript and the compiled addon at run time: its SQLite sources
 * and build intermediates are ~20 MB the image need not carry.
 */
function runtimeFilter(placed: PlacedPackage): (path: string) => boolean {
  if (placed.manifest.name !== 'better-sqlite3') return () => true;
  return (path) =>
    path === '' ||
    path === 'package.json' ||
    path === 'LICENSE' ||
    path === 'lib' ||
    path.startsWith(`lib${sep}`) ||
    path === 'build' ||
    path === join('build', 'Release') ||
    path === join('build', 'Release', 'better_sqlite3.node');
}

/** npm's lockfile (v3) of the closure: exact versions, resolved from the registry npm is told to use. */
function lockfileOf(root: PackageJson, closure: readonly PlacedPackage[]): object {
  const packages: Record<string, object> = {
    '': pick(root, ['name', 'version', 'license', 'dependencies', 'optionalDependencies', 'bin', 'engines']),
  };
  for (const { manifest, imagePath } of closure) {
    const hasInstallScript = ['preinstall', 'install', 'postinstall'].some((script) => manifest.scripts?.[script] !== undefined);
    packages[imagePath] = {
      ...pick(manifest, ['version', 'license', 'dependencies', 'optionalDependencies', 'bin', 'engines']),
      ...(hasInstallScript ? { hasInstallScript: true } : {}),
    };
  }
  return { name: root.name, version: root.version, lockfileVersion: 3, requires: true, packages };
}

function pick(manifest: PackageJson, keys: readonly (keyof PackageJson)[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of keys) if (manifest[key] !== undefined) picked[key] = manifest[key];
  return picked;
}
