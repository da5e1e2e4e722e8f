/**
 * The node's Prometheus registry (prom-client): one per node, never the library's global one,
 * because tests and the bench run several nodes in one process. Every family carries the same
 * `node` label, so series from a cluster scraped through one endpoint (or relabelled by an
 * operator) never collide; the process and Node.js runtime families come from prom-client's
 * default collectors, and `replimq_build_info` says what is running.
 *
 * prom-client (with its dependencies ~100 modules, ~60–70 ms of CPU at start-up, measured) is
 * loaded at the first scrape, not at start: a node that nobody scrapes — most test runs — never
 * pays for it. Families are therefore *defined* at start (`define`, in exposition order) and
 * built into the real registry on the first scrape; what is counted before then lives in plain
 * numbers and `LabelledHistogram`s the families read, and the GCs in `GcUntilScrape`. (The
 * event-loop delay percentiles, which prom-client resets at every scrape, cover the time since
 * the registry was built at the first one, as they cover the time since the last one after.)
 */
import type * as PromClient from 'prom-client';
import { packageVersion } from '../package-version.js';
import type { LabelledHistogram } from './labelled-histogram.js';
import { GcUntilScrape } from './gc-until-scrape.js';

export type PromClientModule = typeof PromClient;

/** Registers one or more families in the real registry, with the prom-client classes given. */
export type FamilyDefinition = (prom: PromClientModule, registry: PromClient.Registry) => void;

/** prom-client's `Registry.PROMETHEUS_CONTENT_TYPE`, known before prom-client is loaded. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export class MetricsRegistry {
  readonly contentType = PROMETHEUS_CONTENT_TYPE;
  private readonly definitions: FamilyDefinition[] = [];
  private built: Promise<{ prom: PromClientModule; registry: PromClient.Registry }> | undefined;

  /** Adds families; they appear in the exposition in the order they were defined. */
  define(definition: FamilyDefinition): void {
    if (this.built === undefined) this.definitions.push(definition);
    // Defined after the first scrape: straight into the real registry.
    else this.built = this.built.then((built) => (definition(built.prom, built.registry), built));
  }

  /** A histogram recorded without prom-client, rendered by the registry like its own. */
  defineHistogram(histogram: LabelledHistogram<string>): void {
    // The registry only reads `name` and `getForPromString()` of what it is given (registry.js);
    // its type asks for the whole `Metric` class.
    this.define((_, registry) => registry.registerMetric(histogram.promMetric() as unknown as PromClient.Metric));
  }

  /** The text exposition (loads prom-client and builds the registry the first time). */
  async metrics(): Promise<string> {
    return (await this.registry()).metrics();
  }

  /** The prom-client registry with every family defined so far. */
  async registry(): Promise<PromClient.Registry> {
    this.built ??= import('prom-client').then((prom) => {
      const registry = new prom.Registry();
      for (const definition of this.definitions.splice(0)) definition(prom, registry);
      return { prom, registry };
    });
    return (await this.built).registry;
  }
}

export interface MetricsRegistryOptions {
  nodeId: string;
  storage: string;
}

/** prom-client samples event-loop delay with a libuv timer of this period (its default, 10 ms,
 *  was 100 wake-ups a second: most of what an idle node cost). A stall still shows in full in the
 *  lag maximum at any period; only the percentiles rest on fewer samples. */
const EVENT_LOOP_SAMPLE_MS = 100;

export function createMetricsRegistry(options: MetricsRegistryOptions): MetricsRegistry {
  const metrics = new MetricsRegistry();
  const gcBeforeScrape = new GcUntilScrape();
  metrics.define((prom, registry) => {
    registry.setDefaultLabels({ node: options.nodeId });
    prom.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    const gc = registry.getSingleMetric('nodejs_gc_duration_seconds') as PromClient.Histogram<'kind'> | undefined;
    for (const { kind, seconds } of gcBeforeScrape.drain()) gc?.observe({ kind } as { kind: string }, seconds);
    const buildInfo = new prom.Gauge({
      name: 'replimq_build_info',
      help: 'Always 1: the replimq version, the Node.js version running it and the storage kind.',
      labelNames: ['version', 'nodejs_version', 'storage'],
      registers: [registry],
    });
    buildInfo.set({ version: packageVersion(), nodejs_version: process.versions.node, storage: options.storage }, 1);
  });
  return metrics;
}
