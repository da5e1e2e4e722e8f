/**
 * The image a container runtime's shared PostgreSQL runs: `REPLIMQ_POSTGRES_IMAGE` if set; else
 * the official `postgres` image where the engine has it or a registry answers; else, where none
 * answers, an image made here from this machine's own PostgreSQL (Debian's `postgresql`): its
 * server, initdb, psql and pg_isready, the libraries they link, its share files and the time zone
 * data, imported as a root filesystem the way the node's local base image is (local-base-image.ts).
 *
 * Both kinds take the same command (`postgres -c …`), trust every connection and have `pg_isready`
 * and `psql` on the PATH, so the testkit treats them alike (it sets the stop signal, SIGINT: an
 * import cannot). Made again only when the host's PostgreSQL server binary changed (by checksum label).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { ImageName } from 'testcontainers';
import type { ContainerRuntimeClient } from 'testcontainers';
import { debugLog } from '../debug-log.js';
import { ImageUnavailableError, describeError } from '../errors.js';
import { copyLinkedLibraries, imageLabel, importRootFilesystem } from '../local-base-image.js';
import { findPostgresBinaries } from './local-postgres.js';

/** The public image tried first. */
export const OFFICIAL_POSTGRES_IMAGE = 'postgres:17-bookworm';
export const LOCAL_POSTGRES_IMAGE = 'replimq-postgres:local';
/** On the local image: the checksum of the `postgres` binary it carries. */
export const POSTGRES_CHECKSUM_LABEL = 'replimq.postgres.server-sha256';

const ENTRYPOINT = '/usr/local/bin/replimq-postgres-entrypoint';
const DATA_DIR = '/var/lib/postgresql/data';
const BINARIES = ['postgres', 'initdb', 'psql', 'pg_isready'];
const log = debugLog('replimq:image');

/**
 * First start: a cluster initialised as the official image's entrypoint does (superuser
 * `postgres`, trust, also over the network: a throwaway server for tests); later starts (a
 * restart) keep the data. dash's built-ins only: the image has no other tools.
 */
const ENTRYPOINT_SCRIPT = `#!/bin/sh
set -e
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  initdb -D "$PGDATA" -U postgres --auth=trust --encoding=UTF8 --no-locale --no-sync >/dev/null
  echo "host all all all trust" >> "$PGDATA/pg_hba.conf"
fi
exec "$@"
`;

export interface PostgresImageChoice {
  /** Image tried first (default `REPLIMQ_POSTGRES_IMAGE`, else the official one). */
  official?: string;
  /** This machine's PostgreSQL binaries (default: found as the process runtime finds them). */
  binDir?: string | undefined;
  progress: (line: string) => void;
}

/** The image to run, pulled or made as needed; an `ImageUnavailableError` names both ways when neither works. */
export async function ensurePostgresImage(client: ContainerRuntimeClient, choice: PostgresImageChoice): Promise<string> {
  const official = choice.official ?? process.env.REPLIMQ_POSTGRES_IMAGE ?? OFFICIAL_POSTGRES_IMAGE;
  const pullFailure = await pullIfMissing(client, official, choice.progress);
  if (pullFailure === undefined) return official;
  const binDir = 'binDir' in choice ? choice.binDir : findPostgresBinaries();
  if (!binDir || process.platform !== 'linux') {
    throw new ImageUnavailableError(
      `no PostgreSQL for withSharedPostgres() on the container runtime: the image ${official} is not on the Docker engine and could not be pulled (${pullFailure}), ` +
        `and this machine has no PostgreSQL binaries to make ${LOCAL_POSTGRES_IMAGE} from. Either let the engine reach a registry (or name an image it has with ` +
        `REPLIMQ_POSTGRES_IMAGE), or install PostgreSQL here (Debian: apt-get install postgresql); or use withRuntime('process')`,
      official,
    );
  }
  choice.progress(`no registry answers for ${official}: using ${LOCAL_POSTGRES_IMAGE}, made from this machine's PostgreSQL (${binDir})`);
  await ensureLocalPostgresImage(client, binDir, choice.progress);
  return LOCAL_POSTGRES_IMAGE;
}

/** Pulls that failed in this process: not tried again for every cluster. */
const pullFailures = new Map<string, string>();

/** Undefined once the engine has `image`; else why the pull failed. */
async function pullIfMissing(client: ContainerRuntimeClient, image: string, progress: (line: string) => void): Promise<string | undefined> {
  const has = () => client.container.dockerode.getImage(image).inspect().then(() => true, () => false);
  if (await has()) return undefined;
  const failed = pullFailures.get(image);
  if (failed !== undefined) return failed;
  let failure = 'the engine does not have it after the pull';
  try {
    progress(`pulling ${image}`);
    await client.image.pull(ImageName.fromString(image), { force: false, platform: undefined });
  } catch (error) {
    failure = describeError(error).trim();
    log(`pull of ${image} failed: ${failure}`);
  }
  // Whatever the pull said, the engine's answer decides.
  if (await has()) return undefined;
  pullFailures.set(image, failure);
  return failure;
}

