/**
 * The node's Prometheus registry (prom-client): one per node, never the library's global one,
 * because tests and the bench run several nodes in one process. Every family carries the same
 * `node` label, so series from a cluster scraped through one endpoint (or relabelled by an
 * operator) never collide; the process and Node.js runtime families come from prom-client's
 * default collectors, and `replimq_build_info` says what is running.
 */
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { packageVersion } from '../package-version.js';

export interface MetricsRegistryOptions {
  nodeId: string;
  storage: string;
}

/** prom-client samples event-loop delay with a libuv timer of this period (its default, 10 ms,
 *  was 100 wake-ups a second: most of what an idle node cost). A stall still shows in full in the
 *  lag maximum at any period; only the percentiles rest on fewer samples. */
const EVENT_LOOP_SAMPLE_MS = 100;

export function createMetricsRegistry(options: MetricsRegistryOptions): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ node: options.nodeId });
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  const buildInfo = new Gauge({
    name: 'replimq_build_info',
    help: 'Always 1: the replimq version, the Node.js version running it and the storage kind.',
    labelNames: ['version', 'nodejs_version', 'storage'],
    registers: [registry],
  });
  buildInfo.set({ version: packageVersion(), nodejs_version: process.versions.node, storage: options.storage }, 1);
  return registry;
}
