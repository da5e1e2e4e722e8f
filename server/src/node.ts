/**
 * A running replimq node: storage → engine → replication → SQS service → HTTP servers.
 *
 * Start-up order matters: state is loaded from storage before anything can apply a command,
 * replication starts before clients are let in, config-file queues exist before `/health` says
 * ok, and shutdown runs the other way round (stop taking requests, release long polls, stop
 * replicating, flush storage).
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import type { NodeConfig } from './config.js';
import type { EngineOptions, QueueEngine } from './engine/queue-engine.js';
import { createLogger, type Logger } from './log.js';
import { openStorage } from './storage/open-storage.js';
import { loadRecordsUpgrading } from './storage/load-records.js';
import type { Account } from './engine/queue-address.js';
import { systemClock, type Clock } from './service/clock.js';
import { LongPollWaiters } from './service/long-poll-waiters.js';
import { observeApplied } from './service/applied-commands.js';
import { NodeService } from './service/node-service.js';
import { HousekeepingTimer } from './service/housekeeping-timer.js';
import { bootstrapQueuesOnceLeaderKnown } from './service/bootstrap-queues.js';
import type { ReplicationFactory } from './service/replication-layer.js';
import { DEFAULT_MAX_BODY_BYTES, createSqsRequestListener } from './sqs/http-listener.js';
import { createSigV4Verifier } from './sqs/sigv4/verifier.js';
import { createLimitedServer } from './http-limits.js';
import { createEngine } from './engine/engine.js';
import { raftReplication } from './cluster/raft-replication.js';
import { ADMIN_MAX_BODY_BYTES, createAdminListener } from './admin/admin-server.js';
import { builtinRoutes } from './admin/builtin-routes.js';
import { dashboardRoutes } from './admin/dashboard-page.js';
import { sqsActionRoutes } from './admin/sqs-action-routes.js';
import { NodeMetrics } from './admin/node-metrics.js';
import { createMetricsRegistry } from './metrics/metrics-registry.js';
import { summarizeQueues } from './admin/queue-summary.js';
import type { RequestObserver } from './service/request-observer.js';
import { ChaosService } from './chaos/chaos-service.js';
import { chaosRoutes } from './chaos/chaos-routes.js';

export interface RunningNode {
  /** `http://127.0.0.1:<port>` style URL of the SQS endpoint (the real port when 0 was asked). */
  readonly sqsUrl: string;
  readonly adminUrl: string;
  readonly config: NodeConfig;
  /** Stop serving, release parked long polls, flush storage. Idempotent. */
  stop(): Promise<void>;
}

export interface NodeDependencies {
  logger?: Logger;
  clock?: Clock;
  /** Builds the replication layer; by default the raft layer, for one node as for many (the
   *  shared-db group on postgres storage). */
  replication?: ReplicationFactory;
  createEngine?: (options: EngineOptions) => QueueEngine;
}

