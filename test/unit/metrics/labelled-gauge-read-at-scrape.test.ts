import { describe, expect, it } from 'vitest';
import { labelledGaugeReadAtScrape, type LabelledValue } from '../../../server/src/metrics/labelled-gauge-read-at-scrape.js';
import { MetricsRegistry } from '../../../server/src/metrics/metrics-registry.js';

function seriesOf(text: string, name: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${name}{`));
}

describe('labelledGaugeReadAtScrape', () => {
  it('shows what the read gives at each scrape, and drops a label no longer read', async () => {
    const metrics = new MetricsRegistry();
    let current: LabelledValue[] = [['n2', 3], ['n3', 0]];
    labelledGaugeReadAtScrape(metrics, 'test_peer_lag', 'Lag per peer.', 'peer', () => current);
    const first = await metrics.metrics();
    expect(first).toContain('# HELP test_peer_lag Lag per peer.');
    expect(first).toContain('# TYPE test_peer_lag gauge');
    expect(seriesOf(first, 'test_peer_lag')).toEqual(['test_peer_lag{peer="n2"} 3', 'test_peer_lag{peer="n3"} 0']);
    current = [['n3', 7]];
    expect(seriesOf(await metrics.metrics(), 'test_peer_lag')).toEqual(['test_peer_lag{peer="n3"} 7']);
  });
});