async function ensureLocalPostgresImage(client: ContainerRuntimeClient, binDir: string, progress: (line: string) => void): Promise<void> {
  const checksum = createHash('sha256').update(readFileSync(join(binDir, 'postgres'))).digest('hex').slice(0, 16);
  if ((await imageLabel(client, LOCAL_POSTGRES_IMAGE, POSTGRES_CHECKSUM_LABEL)) === checksum) return;
  progress(`making ${LOCAL_POSTGRES_IMAGE} from ${binDir}`);
  const root = mkdtempSync(join(tmpdir(), 'replimq-postgres-image-'));
  try {
    writeRootFilesystem(root, binDir);
    await importRootFilesystem(client, root, LOCAL_POSTGRES_IMAGE, [
      `ENV PATH=${binDir}:/usr/bin:/bin`,
      `ENV PGDATA=${DATA_DIR}`,
      'ENV TZ=UTC',
      `LABEL ${POSTGRES_CHECKSUM_LABEL}=${checksum}`,
      'USER postgres',
      'EXPOSE 5432',
      `ENTRYPOINT ["/bin/sh", "${ENTRYPOINT}"]`,
      'CMD ["postgres"]',
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function writeRootFilesystem(root: string, binDir: string): void {
  const { libDir, shareDir } = installationDirs(binDir);
  // Binaries, server modules and share files at the paths they were built for.
  const binaries = BINARIES.map((name) => join(binDir, name));
  const modules = readdirSync(libDir)
    // No JIT (it links all of LLVM): the server runs with jit=off.
    .filter((name) => name.endsWith('.so') && !name.startsWith('llvmjit'))
    .map((name) => join(libDir, name));
  for (const file of [...binaries, ...modules]) copyInto(root, file);
  cpSync(shareDir, join(root, shareDir), { recursive: true, filter: (source) => !source.startsWith(join(shareDir, 'man')) });
  // Debian's server reads the system's time zone data.
  if (existsSync('/usr/share/zoneinfo')) cpSync('/usr/share/zoneinfo', join(root, 'usr/share/zoneinfo'), { recursive: true, verbatimSymlinks: true });
  const shell = realpathSync('/bin/sh');
  mkdirSync(join(root, 'bin'), { recursive: true });
  copyFileSync(shell, join(root, 'bin/sh'));
  chmodSync(join(root, 'bin/sh'), 0o755);
  copyLinkedLibraries(root, [...binaries, ...modules, shell]);
  for (const dir of ['tmp', 'var/lib/postgresql', 'var/run/postgresql']) {
    mkdirSync(join(root, dir), { recursive: true });
    // The server runs as `postgres`, but the tar is owned by root: world-writable and sticky, like /tmp.
    chmodSync(join(root, dir), 0o1777);
  }
  mkdirSync(join(root, dirname(ENTRYPOINT)), { recursive: true });
  writeFileSync(join(root, ENTRYPOINT), ENTRYPOINT_SCRIPT, { mode: 0o755 });
  mkdirSync(join(root, 'etc'), { recursive: true });
  // uid 999 `postgres`, as in the official image.
  writeFileSync(
    join(root, 'etc/passwd'),
    'root:x:0:0:root:/root:/usr/sbin/nologin\npostgres:x:999:999:PostgreSQL:/var/lib/postgresql:/bin/sh\n',
  );
  writeFileSync(join(root, 'etc/group'), 'root:x:0:\npostgres:x:999:\n');
  writeFileSync(join(root, 'etc/nsswitch.conf'), 'passwd: files\ngroup: files\nhosts: files dns\n');
}

/** Where the server's modules and share files are: as its pg_config says, else Debian's layout. */
function installationDirs(binDir: string): { libDir: string; shareDir: string } {
  try {
    const pgConfig = (flag: string) => execFileSync(join(binDir, 'pg_config'), [flag], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { libDir: pgConfig('--pkglibdir'), shareDir: pgConfig('--sharedir') };
  } catch {
    return { libDir: join(dirname(binDir), 'lib'), shareDir: join('/usr/share/postgresql', basename(dirname(binDir))) };
  }
}

function copyInto(root: string, file: string): void {
  const target = join(root, file);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(realpathSync(file), target);
  chmodSync(target, 0o755);
}
