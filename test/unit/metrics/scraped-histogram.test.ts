import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ScrapedHistogram } from '../../../server/src/metrics/scraped-histogram.js';

const BUCKETS = [0.001, 0.01, 0.1, 1];

/** The same observations through prom-client's own histogram and through ScrapedHistogram. */
function bothRegistries(observations: readonly [string, number][]): { theirs: Registry; ours: Registry } {
  const theirs = new Registry();
  const ours = new Registry();
  for (const registry of [theirs, ours]) registry.setDefaultLabels({ node: 'n1' });
  const reference = new Histogram({ name: 'x_seconds', help: 'Latency.', labelNames: ['action'], buckets: BUCKETS, registers: [theirs] });
  const scraped = new ScrapedHistogram({ name: 'x_seconds', help: 'Latency.', labelName: 'action', buckets: BUCKETS });
  ours.registerMetric(scraped);
  for (const [action, seconds] of observations) {
    reference.labels({ action }).observe(seconds);
    scraped.series(action).observe(seconds);
  }
  return { theirs, ours };
}

describe('ScrapedHistogram', () => {
  const observations: [string, number][] = [
    ['SendMessage', 0.0004],
    ['SendMessage', 0.001], // on a bound: counted in it (le is "less or equal")
    ['ReceiveMessage', 0.05],
    ['SendMessage', 0.2],
    ['ReceiveMessage', 7], // above every bound: +Inf only
    ['SendMessage', 0.0101],
  ];

  it('renders the text exposition prom-client renders for its own histogram', async () => {
    const { theirs, ours } = bothRegistries(observations);
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    expect(text).toContain('x_seconds_bucket{le="0.001",node="n1",action="SendMessage"} 2');
    expect(text).toContain('x_seconds_bucket{le="+Inf",node="n1",action="ReceiveMessage"} 2');
    expect(text).toContain('x_seconds_count{node="n1",action="SendMessage"} 4');
  });

  it('gives the same JSON as prom-client', async () => {
    const { theirs, ours } = bothRegistries(observations);
    const strip = (metrics: Awaited<ReturnType<Registry['getMetricsAsJSON']>>) =>
      metrics.map((metric) => ({ ...metric, values: metric.values.map(({ labels, value, metricName }) => ({ labels, value, metricName })) }));
    expect(strip(await ours.getMetricsAsJSON())).toEqual(strip(await theirs.getMetricsAsJSON()));
  });

  it('refuses values that are not finite numbers, as prom-client does', () => {
    const scraped = new ScrapedHistogram({ name: 'y_seconds', help: 'Latency.', labelName: 'action', buckets: BUCKETS });
    expect(() => scraped.series('SendMessage').observe(Number.NaN)).toThrow(TypeError);
  });
});
