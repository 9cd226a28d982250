/** A metric a threshold can check. Latencies are in milliseconds, error_rate a fraction, rps requests per second. */
export type MetricName = 'p' | 'avg' | 'min' | 'med' | 'max' | 'error_rate' | 'rps';

export type Operator = '<' | '<=' | '>' | '>=';

/** A parsed threshold such as `p(95)<200ms`, optionally scoped to one route. */
export interface Threshold {
  /** The text as written, for reports. */
  source: string;
  /** The route it applies to; undefined for all requests. */
  route?: string;
  metric: MetricName;
  /** The percentile for `p(N)`. */
  percentile?: number;
  op: Operator;
  /** The limit in the metric's unit: ms for latencies, a fraction for error_rate, req/s for rps. */
  limit: number;
}

/** What the metrics of one scope (all requests or a route) look like when thresholds are checked. */
export interface ScopeMetrics {
  /** Latency in ms at a percentile (0 to 100). */
  percentile(p: number): number;
  avg: number;
  min: number;
  max: number;
  errorRate: number;
  rps: number;
  /** Completed requests plus failed attempts; a scope without any cannot be judged. */
  attempts: number;
}

/** The outcome of one threshold. */
export interface ThresholdResult {
  threshold: string;
  route?: string;
  /** The measured value in the threshold's unit, or null when there was nothing to measure. */
  actual: number | null;
  /** The measured value as people read it (e.g. "187.3ms", "0.42%"). */
  actualText: string;
  ok: boolean;
}

export const THRESHOLD_SYNTAX = 'p(95)<200ms, avg<100ms, med<50ms, min<5ms, max<2s, error_rate<1%, rps>100 (operators < <= > >=; optional "route:" prefix)';

const LATENCY_UNITS: Record<string, number> = { us: 0.001, 'µs': 0.001, ms: 1, s: 1000, m: 60_000 };
const RE = /^(?:([A-Za-z0-9][\w.-]*)\s*:\s*)?(p\((\d+(?:\.\d+)?)\)|avg|min|med|max|error_rate|rps)\s*(<=|>=|<|>)\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|m|%)?$/;

/** Parses one threshold; throws an Error whose message says what was expected. */
export function parseThreshold(text: string, route?: string): Threshold {
  const src = text.trim();
  const m = RE.exec(src);
  if (!m) throw new Error(`threshold ${JSON.stringify(text)} is malformed, expected one like ${THRESHOLD_SYNTAX}`);
  const [, prefix, metricText, pct, op, num, unit] = m as unknown as [string, string | undefined, string, string | undefined, Operator, string, string | undefined];
  if (prefix && route) throw new Error(`threshold ${JSON.stringify(text)} belongs to route ${route} and cannot name another route`);
  const metric = (pct != null ? 'p' : metricText) as MetricName;
  const value = Number(num);
  let limit: number;
  if (metric === 'error_rate') {
    if (unit != null && unit !== '%') throw new Error(`threshold ${JSON.stringify(text)}: error_rate takes a percentage (1%) or a fraction (0.01), not ${unit}`);
    limit = unit === '%' ? value / 100 : value;
    if (limit > 1) throw new Error(`threshold ${JSON.stringify(text)}: error_rate cannot exceed 100%`);
  } else if (metric === 'rps') {
    if (unit != null) throw new Error(`threshold ${JSON.stringify(text)}: rps takes a plain number of requests per second, not ${unit}`);
    limit = value;
  } else {
    if (unit == null || unit === '%') throw new Error(`threshold ${JSON.stringify(text)}: a latency needs a unit (us, ms, s or m), e.g. ${metricText}<200ms`);
    limit = value * (LATENCY_UNITS[unit] as number);
  }
  const percentile = pct != null ? Number(pct) : undefined;
  if (percentile != null && (percentile <= 0 || percentile > 100)) throw new Error(`threshold ${JSON.stringify(text)}: the percentile must be above 0 and at most 100`);
  const scope = route ?? prefix;
  // The source is kept without its route prefix; the route is its own field.
  const source = prefix ? src.slice(src.indexOf(':') + 1).trim() : src;
  return { source, ...(scope ? { route: scope } : {}), metric, ...(percentile != null ? { percentile } : {}), op, limit };
}

/** Reads a threshold's metric from a scope's measurements. */
export function measure(t: Threshold, m: ScopeMetrics): number {
  switch (t.metric) {
    case 'p':
      return m.percentile(t.percentile as number);
    case 'avg':
      return m.avg;
    case 'min':
      return m.min;
    case 'med':
      return m.percentile(50);
    case 'max':
      return m.max;
    case 'error_rate':
      return m.errorRate;
    case 'rps':
      return m.rps;
  }
}

/** Checks one threshold against a scope; a scope with no requests breaks every threshold (nothing proves it). */
export function evaluate(t: Threshold, m: ScopeMetrics | undefined): ThresholdResult {
  const base = { threshold: t.source, ...(t.route ? { route: t.route } : {}) };
  if (!m || m.attempts === 0) return { ...base, actual: null, actualText: 'no requests', ok: false };
  const actual = measure(t, m);
  return { ...base, actual, actualText: formatMetric(t.metric, actual), ok: compare(actual, t.op, t.limit) };
}

function compare(a: number, op: Operator, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/** Formats a metric value for people. */
export function formatMetric(metric: MetricName, v: number): string {
  if (metric === 'error_rate') return `${round(v * 100, 3)}%`;
  if (metric === 'rps') return `${round(v, 1)}/s`;
  return formatMs(v);
}

/** Formats milliseconds: "0.42ms", "187ms", "2.31s". */
export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${round(ms / 1000, 1)}s`;
  if (ms >= 1000) return `${round(ms / 1000, 2)}s`;
  if (ms >= 100) return `${Math.round(ms)}ms`;
  if (ms >= 10) return `${round(ms, 1)}ms`;
  return `${round(ms, 2)}ms`;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
