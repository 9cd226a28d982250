// The JSON API against a real, migrated and seeded PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { SQL } from '../src/store.ts';
import { call, seededDatabase, startApp } from './helpers.ts';

describe('step-counter API on a seeded database', () => {
  let db: Awaited<ReturnType<typeof seededDatabase>>;
  let app: Awaited<ReturnType<typeof startApp>>;
  let sql: pg.Client;
  const count = async (where = ''): Promise<number> => Number((await sql.query(`SELECT count(*) AS n FROM entries ${where}`)).rows[0].n);

  before(async () => {
    db = await seededDatabase();
    app = await startApp(db.url);
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
  });
  after(async () => {
    await sql?.end();
    await app?.close();
    await db?.[Symbol.asyncDispose]();
  });

  test('recording a day creates the user and the entry; re-posting replaces it (idempotent)', async () => {
    const entry = { user: 'Api-Idem', date: '2026-11-20', steps: 7000, team: 'api-idem-team' };
    const first = await call(app.url, '/api/entries', { json: entry });
    assert.equal(first.status, 201);
    assert.deepEqual(first.body, { user: 'api-idem', date: '2026-11-20', steps: 7000, team: 'api-idem-team', created: true });
    const again = await call(app.url, '/api/entries', { json: entry });
    assert.equal(again.status, 200);
    assert.equal(again.body.created, false);
    const changed = await call(app.url, '/api/entries', { json: { ...entry, steps: 9100, team: undefined } });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.team, 'api-idem-team', 'posting without a team keeps the user in theirs');
    const rows = (await sql.query("SELECT day::text, steps FROM entries WHERE user_name = 'api-idem'")).rows;
    assert.deepEqual(rows, [{ day: '2026-11-20', steps: 9100 }]);
  });

  test('bad input gets 400 naming the field, and nothing is written', async () => {
    const before = await count();
    const users = Number((await sql.query('SELECT count(*) AS n FROM users')).rows[0].n);
    const cases: [unknown, string][] = [
      [{ date: '2026-11-20', steps: 1 }, 'user'],
      [{ user: 'bad name!', date: '2026-11-20', steps: 1 }, 'user'],
      [{ user: 'api-bad', date: '2026-02-30', steps: 1 }, 'date'],
      [{ user: 'api-bad', date: '2999-01-01', steps: 1 }, 'date'],
      [{ user: 'api-bad', date: '2026-11-20', steps: -5 }, 'steps'],
      [{ user: 'api-bad', date: '2026-11-20', steps: 100_001 }, 'steps'],
      [{ user: 'api-bad', date: '2026-11-20', steps: 'many' }, 'steps'],
      [{ user: 'api-bad', date: '2026-11-20', steps: 10, team: 'Not A Slug' }, 'team'],
      [[1, 2], 'body'],
    ];
    for (const [body, field] of cases) {
      const r = await call(app.url, '/api/entries', { json: body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error, 'invalid_input');
      assert.equal(r.body.field, field, JSON.stringify(body));
      assert.match(String(r.body.message), new RegExp(field));
    }
    const broken = await fetch(`${app.url}/api/entries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"user": "api-bad",' });
    assert.equal(broken.status, 400);
    assert.equal(((await broken.json()) as { field: string }).field, 'body');
    const form = await fetch(`${app.url}/api/entries`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'user=api-bad&date=2026-11-20&steps=1' });
    assert.equal(form.status, 415);
    const huge = await call(app.url, '/api/entries', { json: { user: 'api-bad', date: '2026-11-20', steps: 1, pad: 'x'.repeat(20_000) } });
    assert.equal(huge.status, 413);
    assert.equal(await count(), before);
    assert.equal(Number((await sql.query('SELECT count(*) AS n FROM users')).rows[0].n), users);
  });

  test("a user's entries and summary match the seeded rows", async () => {
    const q = 'user=astrid&from=2026-09-01&to=2026-11-25';
    const expected = (await sql.query("SELECT day::text AS date, steps FROM entries WHERE user_name = 'astrid' AND day BETWEEN '2026-09-01' AND '2026-11-25' ORDER BY day")).rows;
    assert.ok(expected.length > 50, 'the seed has months of entries for astrid');
    const entries = await call(app.url, `/api/entries?${q}`);
    assert.equal(entries.status, 200);
    assert.deepEqual(entries.body.entries, expected);

    const summary = await call(app.url, `/api/summary?${q}`);
    assert.equal(summary.status, 200);
    const total = expected.reduce((s: number, r: { steps: number }) => s + r.steps, 0);
    assert.equal(summary.body.total, total);
    assert.equal((summary.body.days as unknown[]).length, 86);
    const weeks = summary.body.weeks as { week: string; steps: number }[];
    assert.equal(weeks[0]!.week, '2026-W36');
    assert.equal(weeks.reduce((s, w) => s + w.steps, 0), total);
  });

  test('unknown users and teams get 404; bad query params get 400 naming them', async () => {
    assert.equal((await call(app.url, '/api/summary?user=nobody-here')).status, 404);
    assert.equal((await call(app.url, '/api/leaderboard?team=no-such-team')).status, 404);
    const r = await call(app.url, '/api/summary?user=astrid&from=2026-11-10&to=2026-11-01');
    assert.equal(r.status, 400);
    assert.equal(r.body.field, 'from');
    assert.equal((await call(app.url, '/api/leaderboard?team=fjallravar&limit=0')).body.field, 'limit');
    assert.equal((await call(app.url, '/api/summary')).body.field, 'user');
  });

  test('the leaderboard ranks team members by steps in the range', async () => {
    const range = { from: '2026-11-16', to: '2026-11-22' };
    const r = await call(app.url, `/api/leaderboard?team=fjallravar&from=${range.from}&to=${range.to}&limit=100`);
    assert.equal(r.status, 200);
    const expected = (
      await sql.query(
        `SELECT u.name, coalesce(sum(e.steps), 0)::int AS steps FROM users u
         LEFT JOIN entries e ON e.user_name = u.name AND e.day BETWEEN $1 AND $2
         WHERE u.team = 'fjallravar' GROUP BY u.name ORDER BY steps DESC, u.name`,
        [range.from, range.to],
      )
    ).rows.map((x: { name: string; steps: number }) => [x.name, x.steps]);
    const leaders = r.body.leaders as { rank: number; user: string; steps: number }[];
    assert.deepEqual(leaders.map((l) => [l.user, l.steps]), expected);
    assert.equal(leaders[0]!.rank, 1);
    assert.equal((await call(app.url, '/api/leaderboard?team=fjallravar&limit=3')).body.leaders instanceof Array, true);
  });

  test('a new team ranks members posted through the API, members without steps last', async () => {
    const team = 'api-board-team';
    for (const [user, steps] of [['api-b1', 3000], ['api-b2', 12000], ['api-b3', 8000]] as const) {
      assert.equal((await call(app.url, '/api/entries', { json: { user, team, date: '2026-11-18', steps } })).status, 201);
    }
    await call(app.url, '/api/entries', { json: { user: 'api-b4', team, date: '2026-10-01', steps: 50000 } });
    const r = await call(app.url, `/api/leaderboard?team=${team}&from=2026-11-16&to=2026-11-22`);
    const leaders = r.body.leaders as { rank: number; user: string; steps: number }[];
    assert.deepEqual(leaders.map((l) => [l.rank, l.user, l.steps]), [
      [1, 'api-b2', 12000],
      [2, 'api-b3', 8000],
      [3, 'api-b1', 3000],
      [4, 'api-b4', 0],
    ]);
    const teams = (await call(app.url, '/api/teams')).body.teams as { name: string; members: number }[];
    assert.equal(teams.find((t) => t.name === team)?.members, 4);
  });

  test('health, readiness and version', async () => {
    assert.deepEqual((await call(app.url, '/healthz')).body, { status: 'ok', database: 'ok' });
    assert.equal((await call(app.url, '/readyz')).status, 200);
    const v = await call(app.url, '/version');
    assert.equal(v.body.name, 'step-counter');
    assert.equal(v.body.commit, 'test-commit');
    assert.match(String(v.body.version), /^\d+\.\d+\.\d+/);
  });

  test('the page and its assets are served by the app itself', async () => {
    const page = await fetch(`${app.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const html = await page.text();
    assert.match(html, /<form id="entry-form"/);
    assert.doesNotMatch(html, /https?:\/\//, 'nothing is loaded from elsewhere');
    for (const [path, type] of [['/app.js', /javascript/], ['/app.css', /css/]] as const) {
      const r = await fetch(`${app.url}${path}`);
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type') ?? '', type);
      await r.text();
    }
    const icon = await fetch(`${app.url}/favicon.svg`);
    assert.equal(icon.headers.get('content-type'), 'image/svg+xml');
    await icon.text();
    assert.equal((await fetch(`${app.url}/favicon.ico`)).status, 204);
    assert.equal((await call(app.url, '/nope')).status, 404);
    const wrong = await call(app.url, '/api/summary', { method: 'DELETE' });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET');
  });

  test('summary and leaderboard reads use indexes on entries, not a scan of the table (EXPLAIN)', async () => {
    // Fresh statistics, as a database that has been running a while has them.
    await sql.query('ANALYZE');
    assert.ok((await count()) > 4000, 'months of seeded entries');
    // EXPLAIN says "Index [Only] Scan using IDX on entries" or "Bitmap Index Scan on IDX".
    const uses = (idx: string): RegExp => new RegExp(`Index (Only )?Scan using ${idx} on entries|Bitmap Index Scan on ${idx}`);
    const pkey = uses('entries_pkey');
    const cases: [string, string, string[], RegExp][] = [
      ['summary (a quarter)', SQL.userEntries, ['astrid', '2026-09-01', '2026-11-25'], pkey],
      ['summary (a week)', SQL.userEntries, ['astrid', '2026-11-16', '2026-11-22'], pkey],
      ['leaderboard (a week)', SQL.teamSteps, ['fjallravar', '2026-11-16', '2026-11-22'], uses('(entries_day_idx|entries_pkey)')],
    ];
    // The app runs them as prepared statements: check the custom plan and the generic one
    // PostgreSQL may switch to after a few executions.
    for (const mode of ['force_custom_plan', 'force_generic_plan']) {
      await sql.query(`SET plan_cache_mode = ${mode}`);
      for (const [name, query, params, index] of cases) {
        await sql.query(`PREPARE hot AS ${query}`);
        const plan = (await sql.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE hot(${params.map((p) => `'${p}'`).join(', ')})`)).rows.map((x) => x['QUERY PLAN']).join('\n');
        await sql.query('DEALLOCATE hot');
        assert.match(plan, index, `${name} (${mode}) uses an index on entries:\n${plan}`);
        assert.doesNotMatch(plan, /Seq Scan on entries/, `${name} (${mode}) must not scan all entries:\n${plan}`);
      }
    }
    await sql.query('RESET plan_cache_mode');
  });

  test('each request is logged as a structured line', () => {
    const lines = app.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    const hit = lines.find((l) => l['url.path'] === '/api/summary' && l['http.response.status_code'] === 200);
    assert.ok(hit, 'a JSON log line for a summary request');
    assert.equal(hit['service.name'], 'step-counter');
    assert.equal(typeof hit['event.duration_ms'], 'number');
  });
});

test('health and readiness fail when the database is unreachable', async () => {
  // Nothing listens on port 1: the app starts (the pool connects lazily) but cannot reach it.
  await using app = await startApp('postgresql://steg:pw@127.0.0.1:1/steg');
  const h = await call(app.url, '/healthz');
  assert.equal(h.status, 503);
  assert.equal(h.body.database, 'unreachable');
  assert.equal((await call(app.url, '/readyz')).status, 503);
  assert.equal((await call(app.url, '/version')).status, 200, 'the process itself still answers');
});
