import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeHistogram, encodeHistogram, latencyHistogram, mergeHistograms, percentileMs, recordMs } from './histogram.ts';

describe('latency histograms', () => {
  it('gives percentiles within 0.1% of the exact order statistic', () => {
    const h = latencyHistogram();
    const values: number[] = [];
    for (let i = 1; i <= 10_000; i++) {
      const ms = (i % 997) * 0.731 + 0.05;
      values.push(ms);
      recordMs(h, ms);
    }
    values.sort((a, b) => a - b);
    for (const p of [50, 95, 99, 99.9]) {
      const exact = values[Math.ceil((p / 100) * values.length) - 1] as number;
      assert.ok(Math.abs(percentileMs(h, p) - exact) <= exact * 0.001 + 0.001, `p${p}: ${percentileMs(h, p)} vs ${exact}`);
    }
  });

  it('merges encoded histograms exactly: the merge equals one histogram of all values', () => {
    const a = latencyHistogram();
    const b = latencyHistogram();
    const all = latencyHistogram();
    for (let i = 0; i < 5000; i++) {
      const ms = (i * 7919) % 3000 / 10;
      recordMs(i % 3 === 0 ? a : b, ms);
      recordMs(all, ms);
    }
    recordMs(b, 45_000); // a slow outlier beyond the starting range
    recordMs(all, 45_000);
    const merged = mergeHistograms([decodeHistogram(encodeHistogram(a)), decodeHistogram(encodeHistogram(b))]);
    assert.equal(merged.totalCount, all.totalCount);
    for (const p of [1, 50, 90, 95, 99, 99.99, 100]) assert.equal(percentileMs(merged, p), percentileMs(all, p));
    assert.equal(merged.mean, all.mean);
  });
});
