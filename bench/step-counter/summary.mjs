#!/usr/bin/env node
// Baseline for step-counter's hot read: GET /api/summary (the `summary` route of
// packages/step-counter/load/profile.yaml, so load-test reproduces the same request) under
// autocannon at a fixed load, on the seeded database. Writes RESULTS.md beside this file.
//   node bench/step-counter/summary.mjs                 start PostgreSQL + the app, measure, stop
//   node bench/step-counter/summary.mjs --url URL       measure an app that already runs (seeded)
//   options: --connections 10 --duration 15 --rate 100 --no-write
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { register } from 'tsx/esm/api';
import YAML from 'yaml';

const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const { values: opt } = parseArgs({
  options: {
    url: { type: 'string' },
    connections: { type: 'string', default: '10' },
    duration: { type: 'string', default: '15' },
    rate: { type: 'string', default: '100' },
    'no-write': { type: 'boolean', default: false },
  },
});

const profile = YAML.parse(readFileSync(join(root, 'packages/step-counter/load/profile.yaml'), 'utf8'));
const route = profile.routes.find((r) => r.name === 'summary');
const connections = Number(opt.connections);
const duration = Number(opt.duration);
const rate = Number(opt.rate);

/** One autocannon run; overallRate fixes the request rate (else as fast as the connections go). */
function load(url, extra = {}, path = route.path) {
  return new Promise((resolve, reject) => {
    autocannon({ url: `${url}${path}`, method: route.method ?? 'GET', headers: route.headers ?? {}, connections, duration, ...extra }, (err, r) => (err ? reject(err) : resolve(r)));
  });
}

const cleanups = [];
async function main() {
  let url = opt.url;
  if (!url) {
    // The demo's own pieces: embedded PostgreSQL, step-counter's migrations/seeds, the bundle.
    register();
    const { startDemoPostgres } = await import('../../scripts/demo/postgres.ts');
    const { startDemoApp } = await import('../../scripts/demo/app-process.ts');
    const { migrateAndSeed } = await import('../../packages/step-counter/test/apply-fixtures.ts');
    const { default: pg } = await import('pg');
    execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), 'step-counter'], { stdio: 'inherit' });
    const work = mkdtempSync(join(tmpdir(), 'steg-bench-'));
    chmodSync(work, 0o755); // as root, Postgres runs as the postgres OS user, which must enter it
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));
    const postgres = await startDemoPostgres(join(work, 'pg'), (l) => console.log(l));
    cleanups.push(() => postgres.stop());
    const admin = new pg.Client({ connectionString: postgres.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE bench');
    await admin.end();
    const dbUrl = new URL(postgres.adminUrl);
    dbUrl.pathname = '/bench';
    await migrateAndSeed(dbUrl.toString());
    const c = new pg.Client({ connectionString: dbUrl.toString() });
    await c.connect();
    await c.query('VACUUM ANALYZE');
    await c.end();
    const app = await startDemoApp({ root, workDir: work, databaseUrl: dbUrl.toString() });
    cleanups.push(() => app.stop());
    url = app.url;
    console.log(`step-counter on ${url} (${postgres.kind})`);
  }
  const probe = await fetch(`${url}${route.path}`);
  if (!probe.ok) throw new Error(`GET ${route.path} answered ${probe.status}; is the database seeded?`);

  await load(url, { duration: 3 }); // warm-up: JIT, connection pool, Postgres caches
  const max = await load(url);
  const fixed = await load(url, { overallRate: rate });
  // Reference: the same server answering without the database, to tell HTTP cost from query cost.
  const version = await load(url, {}, '/version');
  const row = (name, r) => ({
    name,
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    errors: r.errors + r.non2xx,
    total: r.requests.total,
  });
  const rows = [
    row(`summary: ${connections} connections, as fast as possible`, max),
    row(`summary: fixed rate ${rate} req/s, ${connections} connections`, fixed),
    row(`reference: GET /version (no database), ${connections} connections`, version),
  ];
  console.table(rows);
  if (!opt['no-write']) writeResults(rows);
}

function writeResults(rows) {
  const cmd = `node bench/step-counter/summary.mjs --connections ${connections} --duration ${duration} --rate ${rate}`;
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
  const md = `# step-counter: summary endpoint baseline

\`GET ${route.path}\` (route \`summary\` of \`packages/step-counter/load/profile.yaml\`: one user's
${'daily and weekly totals over 86 days of seeded entries'}), measured with autocannon ${readVersion('autocannon')}
for ${duration} s per run after a 3 s warm-up, against \`dist/step-counter.mjs\` on embedded PostgreSQL 15
with \`seeds/\` loaded (48 users, ~4 900 entries) and ANALYZEd. Generator, app and PostgreSQL share the machine.

| load | requests/s | p50 ms | p99 ms | max ms | errors | requests |
|---|---:|---:|---:|---:|---:|---:|
${rows.map((r) => `| ${r.name} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.max} | ${r.errors} | ${r.total} |`).join('\n')}

- Command: \`${cmd}\` (from the repository root, after \`npm ci\`; or \`npm run bench -- step-counter\`)
- Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${commit}, Node ${process.version}
- Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' / ')}
  (other work was running on the machine; a quiet machine gives higher requests/s and lower latency)
- load-test reproduces this with the \`summary\` route of the profile at a fixed rate of ${rate} req/s.
`;
  writeFileSync(new URL('RESULTS.md', import.meta.url), md);
  console.log('wrote bench/step-counter/RESULTS.md');
}

function readVersion(pkg) {
  return JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

main()
  .catch((err) => {
    console.error(`bench failed: ${err.message}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const fn of cleanups.reverse()) await Promise.resolve().then(fn).catch((e) => console.error(`clean-up: ${e.message}`));
  });
