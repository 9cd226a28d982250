import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

export type { Histogram };

/** Latencies are recorded in microseconds: 3 significant digits keep sub-millisecond loopback latencies exact to 0.1%. */
export function latencyHistogram(digits: 2 | 3 = 3): Histogram {
  // autoResize grows the range past 60 s when needed; starting small keeps memory low.
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: digits, autoResize: true, bitBucketSize: 32 });
}

/** A latency in milliseconds as the histograms' unit: whole microseconds, at least 1. */
export function histogramValue(ms: number): number {
  return Math.max(1, Math.round(ms * 1000));
}

/** Records a latency given in milliseconds. */
export function recordMs(h: Histogram, ms: number): void {
  h.recordValue(histogramValue(ms));
}

/** The latency at a percentile, in milliseconds. */
export function percentileMs(h: Histogram, p: number): number {
  return h.totalCount === 0 ? 0 : h.getValueAtPercentile(p) / 1000;
}

/** Encodes a histogram losslessly (HdrHistogram's compressed base64 format). */
export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

/** Decodes an encoded histogram; throws when the text is not one. */
export function decodeHistogram(text: string): Histogram {
  return hdr.decodeFromCompressedBase64(text, 32, false);
}

/** Adds histograms into a new one; HDR histograms merge without loss. */
export function mergeHistograms(parts: Histogram[], digits: 2 | 3 = 3): Histogram {
  const out = latencyHistogram(digits);
  for (const p of parts) out.add(p);
  return out;
}
