/**
 * Unlabelled families whose value is a plain number the code keeps anyway (a counter bumped on a
 * hot path, a size, an index), read when Prometheus scrapes instead of mirrored on every change.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

export function counterReadAtScrape(registry: Registry, name: string, help: string, read: () => number): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

export function gaugeReadAtScrape(registry: Registry, name: string, help: string, read: () => number): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}
