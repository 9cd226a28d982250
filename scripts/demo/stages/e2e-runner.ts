// Demo stage: step-counter's own Playwright suite through e2e-runner, in Chromium, against the
// running demo app, after waiting until the app reports the version it is expected to run.
import { join } from 'node:path';
import type { DemoContext, DemoStage } from '../types.ts';

/** The e2e-runner stage: wait for the version, run the suite, show the verdict and where the reports are. */
export const stage: DemoStage = {
  title: 'e2e-runner: step-counter\'s Playwright suite in Chromium',
  phase: 'app',
  order: 30,
  async run(ctx: DemoContext): Promise<void> {
    if (!ctx.appUrl) throw new Error('e2e-runner stage: the app is not running (ctx.appUrl is unset)');
    // A pipeline knows the version it just deployed (set-version's result); here the app says it.
    const res = await fetch(`${ctx.appUrl}/version`, { signal: AbortSignal.timeout(10_000) });
    const { version } = (await res.json()) as { version: string };
    const reports = join(ctx.workDir, 'e2e-reports');
    ctx.log(`running step-counter's e2e suite against ${ctx.appUrl}, expecting version ${version}`);
    const { code, results } = await ctx.runStep('e2e-runner', [
      '--url', ctx.appUrl,
      '--expected-version', version,
      '--wait-interval', '1s',
      '--wait-timeout', '1m',
      '--suite', join(ctx.root, 'packages', 'step-counter'),
      '--reports', reports,
      '--retries', '1',
    ]);
    ctx.log(`e2e-runner: ${results.summary ?? `exit ${code}`}`);
    ctx.log(`reports: ${join(reports, 'html', 'index.html')} and ${join(reports, 'junit.xml')}`);
    if (code !== 0) throw new Error(`e2e-runner exited with ${code}`);
  },
};
