import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startPostgres } from '../src/index.ts';

test('startPostgres gives a PostgreSQL 15 that accepts queries with the given credentials', async () => {
  await using db = await startPostgres({ user: 'alice', password: 's3cret', database: 'app' });
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const r = await client.query<{ v: string; u: string }>('select current_setting($1) as v, current_user as u', ['server_version_num']);
    assert.match(r.rows[0]!.v, /^15/);
    assert.equal(r.rows[0]!.u, 'alice');
  } finally {
    await client.end();
  }
});
