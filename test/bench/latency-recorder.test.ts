import { describe, expect, it } from 'vitest';
import { LatencyRecorder, median, percentile } from '../../bench/src/latency-recorder.js';

describe('latency figures', () => {
  it('takes nearest-rank percentiles of the recorded samples', () => {
    const recorder = new LatencyRecorder();
    for (let sample = 100; sample >= 1; sample--) recorder.record(sample);
    expect(recorder.summary()).toEqual({ count: 100, p50Ms: 50, p99Ms: 99, maxMs: 100 });
  });

  it('reports zeros when nothing was recorded', () => {
    expect(new LatencyRecorder().summary()).toEqual({ count: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 });
    expect(percentile([], 0.5)).toBe(0);
  });

  it('takes the median of odd and even counts without reordering the input', () => {
    const values = [5, 1, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
