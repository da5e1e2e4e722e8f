/**
 * The image builds itself: when the node image is missing, the testkit builds it from the
 * Dockerfile and server shipped in the `replimq` package, once per machine, printing progress.
 *
 * Base: a public Node image where the engine has it or can pull it (`npm ci` runs in the image);
 * else, where no registry answers, a base made from this machine's own node (local-base-image.ts)
 * with the dependencies copied as built here. `REPLIMQ_BASE_IMAGE` names a base of your own.
 *
 * "Once per machine": concurrent test files (vitest's workers, separate runs) take a lock file in
 * the temporary directory; who waits finds the image there when the lock is released. A lock whose
 * owner died is taken over.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageName, getContainerRuntimeClient } from 'testcontainers';
import type { ContainerRuntimeClient } from 'testcontainers';
import { debugLog } from './debug-log.js';
import { ReplimqTestkitError, describeError } from './errors.js';
import { locateServerPackage, stageContext } from './image-context.js';
import type { ContextKind } from './image-context.js';
import { LOCAL_BASE_IMAGE, NODE_CHECKSUM_LABEL, ensureLocalBaseImage } from './local-base-image.js';
import { processAlive } from './process-alive.js';

/** The public base tried first: the Node LTS line the server is tested on. */
export const PUBLIC_BASE_IMAGE = 'node:22-bookworm-slim';

export interface BuildImageOptions {
  /** Base image (default `REPLIMQ_BASE_IMAGE`, else the public Node image, else a local one). */
  base?: string;
  /** Where progress lines go (default: stderr, prefixed `replimq-testkit:`). */
  progress?: (line: string) => void;
}

const log = debugLog('replimq:image');
const building = new Map<string, Promise<void>>();

export function printProgress(line: string): void {
  process.stderr.write(`replimq-testkit: ${line}\n`);
}

/** Builds `image` if the engine does not have it; concurrent callers on this machine share one build. */
export function ensureReplimqImage(image: string, options: BuildImageOptions = {}): Promise<void> {
  let pending = building.get(image);
  if (!pending) {
    pending = buildOncePerMachine(image, options).finally(() => building.delete(image));
    building.set(image, pending);
  }
  return pending;
}

async function buildOncePerMachine(image: string, options: BuildImageOptions): Promise<void> {
  const client = await getContainerRuntimeClient();
  const progress = options.progress ?? printProgress;
  const lock = join(tmpdir(), `replimq-image-${image.replace(/[^a-zA-Z0-9_.-]/g, '_')}.lock`);
  for (let waitedFor: string | undefined; ; ) {
    if (await imageExists(client, image)) return;
    const owner = tryLock(lock);
    if (owner === undefined) break;
    if (waitedFor !== owner) progress(`waiting for ${owner}, which is building ${image}`);
    waitedFor = owner;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  try {
    if (await imageExists(client, image)) return;
    await buildReplimqImage(image, { ...options, progress });
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Builds `image` now (also over an existing one): stages the context, picks the base, builds. */
export async function buildReplimqImage(image: string, options: BuildImageOptions = {}): Promise<void> {
  const client = await getContainerRuntimeClient();
  const progress = options.progress ?? printProgress;
  const started = Date.now();
  const server = locateServerPackage();
  progress(`building ${image} (replimq ${server.manifest.version} from ${server.dir}); first use on this machine only`);
  const { base, kind } = await chooseBase(client, options.base ?? process.env.REPLIMQ_BASE_IMAGE, progress);
  const context = mkdtempSync(join(tmpdir(), 'replimq-image-context-'));
  try {
    const packages = stageContext(server, context, kind);
    progress(`on ${base}: ${kind === 'npm-ci' ? `npm ci of ${packages} pinned packages in the image` : `${packages} packages as installed here`}`);
    await dockerBuild(client, context, {
      t: image,
      target: kind,
      buildargs: {
        BASE_IMAGE: base,
        VERSION: server.manifest.version,
        CREATED: new Date().toISOString(),
        REVISION: process.env.REPLIMQ_REVISION ?? 'unknown',
      },
      labels: { 'org.replimq.image.base-kind': kind },
    }, progress);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
  progress(`built ${image} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function chooseBase(
  client: ContainerRuntimeClient,
  explicit: string | undefined,
  progress: (line: string) => void,
): Promise<{ base: string; kind: ContextKind }> {
  if (explicit) return { base: explicit, kind: (await isLocalBase(client, explicit)) ? 'prebuilt' : 'npm-ci' };
  const name = ImageName.fromString(PUBLIC_BASE_IMAGE);
  if (!(await client.image.exists(name))) {
    try {
      progress(`pulling ${PUBLIC_BASE_IMAGE}`);
      await client.image.pull(name, { force: false, platform: undefined });
    } catch (error) {
      log(`pull of ${PUBLIC_BASE_IMAGE} failed: ${describeError(error)}`);
    }
  }
  // Whatever the pull said, the engine's answer decides.
  if (await imageExists(client, PUBLIC_BASE_IMAGE)) return { base: PUBLIC_BASE_IMAGE, kind: 'npm-ci' };
  progress(`no registry answers for ${PUBLIC_BASE_IMAGE}: using a base made from this machine's node`);
  await ensureLocalBaseImage(client, progress);
  return { base: LOCAL_BASE_IMAGE, kind: 'prebuilt' };
}

async function isLocalBase(client: ContainerRuntimeClient, image: string): Promise<boolean> {
  const info = await client.container.dockerode.getImage(image).inspect().catch(() => undefined);
  return info?.Config.Labels?.[NODE_CHECKSUM_LABEL] !== undefined;
}

async function imageExists(client: ContainerRuntimeClient, image: string): Promise<boolean> {
  // Not testcontainers' image.exists(): it remembers a yes for the process, and an image can go.
  return client.container.dockerode
    .getImage(image)
    .inspect()
    .then(() => true)
    .catch(() => false);
}

/** Docker's build API with the context as a tar stream; the build's own lines become progress. */
async function dockerBuild(
  client: ContainerRuntimeClient,
  context: string,
  options: { t: string; target: string; buildargs: Record<string, string>; labels: Record<string, string> },
  progress: (line: string) => void,
): Promise<void> {
  const tar = spawn('tar', ['-C', context, '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const dockerode = client.container.dockerode;
  const stream = await dockerode.buildImage(tar.stdout, { ...options, rm: true, forcerm: true } as object);
  const output: string[] = [];
  await new Promise<void>((resolve, reject) => {
    dockerode.modem.followProgress(
      stream,
      (error: Error | null) =>
        error
          ? reject(new ReplimqTestkitError(`building ${options.t} failed: ${error.message}\n${output.slice(-20).join('\n')}`, { cause: error }))
          : resolve(),
      (event: { stream?: string; error?: string }) => {
        const line = event.stream?.trim();
        if (!line) return;
        output.push(line);
        if (/^Step \d+\/\d+ :/.test(line)) progress(line.length > 120 ? `${line.slice(0, 117)}...` : line);
        else log(line);
      },
    );
  });
}

/** Creates the lock file, or returns who holds it; takes over a lock whose owner on this host died. */
function tryLock(path: string): string | undefined {
  const me = `${hostname()} ${process.pid}`;
  try {
    const fd = openSync(path, 'wx');
    writeSync(fd, me);
    closeSync(fd);
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const owner = readFileSync(path, 'utf8').trim();
  const [host, pid] = owner.split(' ');
  if (host === hostname() && !processAlive(Number(pid))) {
    rmSync(path, { force: true });
    return tryLock(path);
  }
  return owner === '' ? 'another process' : `process ${pid} on ${host}`;
}
