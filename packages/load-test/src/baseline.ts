import type { BaselineCheck, RunSummary, ScopeSummary } from './summary.ts';

/** How a run is compared with its baseline. */
export interface BaselineOptions {
  /** Fail when a metric is worse by more than this many percent. */
  maxRegressionPct: number;
  /** Latency changes smaller than this (ms) are noise, whatever their percentage. */
  minDeltaMs: number;
}

/**
 * Compares latency (p50, p95, p99 overall and p95 per route) and, in the closed model,
 * throughput with a previous run. Error rates are left to absolute thresholds: a
 * percentage of zero means nothing.
 */
export function compareWithBaseline(cur: RunSummary, base: RunSummary, o: BaselineOptions): BaselineCheck[] {
  const checks: BaselineCheck[] = [];
  const latency = (metric: 'p50' | 'p95' | 'p99', c: ScopeSummary, b: ScopeSummary, route?: string): void => {
    const bv = b.latencyMs[metric];
    const cv = c.latencyMs[metric];
    if (b.requests === 0 || c.requests === 0) return;
    const changePct = bv > 0 ? ((cv - bv) / bv) * 100 : 0;
    const ok = changePct <= o.maxRegressionPct || cv - bv < o.minDeltaMs;
    checks.push({ metric: `${metric} latency`, ...(route ? { route } : {}), baseline: bv, current: cv, changePct: round1(changePct), ok });
  };
  for (const m of ['p50', 'p95', 'p99'] as const) latency(m, cur.overall, base.overall);
  for (const [name, scope] of Object.entries(cur.routes)) {
    const b = base.routes[name];
    if (b && Object.keys(cur.routes).length > 1) latency('p95', scope, b, name);
  }
  if (cur.rate == null && base.rate == null && base.overall.rps > 0) {
    const changePct = ((base.overall.rps - cur.overall.rps) / base.overall.rps) * 100;
    checks.push({ metric: 'rps', baseline: base.overall.rps, current: cur.overall.rps, changePct: round1(changePct), ok: changePct <= o.maxRegressionPct });
  }
  return checks;
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
