/**
 * The `replimq` command: settings from flags, environment and config file → a running node,
 * stopped cleanly on SIGINT/SIGTERM.
 *
 * User mistakes (bad flag, value or config file) print one line and exit 2; failures to start
 * (port taken, unwritable data directory) print one line and exit 1. Stack traces only at
 * `--log-level debug`.
 */
import { packageVersion } from './package-version.js';
import { ConfigError, USAGE_EXIT_CODE } from './cli/config-error.js';
import { preloadConfigFile, resolveConfig, type CliRequest } from './cli/resolve-config.js';
import { usage } from './cli/usage.js';
import { createLogger } from './log.js';
import type { RunningNode } from './node.js';
import { QueueBootstrapError } from './service/bootstrap-queues.js';

const STARTUP_FAILURE_EXIT_CODE = 1;

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  // `replimq cluster …` manages a running cluster; `replimq [flags]` runs a node, as always.
  if (argv[0] === 'cluster') {
    const output = { out: (text: string) => process.stdout.write(text), err: (text: string) => process.stderr.write(text) };
    // Loaded here only: a node never runs the admin client (start-up is mostly module loading).
    const { clusterCommand } = await import('./cli/cluster-command.js');
    process.exitCode = await clusterCommand(argv.slice(1), env, output);
    return;
  }
  let request: CliRequest;
  try {
    request = resolveConfig(argv, env, await preloadConfigFile(argv, env));
  } catch (error) {
    exitWith(error instanceof ConfigError ? USAGE_EXIT_CODE : STARTUP_FAILURE_EXIT_CODE, error);
  }
  if (request.kind === 'help') {
    process.stdout.write(usage());
    return;
  }
  if (request.kind === 'version') {
    process.stdout.write(`replimq ${packageVersion()}\n`);
    return;
  }

  let { config } = request;
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  // Handlers go in before start-up: a signal that arrives while the node starts still stops it.
  let node: RunningNode | undefined;
  let stopRequested = false;
  // Nothing to flush while the node looks for its members (its record is written atomically).
  let discovering = false;
  const stop = (running: RunningNode): void => {
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => exitWith(STARTUP_FAILURE_EXIT_CODE, error),
    );
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopRequested) {
      logger.warn('second signal: exiting without a clean stop', { signal });
      process.exit(STARTUP_FAILURE_EXIT_CODE);
    }
    stopRequested = true;
    logger.info('stopping', { signal });
    if (discovering) process.exit(0);
    if (node) stop(node);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    // Discovery (gRPC Identify) only when asked for; the node's modules only for a node (not --help).
    if (config.cluster.discover !== undefined) {
      discovering = true;
      const { formCluster } = await import('./discovery/form-cluster.js');
      config = await formCluster(config, { logger });
      discovering = false;
    }
    const { startNode } = await import('./node.js');
    node = await startNode(config, { logger });
  } catch (error) {
    if (config.logLevel === 'debug' && error instanceof Error) logger.debug('start-up failed', { stack: error.stack });
    exitWith(error instanceof QueueBootstrapError || error instanceof ConfigError ? USAGE_EXIT_CODE : STARTUP_FAILURE_EXIT_CODE, error, config);
  }
  if (stopRequested) stop(node);
}

function exitWith(code: number, error: unknown, config?: { bind: string }): never {
  process.stderr.write(`replimq: ${describe(error, config)}\n`);
  process.exit(code);
}

/** One line a person can act on. */
function describe(error: unknown, config?: { bind: string }): string {
  if (!(error instanceof Error)) return String(error);
  const { code, port, address } = error as NodeJS.ErrnoException & { port?: number; address?: string };
  // The admin API has its own bind address: the error's own address names the one that failed.
  const host = address ?? config?.bind ?? '';
  if (code === 'EADDRINUSE') return `cannot listen on ${host}:${port ?? '?'}: the port is already in use`;
  if (code === 'EADDRNOTAVAIL') return `cannot listen on ${host}:${port ?? '?'}: no such local address`;
  if (code === 'EACCES' && port !== undefined) return `cannot listen on port ${port}: permission denied`;
  return error.message.split('\n')[0] ?? error.name;
}
