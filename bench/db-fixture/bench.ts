// db-fixture benchmark: time to hand out a ready database from a warm template, against
// running the migrations and seeds for each database, and against starting a fresh PostgreSQL
// container with testcontainers. Same machine, same run; writes RESULTS.md beside this file.
//   node --import tsx bench/db-fixture/bench.ts [--quick]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from '@steg/test-support';
import { FixtureServer, createFixture, loadMigrations, loadSeeds, loadSeedFiles, migrate } from '../../packages/db-fixture/src/index.ts';
import { connect, parseServerUrl } from '../../packages/db-fixture/src/connect.ts';
import { writeSynthetic } from './synthetic.ts';

const root = new URL('../../', import.meta.url).pathname;
const quick = process.argv.includes('--quick');
const N = { warm: quick ? 10 : 25, cli: quick ? 5 : 10, migrateSmall: quick ? 3 : 5, migrateLarge: quick ? 2 : 3, containers: quick ? 2 : 3 };

interface Stats { n: number; p50: number; p95: number; mean: number; min: number; max: number }

function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] as number;
  return { n: s.length, p50: q(0.5), p95: q(0.95), mean: s.reduce((a, b) => a + b, 0) / s.length, min: s[0] as number, max: s[s.length - 1] as number };
}

const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

async function main(): Promise<void> {
  const started = new Date();
  const load0 = loadavg()[0] as number;
  const work = mkdtempSync(join(tmpdir(), 'steg-bench-dbfx-'));
  const rows: { dataset: string; what: string; s: Stats }[] = [];
  const add = (dataset: string, what: string, xs: number[]): Stats => {
    const s = stats(xs);
    rows.push({ dataset, what, s });
    console.log(`${dataset.padEnd(13)} ${what.padEnd(58)} n=${String(s.n).padStart(3)} p50 ${fmt(s.p50).padStart(9)} p95 ${fmt(s.p95).padStart(9)}`);
    return s;
  };
  await using pgc = await startPostgres({ user: 'admin', password: 'bench-admin-pw', database: 'postgres' });
  const adminUrl = pgc.url;
  const server = parseServerUrl(adminUrl);
  const datasets = [
    { name: 'step-counter', migrations: join(root, 'packages/step-counter/migrations'), seeds: join(root, 'packages/step-counter/seeds') },
    { name: 'synthetic', ...writeSynthetic(join(work, 'synthetic')) },
  ];
  const ratios: string[] = [];
  const find = (dataset: string, prefix: string): Stats => (rows.find((r) => r.dataset === dataset && r.what.startsWith(prefix)) as { s: Stats }).s;
  try {
    for (const d of datasets) {
      const migs = loadMigrations(d.migrations);
      const seeds = loadSeeds(d.seeds);
      console.log(`\n${d.name}: ${migs.length} migrations, ${seeds.length} seed files`);
      // Cold: the first create builds the template.
      const cold = await createFixture({ adminUrl, migrations: d.migrations, seeds: d.seeds, prefix: 'bench', maxFixtures: 1000 });
      add(d.name, 'cold: first create (builds the template, then clones)', [cold.durationMs]);

      // Warm, library: one admin connection, as a test suite would hold it; a clone per create.
      {
        await using s = await FixtureServer.open({ adminUrl, migrations: d.migrations, seeds: d.seeds, prefix: 'bench' });
        const xs: number[] = [];
        for (let i = 0; i < N.warm; i++) {
          const f = await s.create({ maxFixtures: 1000, runId: `warm-${i}` });
          xs.push(f.durationMs);
          await s.drop(f.database);
        }
        add(d.name, 'warm template, clone: FixtureServer.create (open connection)', xs);
        // With a spare made by the previous drop (as steg-db-fixture-drop does in finally): a rename.
        await s.refill(1, 1000);
        const ys: number[] = [];
        for (let i = 0; i < N.warm; i++) {
          const f = await s.create({ maxFixtures: 1000, runId: `spare-${i}` });
          if (!f.fromSpare) throw new Error('expected a spare');
          ys.push(f.durationMs);
          // The last drop leaves no spare, so the next measurement clones.
          await s.drop(f.database, { spares: i < N.warm - 1 ? 1 : 0, maxFixtures: 1000 });
        }
        add(d.name, 'warm template, spare: FixtureServer.create (open connection)', ys);
      }
      // Warm, one-shot library call: connect + authenticate + clone + disconnect.
      {
        const xs: number[] = [];
        for (let i = 0; i < N.warm; i++) {
          const f = await createFixture({ adminUrl, migrations: d.migrations, seeds: d.seeds, prefix: 'bench', maxFixtures: 1000 });
          xs.push(f.durationMs);
          await using s = await FixtureServer.open({ adminUrl, prefix: 'bench' });
          await s.drop(f.database, { spares: 0 });
        }
        add(d.name, 'warm template, clone: createFixture() (connects each time)', xs);
      }
      // Warm, the step bundle as a pipeline runs it (process start to exit), a spare waiting.
      {
        const xs: number[] = [];
        const inner: number[] = [];
        const resultsDir = join(work, 'results');
        {
          await using s = await FixtureServer.open({ adminUrl, migrations: d.migrations, seeds: d.seeds, prefix: 'bench' });
          await s.refill(1, 1000);
        }
        for (let i = 0; i < N.cli; i++) {
          const t0 = performance.now();
          const r = spawnSync(process.execPath, [join(root, 'dist/db-fixture.mjs'), '--migrations', d.migrations, '--seeds', d.seeds, '--prefix', 'bench', '--max-fixtures', '1000', '--results-dir', resultsDir], {
            env: { ...process.env, STEG_ADMIN_URL: adminUrl },
            encoding: 'utf8',
          });
          xs.push(performance.now() - t0);
          if (r.status !== 0) throw new Error(`db-fixture bundle exited ${r.status}: ${r.stderr}`);
          if (!/a spare of/.test(r.stderr)) throw new Error(`expected a spare: ${r.stderr}`);
          inner.push(Number(readFileSync(join(resultsDir, 'duration-ms'), 'utf8')));
          const db = readFileSync(join(resultsDir, 'database'), 'utf8');
          await using s = await FixtureServer.open({ adminUrl, prefix: 'bench' });
          await s.drop(db, { spares: 1, maxFixtures: 1000 });
        }
        add(d.name, 'warm template, spare: step bundle, process wall time', xs);
        add(d.name, 'warm template, spare: step bundle, its duration-ms result', inner);
      }
      // Without templates: a new database, then every migration and seed file.
      {
        const xs: number[] = [];
        const n = d.name === 'synthetic' ? N.migrateLarge : N.migrateSmall;
        const admin = await connect(server, server.database);
        for (let i = 0; i < n; i++) {
          const db = `bench_migrate_${i}`;
          const t0 = performance.now();
          await admin.query(`CREATE DATABASE ${db} TEMPLATE template0`);
          const c = await connect(server, db);
          await migrate(c, migs);
          await loadSeedFiles(c, seeds);
          await c.end();
          xs.push(performance.now() - t0);
          await admin.query(`DROP DATABASE ${db} WITH (FORCE)`);
        }
        await admin.end();
        const mig = add(d.name, 'no template: create database + run migrations and seeds', xs);
        const clone = find(d.name, 'warm template, clone: FixtureServer');
        const spare = find(d.name, 'warm template, spare: FixtureServer');
        ratios.push(`${d.name}: migrating and seeding each database takes ${(mig.p50 / clone.p50).toFixed(1)}x a warm clone and ${(mig.p50 / spare.p50).toFixed(0)}x a spare hand-out (p50)`);
      }
    }
    // A fresh PostgreSQL container per test suite (testcontainers), without any migrations.
    {
      const xs: number[] = [];
      for (let i = 0; i < N.containers; i++) {
        const t0 = performance.now();
        const c = await startPostgres();
        xs.push(performance.now() - t0);
        await c[Symbol.asyncDispose]();
      }
      const ct = add('-', 'fresh PostgreSQL container (testcontainers), empty', xs);
      for (const d of datasets) {
        const clone = find(d.name, 'warm template, clone: FixtureServer');
        const spare = find(d.name, 'warm template, spare: FixtureServer');
        ratios.push(`${d.name}: a fresh empty container takes ${(ct.p50 / clone.p50).toFixed(1)}x a warm clone and ${(ct.p50 / spare.p50).toFixed(0)}x a spare hand-out (p50), before any migration`);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const load1 = loadavg()[0] as number;
  console.log(`\n${ratios.join('\n')}`);
  const md = [
    '# db-fixture benchmark',
    '',
    `Date: ${started.toISOString()}. Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), shared with other work: load average ${load0.toFixed(1)} at the start, ${load1.toFixed(1)} at the end. PostgreSQL 15 (localhost/steg/postgres:15) in Docker, Node ${process.version}.`,
    '',
    'Command (after `npm run build`, Docker running):',
    '',
    '```',
    `node --import tsx bench/db-fixture/bench.ts${quick ? ' --quick' : ''}`,
    '```',
    '',
    '| dataset | what | n | p50 | p95 | mean | min | max |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.dataset} | ${r.what} | ${r.s.n} | ${fmt(r.s.p50)} | ${fmt(r.s.p95)} | ${fmt(r.s.mean)} | ${fmt(r.s.min)} | ${fmt(r.s.max)} |`),
    '',
    'Ratios:',
    '',
    ...ratios.map((r) => `- ${r}`),
    '',
    'Reading the figures:',
    '',
    '- *clone*: `CREATE DATABASE … TEMPLATE` of the warm template. PostgreSQL 15 copies the whole template (system catalogs included, about 8 MB before any data) through WAL, so this is CPU and I/O bound and suffers most from a busy machine.',
    '- *spare*: a clone made ahead of time by the previous `drop` (the `finally` task, after the tests, so off the pipeline\'s critical path) and renamed into the fixture: one catalog update, no copy. This is the figure comparable with IntegreSQL (11 ms average on its hardware), which also hands out databases it cloned in advance.',
    '- *step bundle*: the pipeline\'s view, a whole `node dist/db-fixture.mjs` run (Node start, admin login, hand-out, results); `duration-ms` is the hand-out inside it.',
    '- *no template*: what a pipeline does without db-fixture: a new database and every migration and seed file applied to it.',
    '- *fresh container*: `startPostgres()` (testcontainers, local image) until it accepts connections, with no migrations at all; the testcontainers approach also pays the migrations on top.',
    '- Concurrency (20 creates from a cold template, one build) is covered by the tests, not timed here.',
    '',
  ];
  writeFileSync(new URL('RESULTS.md', import.meta.url), `${md.join('\n')}\n`);
}

await main();
