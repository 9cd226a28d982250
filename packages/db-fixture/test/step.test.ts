import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInProcess, startPostgres, testdir } from '@steg/test-support';
import type { PostgresHandle } from '@steg/test-support';
import { step } from '../src/step.ts';
import { CANARY, MIGRATIONS, SEEDS, databases, query, write } from './helpers.ts';

let pgc: PostgresHandle;
let work: string;
let secretFile: string;
let dirs: { migrations: string; seeds: string };

before(async () => {
  pgc = await startPostgres({ user: 'admin', password: CANARY, database: 'postgres' });
  work = mkdtempSync(join(tmpdir(), 'db-fixture-step-'));
  // The admin URL arrives as a mounted Secret file, as in Tekton.
  secretFile = join(work, 'admin-url');
  writeFileSync(secretFile, `${pgc.url}\n`);
  dirs = { migrations: join(work, 'migrations'), seeds: join(work, 'seeds') };
  write(dirs.migrations, MIGRATIONS);
  write(dirs.seeds, SEEDS);
});

after(async () => {
  rmSync(work, { recursive: true, force: true });
  await pgc?.[Symbol.asyncDispose]();
});

function noSecrets(r: { stdout: string; stderr: string; results: Record<string, string> }): void {
  const all = r.stdout + r.stderr + JSON.stringify(r.results);
  assert.ok(!all.includes(CANARY), `the admin password leaked:\n${all}`);
}

test('create writes the results without the password and the full URL to the connection file; drop removes it', async () => {
  const conn = join(work, 'ws', 'database-url');
  const r = await runInProcess(step, ['--migrations', dirs.migrations, '--seeds', dirs.seeds, '--connection-file', conn, '--run-id', 'pr-build-7'], {
    env: { STEG_ADMIN_URL_FILE: secretFile },
  });
  assert.equal(r.code, 0, r.stderr);
  noSecrets(r);
  assert.match(r.results.database ?? '', /^steg_fx_pr_build_7_[a-z0-9]{8}$/);
  assert.deepEqual(
    { host: r.results.host, port: r.results.port, user: r.results.user },
    { host: pgc.getHost(), port: String(pgc.getPort()), user: 'admin' },
  );
  assert.equal(r.results.url, `postgresql://admin@${pgc.getHost()}:${pgc.getPort()}/${r.results.database}`);
  assert.match(r.results.template ?? '', /^steg_fx_tpl_[0-9a-f]{24}$/);
  assert.match(r.results['duration-ms'] ?? '', /^\d+$/);
  const full = readFileSync(conn, 'utf8');
  assert.ok(full.includes(CANARY), 'the connection file has the full URL');
  assert.equal(statSync(conn).mode & 0o777, 0o640);
  assert.equal((await query(full, 'SELECT count(*)::int AS n FROM users'))[0]?.n, 3);

  const d = await runInProcess(step, ['--mode', 'drop', '--connection-file', conn], { env: { STEG_ADMIN_URL_FILE: secretFile } });
  assert.equal(d.code, 0, d.stderr);
  noSecrets(d);
  assert.equal(d.results.database, r.results.database);
  assert.ok(!existsSync(conn), 'drop removes the connection file');
  assert.ok(!(await databases(pgc.url)).includes(r.results.database as string));
  assert.match(d.stderr, /cloned 1 spare\(s\) of steg_fx_tpl_/, 'drop (spares 1 by default) cloned a spare for the next run');

  // The next create renames that spare: a fresh copy of the template, not the dropped fixture.
  const again = await runInProcess(step, ['--migrations', dirs.migrations, '--seeds', dirs.seeds, '--connection-file', conn], { env: { STEG_ADMIN_URL_FILE: secretFile } });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /ready on .* a spare of steg_fx_tpl_/);
  assert.equal((await query(readFileSync(conn, 'utf8'), 'SELECT count(*)::int AS n FROM users'))[0]?.n, 3);
  const d2 = await runInProcess(step, ['--mode', 'drop', '--connection-file', conn, '--spares', '0'], { env: { STEG_ADMIN_URL_FILE: secretFile } });
  assert.equal(d2.code, 0, d2.stderr);
  assert.doesNotMatch(d2.stderr, /spare/);
});

test('a fixture role: its password is masked everywhere but works from the file', async () => {
  const conn = join(work, 'role-url');
  const r = await runInProcess(step, ['--migrations', dirs.migrations, '--fixture-role', '--connection-file', conn], { env: { STEG_ADMIN_URL: pgc.url } });
  assert.equal(r.code, 0, r.stderr);
  noSecrets(r);
  const full = readFileSync(conn, 'utf8');
  const rolePw = decodeURIComponent(new URL(full).password);
  assert.ok(!(r.stdout + r.stderr + JSON.stringify(r.results)).includes(rolePw));
  assert.equal(r.results.user, r.results.database);
  assert.equal((await query(full, 'SELECT current_user AS u'))[0]?.u, r.results.user);
  const d = await runInProcess(step, ['--mode', 'drop', '--database', r.results.database as string], { env: { STEG_ADMIN_URL: pgc.url } });
  assert.equal(d.code, 0, d.stderr);
});

