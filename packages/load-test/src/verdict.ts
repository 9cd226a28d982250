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

/** What limited the load, by kind; see `decide` for what each kind does to the verdict. */
export interface Limited {
  /** The generator itself (CPU, event-loop lag, sending late): its timings are not trustworthy. */
  generator: string[];
  /** Every connection was busy, so less than the asked rate was sent (latencies still count from when requests were due). */
  connections: string[];
}

/** Reasons the generator was the bottleneck (empty lists when it was not). */
export function saturationReasons(gens: GeneratorStats[], l: SaturationLimits): Limited {
  const out: Limited = { generator: [], connections: [] };
  gens.forEach((g, i) => {
    const who = gens.length > 1 ? `run ${i + 1}: ` : '';
    if (g.cpu >= l.maxCpu) out.generator.push(`${who}the generator used ${pct(g.cpu)} of a CPU core (limit ${pct(l.maxCpu)}): it, not the target, limited the load`);
    if (g.eventLoopLagP99Ms > l.maxLagMs) out.generator.push(`${who}the generator's event loop lagged ${g.eventLoopLagP99Ms}ms at p99 (limit ${l.maxLagMs}ms): its timings are not trustworthy`);
    if (g.targetRate != null && g.sentRate != null && g.sentRate < g.targetRate * l.minRateShare) {
      const text = `${who}the generator sent ${g.sentRate} req/s of the ${g.targetRate} req/s asked for`;
      if (g.queuedRequests) out.connections.push(`${text}; ${g.queuedRequests} requests waited for a free connection (raise connections)`);
      else out.generator.push(text);
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

/**
 * A generator that could not keep time decides nothing (inconclusive). A run held below the
 * asked rate by busy connections measured less load than asked: a broken threshold there is a
 * real failure (it only gets worse with more load), but passing proves nothing (inconclusive).
 */
export function decide(limited: Limited, thresholds: ThresholdResult[], baseline: BaselineCheck[] = []): Verdict {
  if (limited.generator.length > 0) return 'inconclusive';
  const ok = thresholds.every((t) => t.ok) && baseline.every((b) => b.ok);
  if (!ok) return 'fail';
  return limited.connections.length > 0 ? 'inconclusive' : 'pass';
}

function pct(v: number): string {
  return `${Math.round(v * 100)}%`;
}
