import { test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseUrl, parseServerUrl } from './connect.ts';

const CANARY = 'canary-Pw-7f3e';

test('an admin URL gives host, port, user, password and database', () => {
  const s = parseServerUrl(`postgresql://ad%40min:${encodeURIComponent(CANARY + '/@')}@db.example:6543/app?sslmode=require`);
  assert.deepEqual(s, { host: 'db.example', port: 6543, user: 'ad@min', password: `${CANARY}/@`, database: 'app', search: '?sslmode=require' });
  assert.equal(parseServerUrl('postgres://u@h').database, 'postgres');
  assert.equal(parseServerUrl('postgres://u@h').port, 5432);
});

test('URL errors never repeat the value', () => {
  for (const bad of [`http://u:${CANARY}@h/db`, `not a url ${CANARY}`, `postgresql://:${CANARY}@h/db`]) {
    assert.throws(
      () => parseServerUrl(bad),
      (e: Error) => /param admin-url/.test(e.message) && !e.message.includes(CANARY),
    );
  }
});

test('URLs without and with the password', () => {
  const s = parseServerUrl('postgresql://u:p@h:1/x?sslmode=disable');
  assert.equal(databaseUrl(s, 'fx', 'u'), 'postgresql://u@h:1/fx?sslmode=disable');
  assert.equal(databaseUrl(s, 'fx', 'u', 'p w'), 'postgresql://u:p%20w@h:1/fx?sslmode=disable');
});
