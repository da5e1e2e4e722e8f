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

export function createMetricsRegistry(options: MetricsRegistryOptions): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ node: options.nodeId });
  collectDefaultMetrics({ register: registry });
  const buildInfo = new Gauge({
    name: 'replimq_build_info',
    help: 'Always 1: the replimq version, the Node.js version running it and the storage kind.',
    labelNames: ['version', 'nodejs_version', 'storage'],
    registers: [registry],
  });
  buildInfo.set({ version: packageVersion(), nodejs_version: process.versions.node, storage: options.storage }, 1);
  return registry;
}
