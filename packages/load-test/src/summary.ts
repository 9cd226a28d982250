import type { JsHistogram } from 'hdr-histogram-js';
import type { Histogram } from './histogram.ts';
import { decodeHistogram, encodeHistogram, mergeHistograms, percentileMs } from './histogram.ts';
import type { Collector } from './collector.ts';
import type { ScopeMetrics, ThresholdResult } from './threshold.ts';

/** Measurements of one scope (a route, or all requests) as stored in summary.json. */
export interface ScopeSummary {
  /** Requests that got a response (any status). */
  requests: number;
  /** Responses by status code. */
  status: Record<string, number>;
  /** Responses outside 2xx. */
  non2xx: number;
  timeouts: number;
  /** Connection errors by code. */
  connErrors: Record<string, number>;
  /** non2xx + timeouts + connection errors. */
  errors: number;
  errorRate: number;
  rps: number;
  latencyMs: { min: number; avg: number; p50: number; p90: number; p95: number; p99: number; max: number };
  /** The latency histogram (HdrHistogram compressed base64, microseconds); merges exactly. */
  histogram: string;
}

/** One slice of the latency-over-time chart. */
export interface TimelinePoint {
  /** Start of the slice in ms from the start of measurement. */
  t: number;
  requests: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
  histogram: string;
}

/** What the generator itself looked like: the evidence for or against saturation. */
export interface GeneratorStats {
  /** Share of one core the generator process used while measuring (0 to 1+). */
  cpu: number;
  /** Event-loop delay while measuring, ms. */
  eventLoopLagP99Ms: number;
  eventLoopLagMaxMs: number;
  /** Open model: requests per second asked for and actually sent. */
  targetRate?: number;
  sentRate?: number;
  /** Open model: slots that had to wait because every connection was busy. */
  queuedRequests?: number;
}

export type Verdict = 'pass' | 'fail' | 'inconclusive';

/** The summary of a run (or a merge of runs): the file people, the next run, and merge mode read. */
export interface RunSummary {
  format: 'steg-load-test/v1';
  verdict: Verdict;
  /** Why the verdict is inconclusive (empty otherwise). */
  saturation: string[];
  /** What limited the load, whatever the verdict (a merge decides again from these). */
  limited: { generator: string[]; connections: string[] };
  target: string;
  startedAt: string;
  /** Measured duration (warm-up excluded), ms. */
  durationMs: number;
  warmupMs: number;
  connections: number;
  /** requests/s for the open model; absent for the closed model. */
  rate?: number;
  /** How many runs this summary merges (1 for a single run). */
  runs: number;
  /** The thresholds checked, as written ("route: p(99)<300ms" for a route), so a merge can check them again. */
  thresholdSpecs: string[];
  overall: ScopeSummary;
  routes: Record<string, ScopeSummary>;
  thresholds: ThresholdResult[];
  baseline?: BaselineComparison;
  generator: GeneratorStats[];
  timelineBucketMs: number;
  timeline: TimelinePoint[];
}

/** One metric compared with the baseline run. */
export interface BaselineCheck {
  metric: string;
  route?: string;
  baseline: number;
  current: number;
  /** Change in percent; positive means worse. */
  changePct: number;
  ok: boolean;
}

export interface BaselineComparison {
  file: string;
  maxRegressionPct: number;
  checks: BaselineCheck[];
}

/** Raw per-scope data before it becomes a ScopeSummary. */
export interface ScopeData {
  hist: Histogram;
  status: Map<number, number> | Record<string, number>;
  timeouts: number;
  connErrors: Map<string, number> | Record<string, number>;
}

