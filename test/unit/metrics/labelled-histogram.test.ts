/**
 * `LabelledHistogram` records without prom-client and must render exactly as prom-client's own
 * `Histogram` would for the same observations (the node's /metrics output is a contract).
 */
import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LabelledHistogram } from '../../../server/src/metrics/labelled-histogram.js';
import { MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from '../../../server/src/metrics/metrics-registry.js';

const BUCKETS = [0.001, 0.01, 0.1, 1];
const OBSERVATIONS: [string, number][] = [
  ['SendMessage', 0.0004], ['ReceiveMessage', 0.02], ['SendMessage', 0.001], ['SendMessage', 0.5],
  ['ReceiveMessage', 7], ['DeleteMessage', 0.1], ['SendMessage', 0.0101],
];

async function promClientText(): Promise<string> {
  const registry = new Registry();
  registry.setDefaultLabels({ node: 'n1' });
  const histogram = new Histogram({ name: 'h_seconds', help: 'Help text.', labelNames: ['action'], buckets: BUCKETS, registers: [registry] });
  for (const [action, value] of OBSERVATIONS) histogram.labels({ action }).observe(value);
  return registry.metrics();
}

async function ownText(): Promise<string> {
  const metrics = new MetricsRegistry();
  const histogram = new LabelledHistogram('h_seconds', 'Help text.', ['action'], BUCKETS);
  metrics.define((_, registry) => registry.setDefaultLabels({ node: 'n1' }));
  metrics.defineHistogram(histogram);
  for (const [action, value] of OBSERVATIONS) histogram.labels({ action }).observe(value);
  return metrics.metrics();
}

describe('LabelledHistogram', () => {
  it('renders the same exposition as prom-client’s Histogram', async () => {
    const expected = await promClientText();
    expect(expected).toContain('h_seconds_bucket{le="+Inf",node="n1",action="ReceiveMessage"} 2');
    expect(await ownText()).toBe(expected);
  });

  it('refuses a value that is not a number, as prom-client does', () => {
    const histogram = new LabelledHistogram('h', 'h', ['action'], BUCKETS);
    expect(() => histogram.labels({ action: 'x' }).observe(Number.NaN)).toThrow(TypeError);
    expect(histogram.snapshot().values).toEqual([]);
  });
});

describe('MetricsRegistry', () => {
  it('builds the families in the order they were defined, at the first scrape, and takes later ones', async () => {
    const metrics = new MetricsRegistry();
    let built = 0;
    metrics.define(({ Gauge }, registry) => {
      built++;
      new Gauge({ name: 'first', help: 'f', registers: [registry], collect() { this.set(1); } });
    });
    metrics.define(({ Counter }, registry) => void new Counter({ name: 'second', help: 's', registers: [registry] }));
    expect(built).toBe(0);
    const text = await metrics.metrics();
    expect(text.indexOf('# TYPE first gauge')).toBeLessThan(text.indexOf('# TYPE second counter'));
    metrics.define(({ Gauge }, registry) => void new Gauge({ name: 'third', help: 't', registers: [registry] }));
    expect(await metrics.metrics()).toContain('# TYPE third gauge');
    expect(built).toBe(1);
  });

  it('states prom-client’s content type before loading it', () => {
    expect(new MetricsRegistry().contentType).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
    expect(PROMETHEUS_CONTENT_TYPE).toBe(new Registry().contentType);
  });
});
