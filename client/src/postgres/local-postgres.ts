/**
 * A real PostgreSQL as a local process, from the machine's own binaries (Debian's `postgresql`
 * package: /usr/lib/postgresql/<version>/bin, or whatever `pg_config --bindir` names): a cluster
 * initialised in a temporary directory, listening on 127.0.0.1 on a free port, trust
 * authentication (a throwaway server for tests), removed on `stop()`.
 *
 * PostgreSQL refuses to run as root: a root process runs it as the `postgres` user.
 *
 * SQL is sent with the `psql` next to the server binaries, so the testkit needs no driver.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trackProcess } from '../exit-cleanup.js';
import { freePort } from '../free-port.js';

export interface LocalPostgresOptions {
  /** Directory of initdb, postgres and psql; found on this machine when omitted. */
  binDir?: string;
  /** How long start-up may take. */
  startupTimeoutMs?: number;
}

const SUPERUSER = 'postgres';

/** The directory of the newest installed PostgreSQL's binaries, if there is one. */
export function findPostgresBinaries(): string | undefined {
  const candidates: string[] = [];
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => join(debianRoot, version, 'bin')));
  }
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    // No pg_config on the PATH.
  }
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')));
}

export class LocalPostgres {
  private child: ChildProcess | undefined;
  private paused = false;

  private constructor(
    private readonly binDir: string,
    private readonly dataDir: string,
    readonly port: number,
    private readonly owner: { uid: number; gid: number } | undefined,
    private readonly startupTimeoutMs: number,
  ) {}

  /** initdb + start. Throws when no PostgreSQL is installed (`findPostgresBinaries()`). */
  static async start(options: LocalPostgresOptions = {}): Promise<LocalPostgres> {
    const binDir = options.binDir ?? findPostgresBinaries();
    if (!binDir) throw new Error('no PostgreSQL binaries on this machine (install Debian\'s postgresql, or give binDir)');
    const dataDir = mkdtempSync(join(tmpdir(), 'replimq-postgres-'));
    const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
    if (owner) chownSync(dataDir, owner.uid, owner.gid);
    execFileSync(join(binDir, 'initdb'), ['-D', dataDir, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--no-sync'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(owner ?? {}),
    });
    const server = new LocalPostgres(binDir, dataDir, await freePort(), owner, options.startupTimeoutMs ?? 30_000);
    try {
      await server.launch();
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  /** `postgres://postgres@127.0.0.1:<port>/<database>` */
  url(database = 'postgres'): string {
    return `postgres://${SUPERUSER}@127.0.0.1:${this.port}/${database}`;
  }

  /** Runs SQL as the superuser; returns psql's unaligned output (rows on lines, `|` between columns). */
  sql(statement: string, database = 'postgres'): string {
    return execFileSync(
      join(this.binDir, 'psql'),
      ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(this.port), '-U', SUPERUSER, '-d', database, '-c', statement],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 },
    ).trim();
  }

  /** A new empty database; returns its URL. */
  createDatabase(name: string): string {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
    this.sql(`CREATE DATABASE ${name}`);
    return this.url(name);
  }

  /** Ends every session whose `application_name` starts with `prefix` (a replimq node names its
   *  sessions `replimq:<node id>:…`): that node's connections are cut, as by a network fault or
   *  an operator's `pg_terminate_backend`. Returns how many were ended. */
  terminateSessions(prefix: string): number {
    return Number(this.sql(terminateSessionsSql(prefix))) || 0;
  }

  /** Stops the server (fast shutdown: sessions are ended, committed data stays) and starts it again on the same port. */
  async restart(): Promise<void> {
    await this.halt();
    await this.launch();
  }

  /** Stops the server, keeping its data, until `startAgain()`: an outage of the database. */
  async shutDown(): Promise<void> {
    await this.halt();
  }

  async startAgain(): Promise<void> {
    if (!this.child) await this.launch();
  }

  /** SIGSTOP / SIGCONT of the postmaster (its sessions keep running: use terminateSessions too). */
  pause(): void {
    this.child?.kill('SIGSTOP');
    this.paused = true;
  }

  resume(): void {
    this.child?.kill('SIGCONT');
    this.paused = false;
  }

  async stop(): Promise<void> {
    await this.halt();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const child = spawn(
      join(this.binDir, 'postgres'),
      ['-D', this.dataDir, '-h', '127.0.0.1', '-p', String(this.port), '-k', this.dataDir, '-c', 'max_connections=200', '-c', 'fsync=on'],
      { stdio: ['ignore', 'ignore', 'pipe'], ...(this.owner ?? {}) },
    );
    this.child = child;
    // A test process that dies without stop() must not leave a server behind.
    const untrack = trackProcess(child);
    child.once('exit', untrack);
    let log = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-4000);
    });
    const giveUpAt = Date.now() + this.startupTimeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`PostgreSQL exited during start-up (code ${child.exitCode}): ${log}`);
      if (this.answers()) return;
      if (Date.now() > giveUpAt) throw new Error(`PostgreSQL did not answer within ${this.startupTimeoutMs} ms: ${log}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private answers(): boolean {
    try {
      execFileSync(join(this.binDir, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(this.port), '-U', SUPERUSER], { stdio: 'ignore', timeout: 5000 });
      return true;
    } catch {
      return false;
    }
  }

  private async halt(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    if (this.paused) this.resume();
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // SIGINT: PostgreSQL's fast shutdown.
    child.kill('SIGINT');
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(force);
  }
}

/** SQL (for psql) of `pg_terminate_backend` on every session whose `application_name` starts with `prefix`. */
export function terminateSessionsSql(prefix: string): string {
  const escaped = prefix.replace(/'/g, "''").replace(/[\\%_]/g, (c) => `\\${c}`);
  return `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name LIKE '${escaped}%' AND pid <> pg_backend_pid()`;
}

function postgresUser(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', SUPERUSER], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', SUPERUSER], { encoding: 'utf8' }).trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error('running as root, and there is no postgres user to run PostgreSQL as');
  return { uid, gid };
}
