import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, testdir } from '@steg/test-support';
import type { PostgresHandle } from '@steg/test-support';
import { BadInputError } from '@steg/step-kit';
import { CapReachedError, FixtureServer, createFixture, dropFixture, gcFixtures, migrate, loadMigrations } from '../src/index.ts';
import { connectOnce, parseServerUrl } from '../src/connect.ts';
import { CANARY, MIGRATIONS, SEEDS, databases, query, withDatabase, write } from './helpers.ts';

let pgc: PostgresHandle;
let admin: string;
let work: string;

before(async () => {
  pgc = await startPostgres({ user: 'admin', password: CANARY, database: 'postgres' });
  admin = pgc.url;
  work = mkdtempSync(join(tmpdir(), 'db-fixture-'));
});

after(async () => {
  rmSync(work, { recursive: true, force: true });
  await pgc?.[Symbol.asyncDispose]();
});

/** A fresh pair of migrations/seeds folders under the shared work dir. */
function folders(name: string, migrations = MIGRATIONS, seeds = SEEDS): { migrations: string; seeds: string } {
  const m = join(work, name, 'migrations');
  const s = join(work, name, 'seeds');
  write(m, migrations);
  write(s, seeds);
  return { migrations: m, seeds: s };
}

test('create hands out a migrated, seeded database that works, and drop removes it', async () => {
  const f = await createFixture({ adminUrl: admin, ...folders('basic'), runId: 'basic-run', prefix: 'fxbasic' });
  assert.match(f.database, /^fxbasic_basic_run_[a-z0-9]{8}$/);
  assert.equal(f.templateBuilt, true);
  assert.ok(!f.url.includes(CANARY), 'the URL result has no password');
  const totals = await query<{ user_id: number; total: string }>(f.connectionString, 'SELECT user_id, total FROM totals ORDER BY user_id');
  assert.deepEqual(totals.map((r) => [r.user_id, Number(r.total)]), [[1, 8000], [2, 7000]]);
  assert.deepEqual((await query(f.connectionString, 'SELECT name FROM users ORDER BY id')).map((r) => r.name), ['Anna', 'Bo, Jr', 'Cleo']);
  // Seeded ids moved the sequences on: the app's first insert does not collide.
  await query(f.connectionString, "INSERT INTO users (name) VALUES ('Dan')");
  await query(f.connectionString, "INSERT INTO steps (user_id, day, count) VALUES (1, '2026-01-03', 10)");
  const history = await query(f.connectionString, 'SELECT script, checksum FROM steg_schema_history ORDER BY installed_rank');
  assert.deepEqual(history.map((r) => r.script), ['V1__users.sql', 'V2__steps.sql', 'V3__steps_day_index.sql', 'R__totals_view.sql']);
  assert.ok(history.every((r) => /^[0-9a-f]{64}$/.test(r.checksum as string)));
  const [marker] = await query<{ c: string }>(admin, "SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1", [f.database]);
  assert.match(marker?.c ?? '', /^steg-db-fixture \{.*"kind":"fixture".*"run":"basic-run".*"ttl":7200/);

  assert.equal(await dropFixture({ adminUrl: admin, database: f.database }), true);
  assert.ok(!(await databases(admin)).includes(f.database));
  assert.equal(await dropFixture({ adminUrl: admin, database: f.database }), false, 'dropping again is a no-op');
});

test('drop ends open sessions on the fixture first', async () => {
  const f = await createFixture({ adminUrl: admin, ...folders('sessions'), prefix: 'fxsess' });
  const c = await connectOnce(parseServerUrl(f.connectionString), f.database);
  await c.query('SELECT 1');
  assert.equal(await dropFixture({ adminUrl: admin, database: f.database }), true);
  await c.end().catch(() => undefined);
});

test('the template is reused across creates; a changed migration makes a new one', async () => {
  const dirs = folders('reuse');
  await using s = await FixtureServer.open({ adminUrl: admin, ...dirs, prefix: 'fxreuse' });
  const a = await s.create();
  const b = await s.create();
  assert.equal(a.template, b.template);
  assert.deepEqual([a.templateBuilt, b.templateBuilt], [true, false]);
  assert.notEqual(a.database, b.database);
  // Writes in one fixture do not show in the other.
  await query(a.connectionString, "INSERT INTO users (name) VALUES ('only-in-a')");
  assert.equal((await query(b.connectionString, "SELECT 1 FROM users WHERE name = 'only-in-a'")).length, 0);

  write(dirs.migrations, { 'V2__steps.sql': `${MIGRATIONS['V2__steps.sql'] as string}-- changed\n` });
  const c = await createFixture({ adminUrl: admin, ...dirs, prefix: 'fxreuse' });
  assert.notEqual(c.template, a.template);
  assert.equal(c.templateBuilt, true);
  write(dirs.seeds, { '04_more.sql': "INSERT INTO users (name) VALUES ('Eve');\n" });
  const d = await createFixture({ adminUrl: admin, ...dirs, prefix: 'fxreuse' });
  assert.notEqual(d.template, c.template, 'seeds are part of the template hash');
  const tpls = (await databases(admin)).filter((n) => n.startsWith('fxreuse_tpl_'));
  assert.equal(tpls.length, 3);
});

test('20 concurrent creates from a cold template: one build, 20 distinct working databases', async () => {
  const dirs = folders('concurrent');
  const logs: string[] = [];
  const log = { debug() {}, info: (m: string) => logs.push(m), warn() {}, error() {}, child: () => log };
  const fixtures = await Promise.all(
    Array.from({ length: 20 }, (_, i) => createFixture({ adminUrl: admin, ...dirs, prefix: 'fxconc', runId: `run-${i}`, log })),
  );
  assert.equal(new Set(fixtures.map((f) => f.database)).size, 20);
  assert.equal(fixtures.filter((f) => f.templateBuilt).length, 1);
  assert.equal(logs.filter((l) => l.startsWith('building template')).length, 1);
  assert.equal(new Set(fixtures.map((f) => f.template)).size, 1);
  const counts = await Promise.all(fixtures.map(async (f) => (await query<{ n: string }>(f.connectionString, 'SELECT count(*) AS n FROM steps'))[0]?.n));
  assert.deepEqual(counts, Array(20).fill('3'));
  const names = await databases(admin);
  assert.equal(names.filter((n) => n.startsWith('fxconc_bld_')).length, 0, 'no build database left');
  await Promise.all(fixtures.map((f) => dropFixture({ adminUrl: admin, database: f.database })));
});

test('drop and gc never touch a database without the marker, even by name', async () => {
  await query(admin, 'CREATE DATABASE fxsafe_precious');
  await query(admin, "CREATE DATABASE fxsafe_fake_fixture");
  await query(admin, "COMMENT ON DATABASE fxsafe_fake_fixture IS 'steg-db-fixture but hand-written'");
  for (const database of ['fxsafe_precious', 'fxsafe_fake_fixture', 'postgres']) {
    await assert.rejects(dropFixture({ adminUrl: admin, database }), (e: Error) => e instanceof BadInputError && e.message.includes(`refusing to drop database ${database}`) && /no steg-db-fixture marker/.test(e.message));
  }
  const f = await createFixture({ adminUrl: admin, ...folders('safe'), prefix: 'fxsafe' });
  await assert.rejects(dropFixture({ adminUrl: admin, database: f.template }), /is a steg-db-fixture template, not a fixture/);
  await gcFixtures({ adminUrl: admin, templateTtlMs: 0, now: Date.now() + 365 * 86400_000 });
  const names = await databases(admin);
  assert.ok(names.includes('fxsafe_precious') && names.includes('fxsafe_fake_fixture'));
  assert.ok(!names.includes(f.database), 'gc removed the expired real fixture');
});

test('the cap on live fixtures is enforced', async () => {
  // Other tests' fixtures count too (the cap is per server), so measure from what exists.
  const dirs = folders('cap');
  await using s = await FixtureServer.open({ adminUrl: admin, ...dirs, prefix: 'fxcap' });
  const marked = await query<{ n: string }>(admin, "SELECT count(*) AS n FROM pg_database WHERE shobj_description(oid, 'pg_database') ~ '^steg-db-fixture \\{.*\"kind\":\"(fixture|spare)\"'");
  const max = Number(marked[0]?.n) + 2;
  const a = await s.create({ maxFixtures: max });
  const b = await s.create({ maxFixtures: max });
  await assert.rejects(s.create({ maxFixtures: max }), (e: Error) => e instanceof CapReachedError && e.exitCode === 5 && /the cap is \d+ \(max-fixtures\)/.test(e.message));
  await s.drop(a.database);
  const c = await s.create({ maxFixtures: max });
  await s.drop(b.database);
  await s.drop(c.database);
});

test('TTL: gc removes expired fixtures only, then unused old templates', async () => {
  const dirs = folders('ttl');
  await using s = await FixtureServer.open({ adminUrl: admin, ...dirs, prefix: 'fxttl' });
  const short = await s.create({ ttlMs: 1000 });
  const long = await s.create({ ttlMs: 3600_000 });
  const later = Date.now() + 60_000;
  const g = await s.gc({ now: later, templateTtlMs: 0 });
  assert.ok(g.fixtures.includes(short.database));
  assert.ok(!g.fixtures.includes(long.database));
  assert.ok(!g.templates.includes(short.template), 'a template with a live fixture stays');
  await s.drop(long.database);
  const g2 = await s.gc({ now: later, templateTtlMs: 0 });
  assert.ok(g2.templates.includes(short.template));
  assert.ok(!(await databases(admin)).includes(short.template));
  // The next create rebuilds it.
  const again = await s.create();
  assert.equal(again.templateBuilt, true);
  await s.drop(again.database);
});

test('a drop with spares makes the next create a rename of a fresh copy; gc removes spares of removed templates', async () => {
  const dirs = folders('spares');
  await using s = await FixtureServer.open({ adminUrl: admin, ...dirs, prefix: 'fxspare' });
  const a = await s.create();
  assert.equal(a.fromSpare, false);
  await query(a.connectionString, "INSERT INTO users (name) VALUES ('written-in-a')");
  await s.drop(a.database, { spares: 2, maxFixtures: 1000 });
  const spares = (await databases(admin)).filter((n) => n.startsWith('fxspare_spr_'));
  assert.equal(spares.length, 2);
  const b = await s.create({ runId: 'from-spare' });
  assert.equal(b.fromSpare, true);
  assert.match(b.database, /^fxspare_from_spare_/);
  assert.equal((await query(b.connectionString, "SELECT count(*)::int AS n FROM users WHERE name = 'written-in-a'"))[0]?.n, 0, 'a spare is a clean copy of the template');
  const [marker] = await query<{ c: string }>(admin, "SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1", [b.database]);
  assert.match(marker?.c ?? '', /"kind":"fixture"/);
  await s.drop(b.database);
  const g = await s.gc({ templateTtlMs: 0, now: Date.now() + 60_000 });
  assert.ok(g.templates.includes(a.template));
  assert.equal(g.spares.length, 1, 'the remaining spare went with its template');
  assert.deepEqual((await databases(admin)).filter((n) => n.startsWith('fxspare_')), []);
});

test('gc removes an abandoned build (no builder holds its lock)', async () => {
  await query(admin, 'CREATE DATABASE fxgc_bld_0123456789ab_deadbeef');
  const marker = `steg-db-fixture ${JSON.stringify({ v: 1, kind: 'build', owner: 'x', run: '', created: new Date().toISOString(), template: 'fxgc_tpl_nothing' })}`;
  await query(admin, `COMMENT ON DATABASE fxgc_bld_0123456789ab_deadbeef IS '${marker}'`);
  const g = await gcFixtures({ adminUrl: admin });
  assert.ok(g.builds.includes('fxgc_bld_0123456789ab_deadbeef'));
  assert.ok(!(await databases(admin)).includes('fxgc_bld_0123456789ab_deadbeef'));
});

test('a fixture role owns only its database and cannot reach the others', async () => {
  const dirs = folders('role');
  await using s = await FixtureServer.open({ adminUrl: admin, ...dirs, prefix: 'fxrole' });
  const a = await s.create({ role: true });
  const b = await s.create({ role: true });
  assert.equal(a.user, a.role);
  assert.ok(!a.connectionString.includes(CANARY), 'the fixture URL carries the role password, not the admin one');
  await query(a.connectionString, "INSERT INTO users (name) VALUES ('role-user')");
  assert.equal((await query(a.connectionString, 'SELECT count(*)::int AS n FROM totals'))[0]?.n, 2);
  await query(a.connectionString, 'CREATE TABLE mine (id int)');
  const crossUrl = withDatabase(a.connectionString, b.database);
  await assert.rejects(query(crossUrl, 'SELECT 1'), /permission denied|not permitted/);
  await s.drop(a.database);
  await s.drop(b.database);
  const roles = await query(admin, "SELECT rolname FROM pg_roles WHERE rolname LIKE 'fxrole_%' AND rolname <> 'fxrole_users'");
  assert.deepEqual(roles, [], 'drop removed the roles too');
});

test('a migration edited after it was applied is an error naming the file', async () => {
  const dirs = folders('edited');
  const f = await createFixture({ adminUrl: admin, ...dirs, prefix: 'fxedit' });
  write(dirs.migrations, { 'V1__users.sql': 'CREATE TABLE users (id bigserial PRIMARY KEY, name text);\n', 'V4__more.sql': 'ALTER TABLE users ADD COLUMN email text;\n' });
  const c = await connectOnce(parseServerUrl(f.connectionString), f.database);
  try {
    await assert.rejects(migrate(c, loadMigrations(dirs.migrations)), (e: Error) => e instanceof BadInputError && /migration V1__users\.sql was changed after it was applied/.test(e.message));
    write(dirs.migrations, { 'V1__users.sql': MIGRATIONS['V1__users.sql'] as string });
    const r = await migrate(c, loadMigrations(dirs.migrations));
    assert.deepEqual(r.applied, ['V4__more.sql'], 'only the new migration is applied to an existing database');
  } finally {
    await c.end();
  }
  await dropFixture({ adminUrl: admin, database: f.database });
});

test('bad input: SQL errors name the file and line; nothing is left half-built', async () => {
  using broken = testdir({ 'V1__ok.sql': 'CREATE TABLE a (id int);\n', 'V2__broken.sql': 'CREATE TABLE b (id int);\n\nINSERT INTO b VALUES (1);\nSELEC 1;\n' });
  const before = await databases(admin);
  await assert.rejects(
    createFixture({ adminUrl: admin, migrations: broken.path, prefix: 'fxbad' }),
    (e: Error) => e instanceof BadInputError && /migration V2__broken\.sql failed at line 4, column 1: syntax error at or near "SELEC"/.test(e.message),
  );
  using badSeed = testdir({ 'users.csv': 'id,name\n1,ok\nnot-a-number,x\n' });
  await assert.rejects(
    createFixture({ adminUrl: admin, migrations: folders('badseed').migrations, seeds: badSeed.path, prefix: 'fxbad' }),
    (e: Error) => e instanceof BadInputError && /seed users\.csv failed: invalid input syntax for type integer: "not-a-number".*line 3/.test(e.message),
  );
  assert.deepEqual((await databases(admin)).filter((n) => n.startsWith('fxbad')), [], 'no template, build or fixture left');
  assert.deepEqual(await databases(admin), before.filter((n) => !n.startsWith('fxbad')));
  writeFileSync(join(work, 'not-a-dir'), '');
  await assert.rejects(createFixture({ adminUrl: admin, migrations: join(work, 'not-a-dir') }), /param migrations .*expected an existing directory/);
});

test('wrong credentials are bad input and the password never appears', async () => {
  const wrong = admin.replace(encodeURIComponent(CANARY), 'wrong-password');
  await assert.rejects(createFixture({ adminUrl: wrong }), (e: Error) => e instanceof BadInputError && /cannot log in to admin@/.test(e.message) && !e.message.includes('wrong-password'));
});
