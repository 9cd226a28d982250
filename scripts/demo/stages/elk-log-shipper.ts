// Demo stage: elk-log-shipper ships the demo's build logs to Elasticsearch as a pipeline's
// `finally` would. Elasticsearch cannot run here, so the stage starts the project's
// Elasticsearch double in-process (the same one the tests use: real _bulk semantics, 409 on
// existing ids). It ships the log files the earlier stages left in the work dir plus a failed
// Maven test run, runs again to show that re-runs add nothing, and prints where the documents
// went and which errors were found.
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EsDouble } from '../../../packages/elk-log-shipper/test/doubles/es-double.ts';
import type { DemoContext, DemoStage } from '../types.ts';

/** The elk-log-shipper stage: the demo's logs, with the errors pulled out, into an Elasticsearch double. */
export const stage: DemoStage = {
  title: 'elk-log-shipper: build logs and their errors into Elasticsearch (a local double)',
  phase: 'app',
  order: 90,
  async run(ctx: DemoContext): Promise<void> {
    const es = await new EsDouble().start();
    try {
      const dir = join(ctx.workDir, 'elk-log-shipper');
      mkdirSync(dir, { recursive: true });
      // A real failing Maven test run (Maven 3.8, JUnit 5), as a build step would tee it.
      cpSync(join(ctx.root, 'packages', 'elk-log-shipper', 'test', 'fixtures', 'real', 'maven-test-failure.log'), join(dir, 'mvn-test.log'));
      const index = 'logs-steg.build-demo';
      const args = [
        `--workspace=${ctx.workDir}`, '--files=**/*.log', `--url=${es.url}`, `--index=${index}`, '--mode=setup-and-ship',
        '--pipeline-name=step-counter-ci', '--pipeline-run=step-counter-ci-demo-1', '--task-name=test', '--task-run=step-counter-ci-demo-1-test',
        '--step-name=mvn', '--exit-code=1', '--vcs-ref=main', '--kibana-url=http://localhost:5601',
        `--dead-letter-file=${join(dir, 'dead-letter.ndjson')}`, `--spool-dir=${join(dir, 'spool')}`,
      ];
      ctx.log(`elk-log-shipper: shipping ${ctx.workDir}/**/*.log into data stream ${index} at ${es.url}`);
      const first = await ctx.runStep('elk-log-shipper', args);
      if (first.code !== 0) throw new Error(`elk-log-shipper exited with ${first.code}`);
      const docs = [...es.docs(index).values()].map((s) => JSON.parse(s) as Record<string, unknown>);
      const byType = new Map<string, number>();
      for (const d of docs) if (d['error.type']) byType.set(String(d['error.type']), (byType.get(String(d['error.type'])) ?? 0) + 1);
      ctx.log(`elk-log-shipper: ${docs.length} documents in ${index} (template ${[...es.templates.keys()].join(', ')}); errors by type: ${[...byType].map(([t, n]) => `${t}=${n}`).join(', ')}`);
      const summary = docs.find((d) => d['event.action'] === 'step-failed');
      if (summary) ctx.log(`elk-log-shipper: failure summary: ${summary.message} - ${summary['error.type']}: ${summary['error.message']}`);
      ctx.log(`elk-log-shipper: Kibana would show them at ${first.results['kibana-url']}`);
      const again = await ctx.runStep('elk-log-shipper', args);
      ctx.log(`elk-log-shipper: a re-run shipped ${again.results.shipped} documents, all "already there" (409): the index still holds ${es.docs(index).size}`);
    } finally {
      await es.stop();
    }
  },
};