test('bad input exits 2 with a clear message, creates nothing and never prints the password', async () => {
  using broken = testdir({ 'V1__ok.sql': 'CREATE TABLE t (id int);\n', 'V2__typo.sql': '-- a comment\nCREATE TABLE u (\n  id int,\n  created timestampz\n);\n' });
  const before = await databases(pgc.url);
  const env = { STEG_ADMIN_URL_FILE: secretFile };
  const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
    [['--migrations', broken.path], env, /migration V2__typo\.sql failed at line 4, column 11: type "timestampz" does not exist/],
    [['--migrations', join(work, 'no-such-folder')], env, /param migrations \(--migrations\) is ".*no-such-folder", expected an existing directory/],
    [['--seeds', join(work, 'nope')], env, /param seeds .* expected an existing directory/],
    [[], { STEG_ADMIN_URL: `mysql://admin:${CANARY}@localhost/x` }, /param admin-url has protocol "mysql:", expected a PostgreSQL URL/],
    [[], { STEG_ADMIN_URL: `:::${CANARY}` }, /param admin-url is not a URL/],
    [[], {}, /param admin-url is required: give its file with --admin-url-file PATH/],
    [[], { STEG_SERVER_URL: `postgresql://admin:${CANARY}@localhost/x` }, /param server-url carries a password \(value hidden\)/],
    [['--admin-url', CANARY], {}, /param admin-url is a secret and cannot be given as a flag value/],
    [['--spares', '99'], env, /param spares \(--spares\) is "99", expected a whole number from 0 to 20/],
    [[], { STEG_ADMIN_URL: pgc.url.replace(encodeURIComponent(CANARY), `${CANARY}x`) }, /cannot log in to admin@.*password authentication failed/],
    [['--mode', 'drop'], env, /param database is required for mode drop/],
    [['--mode', 'drop', '--database', 'postgres'], env, /refusing to drop database postgres: it carries no steg-db-fixture marker/],
    [['--ttl', 'forever'], env, /param ttl \(--ttl\) is "forever", expected a duration/],
    [['--prefix', 'Bad-Prefix'], env, /param prefix .* expected a lower-case identifier/],
  ];
  for (const [argv, e, expected] of cases) {
    const r = await runInProcess(step, argv, { env: e });
    assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, expected);
    noSecrets(r);
    assert.ok(!r.stderr.includes(`${CANARY}x`));
  }
  assert.deepEqual(await databases(pgc.url), before, 'no template, build or fixture was left behind');
});

test('the cap makes create exit 5', async () => {
  const existing = (await query(pgc.url, "SELECT count(*)::int AS n FROM pg_database WHERE shobj_description(oid, 'pg_database') LIKE 'steg-db-fixture {%\"kind\":\"fixture\"%' OR shobj_description(oid, 'pg_database') LIKE 'steg-db-fixture {%\"kind\":\"spare\"%'"))[0]?.n as number;
  const r = await runInProcess(step, ['--max-fixtures', String(Math.max(1, existing))], { env: { STEG_ADMIN_URL_FILE: secretFile } });
  if (existing === 0) {
    assert.equal(r.code, 0, r.stderr);
    const again = await runInProcess(step, ['--max-fixtures', '1'], { env: { STEG_ADMIN_URL_FILE: secretFile } });
    assert.equal(again.code, 5, again.stderr);
    assert.match(again.stderr, /the cap is 1 \(max-fixtures\)/);
    await runInProcess(step, ['--mode', 'drop', '--database', r.results.database as string], { env: { STEG_ADMIN_URL_FILE: secretFile } });
  } else {
    assert.equal(r.code, 5, r.stderr);
  }
});

test('gc mode removes expired fixtures', async () => {
  const r = await runInProcess(step, ['--ttl', '1s', '--run-id', 'short-lived'], { env: { STEG_ADMIN_URL_FILE: secretFile } });
  assert.equal(r.code, 0, r.stderr);
  await new Promise((res) => setTimeout(res, 1100));
  const g = await runInProcess(step, ['--mode', 'gc'], { env: { STEG_ADMIN_URL_FILE: secretFile } });
  assert.equal(g.code, 0, g.stderr);
  assert.match(g.stderr, new RegExp(`dropped database ${r.results.database}`));
  assert.ok(!(await databases(pgc.url)).includes(r.results.database as string));
});

test('wait returns once the server answers, and exits 4 when nothing listens', async () => {
  const ok = await runInProcess(step, ['--mode', 'wait'], { env: { STEG_ADMIN_URL_FILE: secretFile } });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.results.database, 'postgres');
  const closed = await runInProcess(step, ['--mode', 'wait', '--wait-timeout', '2s'], { env: { STEG_ADMIN_URL: `postgresql://admin:${CANARY}@127.0.0.1:1/postgres` } });
  assert.equal(closed.code, 4, closed.stderr);
  assert.match(closed.stderr, /admin@127\.0\.0\.1:1\/postgres did not accept connections within 2 s \(last error: ECONNREFUSED/);
  noSecrets(closed);
});
