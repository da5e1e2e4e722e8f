/**
 * Unlabelled families whose value is a plain number the code keeps anyway (a counter bumped on a
 * hot path, a size, an index), read when Prometheus scrapes instead of mirrored on every change.
 */
import type { MetricsRegistry } from './metrics-registry.js';

export function counterReadAtScrape(metrics: MetricsRegistry, name: string, help: string, read: () => number): void {
  metrics.define(({ Counter }, registry) => {
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  });
}

export function gaugeReadAtScrape(metrics: MetricsRegistry, name: string, help: string, read: () => number): void {
  metrics.define(({ Gauge }, registry) => {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  });
}
