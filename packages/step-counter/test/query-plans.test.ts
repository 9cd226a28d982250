// The hot reads (summary/entries and leaderboard) must use an index on entries, not scan
// the whole table: checked with EXPLAIN of the exact SQL the app runs, on the seeded data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { SQL } from '../src/store.ts';
import { seededDatabase } from './helpers.ts';

/** The plan lines of a statement with its parameters bound. */
async function plan(c: pg.Client, sql: string, params: string[]): Promise<string> {
  const r = await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params);
  return r.rows.map((x) => x['QUERY PLAN']).join('\n');
}

test('summary and leaderboard reads use indexes on entries (EXPLAIN on the seeded database)', async () => {
  await using db = await seededDatabase();
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    // Fresh statistics, as a database that has been running a while has them.
    await c.query('ANALYZE');
    const entriesCount = Number((await c.query('SELECT count(*) AS n FROM entries')).rows[0].n);
    assert.ok(entriesCount > 4000, `seeded entries: ${entriesCount}`);

    const cases: [string, string, string[], RegExp][] = [
      ['summary (a quarter)', SQL.userEntries, ['astrid', '2026-09-01', '2026-11-25'], /Index (Only )?Scan.* on entries_pkey|Bitmap Index Scan on entries_pkey/],
      ['summary (a week)', SQL.userEntries, ['astrid', '2026-11-16', '2026-11-22'], /Index (Only )?Scan.* on entries_pkey|Bitmap Index Scan on entries_pkey/],
      ['leaderboard (a week)', SQL.teamSteps, ['fjallravar', '2026-11-16', '2026-11-22'], /(Index (Only )?Scan|Bitmap Index Scan).* on entries_(day_idx|pkey)/],
    ];
    for (const [name, sql, params, index] of cases) {
      const text = await plan(c, sql, params);
      assert.match(text, index, `${name} uses an index on entries:\n${text}`);
      assert.doesNotMatch(text, /Seq Scan on entries/, `${name} must not scan all entries:\n${text}`);
    }
  } finally {
    await c.end();
  }
});
