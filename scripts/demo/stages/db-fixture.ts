// Demo stage: db-fixture gives step-counter its database, as the pipeline's database task does:
// the bundle builds a template from step-counter's migrations and seeds, clones a fixture from
// it, and writes the full URL to a connection file; the results carry no password. A second
// create shows the warm path (a clone from the existing template). The fixtures are not
// dropped here: the app uses the first one until the demo ends, and the demo's clean-up removes
// the whole embedded server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoContext, DemoStage } from '../types.ts';

/** The db-fixture stage: migrated, seeded database for step-counter from a template. */
export const stage: DemoStage = {
  title: 'db-fixture: step-counter\'s database, migrated and seeded, cloned from a template',
  phase: 'database',
  order: 10,
  async run(ctx: DemoContext): Promise<void> {
    const app = join(ctx.root, 'packages', 'step-counter');
    const connectionFile = join(ctx.workDir, 'db-fixture', 'database-url');
    const common = ['--migrations', join(app, 'migrations'), '--seeds', join(app, 'seeds'), '--run-id', 'demo', '--owner', 'steg-demo', '--ttl', '1h'];
    // The admin URL is a secret: it goes through the environment, never a flag.
    const env = { STEG_ADMIN_URL: ctx.adminUrl };
    ctx.log('db-fixture: building the template from step-counter/migrations and seeds, then cloning a fixture');
    const first = await ctx.runStep('db-fixture', [...common, '--connection-file', connectionFile], env);
    if (first.code !== 0) throw new Error(`db-fixture exited with ${first.code}`);
    ctx.log(`db-fixture: ${first.results.database} (template ${first.results.template}) in ${first.results['duration-ms']} ms; url result ${first.results.url} (no password)`);
    ctx.databaseUrl = readFileSync(connectionFile, 'utf8').trim();

    // What every later pipeline run gets: the template exists, so create is only a clone.
    const warmFile = join(ctx.workDir, 'db-fixture', 'warm-url');
    const warm = await ctx.runStep('db-fixture', [...common, '--connection-file', warmFile], env);
    if (warm.code !== 0) throw new Error(`db-fixture (warm) exited with ${warm.code}`);
    ctx.log(`db-fixture: a second fixture from the warm template in ${warm.results['duration-ms']} ms (${warm.results.database}); dropping it`);
    const drop = await ctx.runStep('db-fixture', ['--mode', 'drop', '--connection-file', warmFile], env);
    if (drop.code !== 0) throw new Error(`db-fixture drop exited with ${drop.code}`);
  },
};
