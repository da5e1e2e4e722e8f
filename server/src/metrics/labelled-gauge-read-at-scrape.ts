/**
 * A gauge with one label whose series are read when Prometheus scrapes: the code keeps the values
 * anyway (a role, each peer's lag), so nothing is mirrored on every change. The family is
 * cleared before each read, so a label value that is no longer read (a removed peer) disappears.
 */
import type { MetricsRegistry } from './metrics-registry.js';

/** One series: the label's value and the gauge's. */
export type LabelledValue = readonly [label: string, value: number];

export function labelledGaugeReadAtScrape(
  metrics: MetricsRegistry,
  name: string,
  help: string,
  labelName: string,
  read: () => Iterable<LabelledValue>,
): void {
  metrics.define(({ Gauge }, registry) => {
    new Gauge({
      name,
      help,
      labelNames: [labelName],
      registers: [registry],
      collect() {
        this.reset();
        for (const [label, value] of read()) this.set({ [labelName]: label }, value);
      },
    });
  });
}