/** Summarises one scope over a measured duration. */
export function summarizeScope(d: ScopeData, durationMs: number): ScopeSummary {
  const status = toRecord(d.status);
  const connErrors = toRecord(d.connErrors);
  const requests = Object.values(status).reduce((a, b) => a + b, 0);
  const non2xx = Object.entries(status).filter(([code]) => !/^2\d\d$/.test(code)).reduce((a, [, n]) => a + n, 0);
  const conn = Object.values(connErrors).reduce((a, b) => a + b, 0);
  const errors = non2xx + d.timeouts + conn;
  const attempts = requests + d.timeouts + conn;
  const h = d.hist;
  const ms = (v: number): number => round3(v);
  return {
    requests,
    status,
    non2xx,
    timeouts: d.timeouts,
    connErrors,
    errors,
    errorRate: attempts === 0 ? 0 : errors / attempts,
    rps: durationMs > 0 ? round3(requests / (durationMs / 1000)) : 0,
    latencyMs: {
      min: h.totalCount ? ms(h.minNonZeroValue / 1000) : 0,
      avg: h.totalCount ? ms(h.mean / 1000) : 0,
      p50: ms(percentileMs(h, 50)),
      p90: ms(percentileMs(h, 90)),
      p95: ms(percentileMs(h, 95)),
      p99: ms(percentileMs(h, 99)),
      max: h.totalCount ? ms(maxMs(h)) : 0,
    },
    histogram: encodeHistogram(h),
  };
}

/** Sums the per-route data into the all-requests scope (histograms merge exactly). */
export function combineScopes(parts: ScopeData[]): ScopeData {
  const status = new Map<number, number>();
  const connErrors = new Map<string, number>();
  let timeouts = 0;
  for (const p of parts) {
    for (const [k, v] of Object.entries(toRecord(p.status))) status.set(Number(k), (status.get(Number(k)) ?? 0) + v);
    for (const [k, v] of Object.entries(toRecord(p.connErrors))) connErrors.set(k, (connErrors.get(k) ?? 0) + v);
    timeouts += p.timeouts;
  }
  return { hist: mergeHistograms(parts.map((p) => p.hist)), status, timeouts, connErrors };
}

/** Turns a collector's data into scopes and a timeline. */
export function summarizeCollector(c: Collector, durationMs: number): Pick<RunSummary, 'overall' | 'routes' | 'timeline' | 'timelineBucketMs'> {
  const routes: Record<string, ScopeSummary> = {};
  for (const r of c.routes) routes[r.name] = summarizeScope(r, durationMs);
  const overall = summarizeScope(combineScopes(c.routes), durationMs);
  const timeline = c.buckets.map((b, i) => timelinePoint(i * c.bucketMs, b.requests, b.errors, b.hist));
  return { overall, routes, timeline, timelineBucketMs: c.bucketMs };
}

/** One timeline slice from its histogram. */
export function timelinePoint(t: number, requests: number, errors: number, h: Histogram): TimelinePoint {
  return {
    t,
    requests,
    errors,
    p50: round3(percentileMs(h, 50)),
    p99: round3(percentileMs(h, 99)),
    max: h.totalCount ? round3(maxMs(h)) : 0,
    histogram: encodeHistogram(h),
  };
}

/** Re-reads a stored scope as raw data (for merging). */
export function scopeData(s: ScopeSummary): ScopeData {
  return { hist: decodeHistogram(s.histogram), status: s.status, timeouts: s.timeouts, connErrors: s.connErrors };
}

/** The metrics thresholds read from a scope. */
export function scopeMetrics(s: ScopeSummary): ScopeMetrics {
  let hist: Histogram | undefined;
  return {
    // Read exact percentiles from the histogram, not the rounded fields, so any p(N) works.
    percentile: (p) => percentileMs((hist ??= decodeHistogram(s.histogram)), p),
    avg: s.latencyMs.avg,
    min: s.latencyMs.min,
    max: s.latencyMs.max,
    errorRate: s.errorRate,
    rps: s.rps,
    attempts: s.requests + s.timeouts + Object.values(s.connErrors).reduce((a, b) => a + b, 0),
  };
}

function toRecord<K extends string | number>(m: Map<K, number> | Record<string, number>): Record<string, number> {
  if (m instanceof Map) return Object.fromEntries([...m].sort(([a], [b]) => String(a).localeCompare(String(b))).map(([k, v]) => [String(k), v]));
  return { ...m };
}

/**
 * The maximum at the histogram's precision: a recorded maximum is exact but a merged one is its
 * bucket's top, so reporting the bucket top keeps a run and a merge of runs identical.
 */
function maxMs(h: Histogram): number {
  return (h as JsHistogram).highestEquivalentValue(h.maxValue) / 1000;
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
