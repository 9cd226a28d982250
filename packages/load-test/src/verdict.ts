import type { BaselineCheck, GeneratorStats, RunSummary, ScopeSummary, Verdict } from './summary.ts';
import { scopeMetrics } from './summary.ts';
import type { Threshold, ThresholdResult } from './threshold.ts';
import { evaluate } from './threshold.ts';

/** Limits beyond which the generator, not the target, is the bottleneck. */
export interface SaturationLimits {
  /** Share of one core (0.95 = 95%). */
  maxCpu: number;
  maxLagMs: number;
  /** Open model: the share of the asked rate that must have been sent. */
  minRateShare: number;
}

/** Reasons the generator was saturated (empty when it was not): each makes the verdict inconclusive. */
export function saturationReasons(gens: GeneratorStats[], l: SaturationLimits): string[] {
  const out: string[] = [];
  gens.forEach((g, i) => {
    const who = gens.length > 1 ? `run ${i + 1}: ` : '';
    if (g.cpu >= l.maxCpu) out.push(`${who}the generator used ${pct(g.cpu)} of a CPU core (limit ${pct(l.maxCpu)}): it, not the target, limited the load`);
    if (g.eventLoopLagP99Ms > l.maxLagMs) out.push(`${who}the generator's event loop lagged ${g.eventLoopLagP99Ms}ms at p99 (limit ${l.maxLagMs}ms): its timings are not trustworthy`);
    if (g.targetRate != null && g.sentRate != null && g.sentRate < g.targetRate * l.minRateShare) {
      const why = g.queuedRequests ? `; ${g.queuedRequests} requests waited for a free connection (raise connections)` : '';
      out.push(`${who}the generator sent ${g.sentRate} req/s of the ${g.targetRate} req/s asked for${why}`);
    }
  });
  return out;
}

/** Checks every threshold against the summary's scopes. */
export function checkThresholds(thresholds: Threshold[], s: Pick<RunSummary, 'overall' | 'routes'>): ThresholdResult[] {
  return thresholds.map((t) => {
    const scope: ScopeSummary | undefined = t.route ? s.routes[t.route] : s.overall;
    return evaluate(t, scope ? scopeMetrics(scope) : undefined);
  });
}

/** Saturation first (no false pass or fail), then every threshold and baseline check. */
export function decide(saturation: string[], thresholds: ThresholdResult[], baseline: BaselineCheck[] = []): Verdict {
  if (saturation.length > 0) return 'inconclusive';
  return thresholds.every((t) => t.ok) && baseline.every((b) => b.ok) ? 'pass' : 'fail';
}

function pct(v: number): string {
  return `${Math.round(v * 100)}%`;
}
