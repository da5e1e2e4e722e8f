/**
 * A base image made without any registry: a root filesystem holding only this machine's `node`,
 * the shared libraries it links (the loader included, at the same paths) and the few files in
 * /etc that glibc and Node read, imported into the engine. For machines where no registry
 * answers, so that `node:…-slim` cannot be pulled. Because the image runs the host's own node,
 * native modules built here (better-sqlite3) match its ABI and glibc. It has no shell.
 *
 * Linux only (the engine must run this machine's binaries): where the host is not Linux, the
 * public base is the only way. Made again only when the host's node changed (by checksum label).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ContainerRuntimeClient } from 'testcontainers';
import { ReplimqTestkitError } from './errors.js';

export const LOCAL_BASE_IMAGE = 'replimq-base:local';
/** On the base image: the checksum of the node binary it carries. */
export const NODE_CHECKSUM_LABEL = 'replimq.base.node-sha256';

/** Makes `image` from the host's node unless it already holds this very binary. */
export async function ensureLocalBaseImage(
  client: ContainerRuntimeClient,
  progress: (line: string) => void,
  image = LOCAL_BASE_IMAGE,
): Promise<void> {
  if (process.platform !== 'linux') {
    throw new ReplimqTestkitError(`a local base image needs a Linux host (this is ${process.platform}); let the engine pull a Node image instead`);
  }
  const nodeBinary = realpathSync(process.execPath);
  const checksum = createHash('sha256').update(readFileSync(nodeBinary)).digest('hex').slice(0, 16);
  if ((await imageLabel(client, image, NODE_CHECKSUM_LABEL)) === checksum) return;
  progress(`making the base image ${image} from this machine's node ${process.version} (${nodeBinary})`);
  const root = mkdtempSync(join(tmpdir(), 'replimq-base-'));
  try {
    writeRootFilesystem(root, nodeBinary);
    await importRootFilesystem(client, root, image, [
      'ENV PATH=/usr/local/bin:/usr/bin:/bin',
      `ENV NODE_VERSION=${process.versions.node}`,
      `LABEL ${NODE_CHECKSUM_LABEL}=${checksum}`,
      'CMD ["node"]',
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function writeRootFilesystem(root: string, nodeBinary: string): void {
  for (const dir of ['usr/local/bin', 'tmp', 'etc/ssl/certs', 'app', 'home/node']) mkdirSync(join(root, dir), { recursive: true });
  chmodSync(join(root, 'tmp'), 0o1777);
  copyFileSync(nodeBinary, join(root, 'usr/local/bin/node'));
  chmodSync(join(root, 'usr/local/bin/node'), 0o755);
  copyLinkedLibraries(root, [nodeBinary]);
  // uid 1000 `node`, like the public Node images, so that the Dockerfile's USER works on both.
  writeFileSync(
    join(root, 'etc/passwd'),
    'root:x:0:0:root:/root:/usr/sbin/nologin\nnode:x:1000:1000:node:/home/node:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n',
  );
  writeFileSync(join(root, 'etc/group'), 'root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n');
  writeFileSync(join(root, 'etc/nsswitch.conf'), 'hosts: files dns\n');
  const certificates = '/etc/ssl/certs/ca-certificates.crt';
  if (existsSync(certificates)) copyFileSync(certificates, join(root, certificates));
}

/** The value of `label` on `image`, if the engine has that image. */
export async function imageLabel(client: ContainerRuntimeClient, image: string, label: string): Promise<string | undefined> {
  return client.container.dockerode
    .getImage(image)
    .inspect()
    .then((info) => info.Config.Labels?.[label])
    .catch(() => undefined);
}

/** `root` as the image's whole filesystem (owned by root), with Dockerfile-style `changes`. */
export async function importRootFilesystem(client: ContainerRuntimeClient, root: string, image: string, changes: readonly string[]): Promise<void> {
  const tar = spawn('tar', ['-C', root, '--numeric-owner', '--owner=0', '--group=0', '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const [repo, tag = 'latest'] = splitTag(image);
  const stream = await client.container.dockerode.importImage(tar.stdout, { repo, tag, changes } as object);
  await new Promise<void>((resolve, reject) => {
    client.container.dockerode.modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve()));
  });
}

/** Copies into `root`, at the same paths, every library the binaries link (the loader included). */
export function copyLinkedLibraries(root: string, binaries: readonly string[]): void {
  for (const library of new Set(binaries.flatMap(linkedLibraries))) {
    const target = join(root, library);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(realpathSync(library), target);
  }
}

/** Every library the dynamic linker resolves for `binary`, as `ldd` lists them. */
function linkedLibraries(binary: string): string[] {
  const ldd = spawnSync('ldd', [binary], { encoding: 'utf8' });
  if (ldd.status !== 0) throw new ReplimqTestkitError(`ldd ${binary} failed: ${ldd.stderr || ldd.error?.message}`);
  return [...new Set(ldd.stdout.match(/\/\S+/g) ?? [])];
}

export function splitTag(image: string): [string, string | undefined] {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? [image.slice(0, colon), image.slice(colon + 1)] : [image, undefined];
}