export async function startNode(config: NodeConfig, dependencies: NodeDependencies = {}): Promise<RunningNode> {
  const logger = dependencies.logger ?? createLogger({ level: config.logLevel, format: config.logFormat });
  const clock = dependencies.clock ?? systemClock;
  const makeEngine = dependencies.createEngine ?? createEngine;

  const storage = await openStorage(config);
  const account: Account = { accountId: config.accountId, region: config.region };
  const loadedEngine = makeEngine({
    ...account,
    trackChanges: storage.kind !== 'memory',
    enforceCooldowns: config.enforceCooldowns,
  });
  await loadRecordsUpgrading(loadedEngine, storage);
  const waiters = new LongPollWaiters(loadedEngine, clock);
  const engine = observeApplied(loadedEngine, (command) => waiters.commandApplied(command));

  // Nodes on one PostgreSQL database share it instead of replicating: an active/standby group.
  // (Loaded only then: it brings pg, which a raft node never needs.)
  const replicationFactory =
    dependencies.replication ??
    (storage.kind === 'postgres' ? (await import('./shared-db/shared-db-replication.js')).sharedDbReplication : raftReplication);
  const replication = replicationFactory({ config, engine, storage, clock, logger });
  const registry = createMetricsRegistry({ nodeId: config.cluster.nodeId, storage: config.storage });
  const metrics = new NodeMetrics(registry, {
    queues: () => summarizeQueues(engine, clock, config.host ?? sqsUrl),
    longPollsWaiting: () => waiters.size,
  });
  replication.registerMetrics?.(registry);
  const localService = new NodeService({
    engine,
    replicator: replication.replicator,
    waiters,
    clock,
    defaultAckMode: config.cluster.ackMode,
    observer: logRequests(metrics, logger.child({ component: 'sqs' })),
  });
  // Chaos rules act at this node's edge, before a follower forwards: they are per node.
  const service = new ChaosService(replication.wrapService?.(localService) ?? localService, config.chaos);
  const housekeeping = new HousekeepingTimer({
    engine,
    replicator: replication.replicator,
    clock,
    logger: logger.child({ component: 'housekeeping' }),
    ackMode: config.cluster.ackMode,
    isLeader: () => replication.isLeader(),
    account,
  });

  let serving = false;
  let queuesReady = false;
  let stopped = false;
  const sqsServer = createLimitedServer(
    createSqsRequestListener(service, {
      ...(config.host === undefined ? {} : { fixedBaseUrl: config.host }),
      corsOrigins: config.corsOrigins,
      ...(config.auth === 'sigv4' ? { verifier: createSigV4Verifier(config.credentials, clock) } : {}),
      account,
      log: (message, error) => logger.error(message, { error: error instanceof Error ? error.stack : String(error) }),
    }),
    config.http,
    { maxBodyBytes: DEFAULT_MAX_BODY_BYTES, onConnectionsDropped: connectionsDropped('sqs', config.http.maxConnections, logger) },
  );
  const adminToken = config.adminToken ?? generatedAdminToken(config.adminBind, logger);
  const adminServer = createLimitedServer(
    createAdminListener(
      [
        ...builtinRoutes({
          isServing: () => serving && queuesReady,
          cluster: replication.status,
          metrics: registry,
          engine,
          clock,
          sqsBaseUrl: () => config.host ?? sqsUrl,
        }),
        ...(replication.adminRoutes ?? []),
        ...sqsActionRoutes({ service, sqsBaseUrl: () => config.host ?? sqsUrl, account }),
        ...chaosRoutes(service, logger.child({ component: 'chaos' })),
        ...dashboardRoutes(),
      ],
      logger.child({ component: 'admin' }),
      { boundToLoopback: isLoopback(config.adminBind), ...(adminToken === undefined ? {} : { token: adminToken }) },
    ),
    config.http,
    { maxBodyBytes: ADMIN_MAX_BODY_BYTES, onConnectionsDropped: connectionsDropped('admin', config.http.maxConnections, logger) },
  );

  let sqsUrl = '';
  const opened: Server[] = [];
  const stop = once(async () => {
    serving = false;
    stopped = true;
    housekeeping.stop();
    service.close();
    waiters.close();
    await Promise.all(opened.map(closeServer));
    await replication.stop();
    await storage.close();
    logger.info('stopped');
  });

  try {
    const adminUrl = urlOf(await listen(adminServer, config.adminPort, config.adminBind));
    opened.push(adminServer);
    logger.info('admin listening', { url: adminUrl });
    await replication.start?.();
    sqsUrl = urlOf(await listen(sqsServer, config.sqsPort, config.bind));
    opened.push(sqsServer);
    // Config-file queues are the node's own account's, in its own region.
    const bootstrapContext = { baseUrl: config.host ?? sqsUrl, senderId: 'replimq', account };
    // Every node creates its own config file's queues, through the service (a follower's
    // commands are forwarded), retrying while no leader can take them (503).
    const bootstrap = (): Promise<void> =>
      bootstrapQueuesOnceLeaderKnown(service, config.queues, bootstrapContext, { retryMs: 250, stopped: () => stopped });
    if (config.queues.length === 0) queuesReady = true;
    else if (replication.isLeader()) {
      // Leading now (always, for a single node): a queue the engine refuses fails start-up.
      await bootstrap();
      queuesReady = true;
    } else {
      // A cluster elects its leader after start-up: create the queues once one is known.
      bootstrap().then(
        () => (queuesReady = true),
        (error: unknown) => logger.error('config queues not created', { error: error instanceof Error ? error.message : String(error) }),
      );
    }
    housekeeping.start();
    serving = true;
    logger.info('sqs listening', {
      url: sqsUrl,
      storage: storage.kind,
      ...(storage.sync === undefined ? {} : { sync: storage.sync }),
      auth: config.auth,
      nodeId: config.cluster.nodeId,
    });
    return { sqsUrl, adminUrl, config, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Every SQS request as one debug line, besides the metrics. */
function logRequests(metrics: NodeMetrics, logger: Logger): RequestObserver {
  return {
    requestDone(action, outcome, seconds, output) {
      metrics.requestDone(action, outcome, seconds, output);
      logger.debug('request', { action, outcome });
    },
  };
}

/**
 * An admin API reachable beyond this machine (`--admin-bind 0.0.0.0`, the image's default) is
 * never left open: without `--admin-token` the node makes one up and logs it once, the way
 * Jupyter does. Loopback stays open without a token, as before.
 */
function generatedAdminToken(adminBind: string, logger: Logger): string | undefined {
  if (isLoopback(adminBind)) return undefined;
  const token = randomBytes(24).toString('base64url');
  logger.warn('admin API listens beyond loopback without --admin-token: generated one (set REPLIMQ_ADMIN_TOKEN to choose it)', {
    adminToken: token,
  });
  return token;
}

function connectionsDropped(port: string, cap: number, logger: Logger): (count: number) => void {
  return (count) => logger.warn('connections refused at the cap (--max-connections)', { port, cap, refused: count });
}

function isLoopback(address: string): boolean {
  if (address === 'localhost' || address === '::1') return true;
  return isIP(address) === 4 && address.startsWith('127.');
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** A URL a client on this machine can call: a wildcard bind is reached through loopback. */
function urlOf(address: AddressInfo): string {
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const host = wildcard ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** In-flight requests get a moment to finish; keep-alive sockets of SDK clients that stay open
 *  after that would otherwise hold the close open forever. */
const CLOSE_GRACE_MS = 1000;

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

function once(action: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= action());
}
