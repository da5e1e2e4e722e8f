/**
 * Test harness: a replimq node in this process on ephemeral 127.0.0.1 ports (`startNode`), or
 * as a child process running the real CLI (`startNodeProcess`, `runCli`) for restart, signal and
 * command-line tests. Set `REPLIMQ_TEST_LOG=debug` to see node logs on stderr.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig, type LogLevel, type NodeConfig, type QueueDefinition, type StorageKind } from '../../server/src/config.js';
import { createLogger, silentLogger } from '../../server/src/log.js';
import { startNode as startNodeInProcess, type NodeDependencies, type RunningNode } from '../../server/src/node.js';

export interface StartNodeOptions {
  storage?: StorageKind;
  /** SQLite directory; a fresh temporary one (removed on stop) when omitted. */
  dataDir?: string;
  queues?: QueueDefinition[];
  /** Any other setting (host, region, accountId, cluster…). */
  config?: Partial<NodeConfig>;
  dependencies?: NodeDependencies;
}

export interface StartedNode {
  /** e.g. `http://127.0.0.1:41234` */
  readonly sqsEndpoint: string;
  readonly adminEndpoint: string;
  readonly dataDir: string;
  readonly node: RunningNode;
  stop(): Promise<void>;
}

const TEST_LOG_LEVEL = process.env['REPLIMQ_TEST_LOG'] as LogLevel | undefined;

export async function startNode(options: StartNodeOptions = {}): Promise<StartedNode> {
  const temporaryDir = options.dataDir === undefined && options.storage === 'sqlite' ? makeTempDir() : undefined;
  const dataDir = options.dataDir ?? temporaryDir ?? '';
  const config: NodeConfig = {
    ...defaultConfig(),
    sqsPort: 0,
    adminPort: 0,
    grpcPort: 0,
    bind: '127.0.0.1',
    storage: options.storage ?? 'memory',
    // Tests check SQS's own behaviour, 60-second rules included (the CLI's default is off).
    enforceCooldowns: true,
    dataDir,
    queues: options.queues ?? [],
    ...options.config,
  };
  const logger = TEST_LOG_LEVEL ? createLogger(TEST_LOG_LEVEL) : silentLogger;
  const node = await startNodeInProcess(config, { logger, ...options.dependencies });
  return {
    sqsEndpoint: node.sqsUrl,
    adminEndpoint: node.adminUrl,
    dataDir,
    node,
    stop: async () => {
      await node.stop();
      if (temporaryDir) rmSync(temporaryDir, { recursive: true, force: true });
    },
  };
}

export function makeTempDir(): string {
  return mkdtempSync(join(tmpdir(), 'replimq-test-'));
}

// ---------------------------------------------------------------- child processes (the real CLI)

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI_PATH = join(REPO_ROOT, 'server/bin/replimq.js');
const BUILT_MAIN = join(REPO_ROOT, 'server/dist/main.js');

export interface NodeProcess {
  readonly sqsEndpoint: string;
  readonly adminEndpoint: string;
  readonly child: ChildProcess;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Send a signal (SIGTERM by default) and resolve with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface ProcessOptions {
  env?: Record<string, string>;
  /** How long to wait for the node to say it listens. */
  startTimeoutMs?: number;
}

/**
 * Spawns `node server/bin/replimq.js` with ephemeral ports on 127.0.0.1 (unless `args` set
 * them) and resolves once it logged its SQS and admin URLs. Needs `npm run build` first.
 */
export function startNodeProcess(args: string[] = [], options: ProcessOptions = {}): Promise<NodeProcess> {
  requireBuild();
  const defaults = ['--sqs-port', '0', '--admin-port', '0', '--grpc-port', '0', '--bind', '127.0.0.1', '--log-level', 'info'];
  const child = spawn(process.execPath, [CLI_PATH, ...defaults, ...args], {
    env: { ...cleanEnv(), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

  return new Promise<NodeProcess>((resolveStarted, rejectStarted) => {
    const timeout = setTimeout(() => {
      child.kill('SIGKILL');
      rejectStarted(new Error(`replimq did not log its URLs within ${options.startTimeoutMs ?? 20_000} ms:\n${stderr}`));
    }, options.startTimeoutMs ?? 20_000);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const sqs = /sqs listening url=(\S+)/.exec(stderr)?.[1];
      const admin = /admin listening url=(\S+)/.exec(stderr)?.[1];
      if (sqs === undefined || admin === undefined) return;
      clearTimeout(timeout);
      resolveStarted({
        sqsEndpoint: sqs,
        adminEndpoint: admin,
        child,
        stderr: () => stderr,
        stop: (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timeout);
      rejectStarted(new Error(`replimq exited with code ${code} before listening:\n${stderr}`));
    });
  });
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion (bad flags, `--help`, `--version`). */
export function runCli(args: string[], options: ProcessOptions = {}): Promise<CliResult> {
  requireBuild();
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    env: { ...cleanEnv(), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((done) => child.once('close', (code) => done({ code, stdout, stderr })));
}

function requireBuild(): void {
  if (!existsSync(BUILT_MAIN)) throw new Error(`${BUILT_MAIN} is missing: run \`npm run build\` first`);
}

/** The parent's environment without REPLIMQ_* settings, so a developer's shell cannot leak in. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('REPLIMQ_')));
}
