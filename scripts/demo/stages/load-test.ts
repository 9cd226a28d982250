// Demo stage: load-test loads the running step-counter with the app's own load profile
// (packages/step-counter/load/profile.yaml) for a few seconds in the open model, then shows the
// verdict, the thresholds and where the HTML report is. A broken threshold or an inconclusive
// verdict is what a pipeline would see, so the demo shows it rather than stopping.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoContext, DemoStage } from '../types.ts';

interface Summary {
  thresholds: { threshold: string; route?: string; actualText: string; ok: boolean }[];
  saturation: string[];
  overall: { requests: number; rps: number; errors: number; latencyMs: { p50: number; p95: number; p99: number } };
}

/** The load-test stage: a few seconds of load on the demo app, the verdict and the report. */
export const stage: DemoStage = {
  title: 'load-test: step-counter under its load profile, thresholds and a verdict',
  phase: 'app',
  order: 40,
  async run(ctx: DemoContext): Promise<void> {
    if (!ctx.appUrl) throw new Error('load-test stage: the app is not running (ctx.appUrl is unset)');
    const reports = join(ctx.workDir, 'load-test');
    const profile = join(ctx.root, 'packages', 'step-counter', 'load', 'profile.yaml');
    ctx.log(`load-test: ${ctx.appUrl} with ${profile}, 50 req/s for 5s after 1s warm-up`);
    const { code, results } = await ctx.runStep('load-test', [
      '--target', ctx.appUrl,
      '--profile', profile,
      '--rate', '50',
      '--connections', '10',
      '--duration', '5s',
      '--warmup', '1s',
      '--progress-interval', '2s',
      '--report-dir', reports,
      '--baseline', join(reports, 'baseline.json'),
    ]);
    // 1 (a threshold broken) and 3 (inconclusive) are verdicts; 2 and 4 mean the demo itself is wrong.
    if (code !== 0 && code !== 1 && code !== 3) throw new Error(`load-test exited with ${code}`);
    const s = JSON.parse(readFileSync(join(reports, 'summary.json'), 'utf8')) as Summary;
    const o = s.overall;
    ctx.log(`load-test: ${o.requests} requests at ${o.rps} req/s, ${o.errors} errors, p50 ${o.latencyMs.p50}ms, p95 ${o.latencyMs.p95}ms, p99 ${o.latencyMs.p99}ms`);
    for (const t of s.thresholds) ctx.log(`load-test:   ${t.ok ? 'ok    ' : 'BROKEN'} ${t.route ? `${t.route}: ` : ''}${t.threshold} (${t.actualText})`);
    for (const r of s.saturation) ctx.log(`load-test:   inconclusive because ${r}`);
    ctx.log(`load-test: verdict ${String(results.verdict).toUpperCase()} (exit ${code}); HTML report ${results.report}`);
  },
};
