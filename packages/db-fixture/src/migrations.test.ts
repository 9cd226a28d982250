import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testdir } from '@steg/test-support';
import { BadInputError } from '@steg/step-kit';
import { lineAt, loadMigrations, parseMigrationName, splitStatements } from './migrations.ts';

test('Flyway names: versions with dots or underscores, repeatables, other files ignored', () => {
  assert.deepEqual(parseMigrationName('V1_2__add_users.sql'), { type: 'versioned', version: '1.2', parts: [1n, 2n], description: 'add users' });
  assert.equal(parseMigrationName('R__views.sql')?.type, 'repeatable');
  assert.equal(parseMigrationName('README.md'), undefined);
  assert.throws(() => parseMigrationName('V1_init.sql'), /V1_init\.sql.*two underscores/);
});

test('versioned migrations run in numeric version order, then repeatables by name', () => {
  using d = testdir({
    'V10__ten.sql': 'select 10;',
    'V9__nine.sql': 'select 9;',
    'V1.10__one_ten.sql': 'select 1.10;',
    'V1.9__one_nine.sql': 'select 1.9;',
    'R__b.sql': 'select 2;',
    'R__a.sql': 'select 1;',
    'notes.txt': 'ignored',
  });
  assert.deepEqual(
    loadMigrations(d.path).map((m) => m.file),
    ['V1.9__one_nine.sql', 'V1.10__one_ten.sql', 'V9__nine.sql', 'V10__ten.sql', 'R__a.sql', 'R__b.sql'],
  );
});

test('a duplicate version and a missing folder are bad input naming the files', () => {
  using d = testdir({ 'V1__a.sql': '', 'V001__b.sql': '' });
  assert.throws(() => loadMigrations(d.path), (e: Error) => e instanceof BadInputError && /V001__b\.sql and V1__a\.sql/.test(e.message));
  assert.throws(() => loadMigrations(`${d.path}/missing`), (e: Error) => e instanceof BadInputError && /param migrations.*missing/.test(e.message));
});

test('statements PostgreSQL refuses in a transaction are detected, and a .conf file overrides', () => {
  using d = testdir({
    'V1__tx.sql': 'create table t (id int); -- not CONCURRENTLY here? the word in a comment does not count',
    'V2__idx.sql': 'create index concurrently t_id on t (id);',
    'V3__conf.sql': 'create table u (id int);',
    'V3__conf.sql.conf': 'executeInTransaction=false\n',
  });
  assert.deepEqual(loadMigrations(d.path).map((m) => m.transactional), [true, false, false]);
});

test('splitStatements honours quotes, dollar quotes and comments, and keeps offsets', () => {
  const sql = "select ';';\n-- a ; comment\ncreate function f() returns int as $$ select 1; $$ language sql;\n/* ; */ select \"a;b\" from t";
  const parts = splitStatements(sql);
  assert.deepEqual(parts.map((p) => p.text), ["select ';'", '-- a ; comment\ncreate function f() returns int as $$ select 1; $$ language sql', '/* ; */ select "a;b" from t']);
  assert.equal(sql.slice(parts[1]?.offset).startsWith('-- a'), true);
});

test('lineAt turns a 1-based position into line and column', () => {
  assert.deepEqual(lineAt('ab\ncd\nef', 5), { line: 2, column: 2 });
  assert.deepEqual(lineAt('x', 1), { line: 1, column: 1 });
});
