/**
 * A Prometheus histogram kept in plain arrays, without prom-client: observations are recorded
 * from the first request on, while prom-client itself is loaded only when `/metrics` is first
 * scraped (metrics-registry.ts). At scrape time it hands the registry the same samples, in the
 * same order, that prom-client's own `Histogram` would (test/unit/metrics/labelled-histogram.test.ts
 * compares the two expositions): cumulative `_bucket`s by upper bound, then `+Inf`, `_sum` and
 * `_count`, per label set in the order each was first observed.
 */

/** One label set's figures. */
interface Series {
  readonly labels: Readonly<Record<string, string>>;
  /** Observations per upper bound (not cumulative), in bucket order. */
  readonly counts: number[];
  sum: number;
  count: number;
}

/** What prom-client's `Registry` reads from a metric when it renders the text exposition. */
export interface PromMetricSnapshot {
  name: string;
  help: string;
  type: 'histogram';
  aggregator: 'sum';
  values: {
    labels: Record<string, string | number>;
    sharedLabels: Record<string, string>;
    value: number;
    metricName: string;
  }[];
}

export interface Observer {
  observe(value: number): void;
}

export class LabelledHistogram<Label extends string> {
  private readonly series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly Label[],
    /** Upper bounds in increasing order (seconds, usually). */
    private readonly buckets: readonly number[],
  ) {}

  /** The observer of one label set; keep it rather than asking again per observation: an
   *  observation is then a bucket search and three additions, no lookup (it runs on every write:
   *  prom-client's own `observe` copies, validates and hashes the label set each time, 3.7% of a
   *  single node's CPU per SendMessage in a perf profile of 2026-12-04). */
  labels(labels: Readonly<Record<Label, string>>): Observer {
    const key = this.labelNames.map((name) => labels[name]).join('\u0000');
    const { buckets } = this;
    let series = this.series.get(key);
    return {
      observe: (value) => {
        // As prom-client: a label set appears with its first observation, and NaN is a bug.
        if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
        if (series === undefined) {
          series = this.series.get(key) ?? { labels: { ...labels }, counts: buckets.map(() => 0), sum: 0, count: 0 };
          this.series.set(key, series);
        }
        series.sum += value;
        series.count += 1;
        let bucket = 0;
        while (bucket < buckets.length && value > buckets[bucket]!) bucket++;
        // Beyond the last bound only `+Inf` (the count) holds it, as in prom-client.
        if (bucket < buckets.length) series.counts[bucket]! += 1;
      },
    };
  }

  /** The object prom-client's `Registry.registerMetric` takes (it calls `getForPromString`). */
  promMetric(): { name: string; help: string; type: 'histogram'; aggregator: 'sum'; getForPromString(): PromMetricSnapshot } {
    return { name: this.name, help: this.help, type: 'histogram', aggregator: 'sum', getForPromString: () => this.snapshot() };
  }

  snapshot(): PromMetricSnapshot {
    const values: PromMetricSnapshot['values'] = [];
    const bucketName = `${this.name}_bucket`;
    for (const series of this.series.values()) {
      const sharedLabels = { ...series.labels };
      let cumulative = 0;
      this.buckets.forEach((bound, index) => {
        cumulative += series.counts[index]!;
        values.push({ labels: { le: bound }, sharedLabels, value: cumulative, metricName: bucketName });
      });
      values.push({ labels: { le: '+Inf' }, sharedLabels, value: series.count, metricName: bucketName });
      values.push({ labels: {}, sharedLabels, value: series.sum, metricName: `${this.name}_sum` });
      values.push({ labels: {}, sharedLabels, value: series.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: 'histogram', aggregator: 'sum', values };
  }
}
