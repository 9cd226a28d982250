import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testdir } from '@steg/test-support';
import { csvHeader, jsonToCsv, loadSeeds } from './seeds.ts';

test('seed files: table from the name, an ordering prefix stripped, schema kept, file-name order', () => {
  using d = testdir({ '02_steps.csv': 'a\n', '01_users.json': '[]', 'app.teams.csv': 'a\n', '00_setup.sql': 'select 1', 'README.md': 'x' });
  assert.deepEqual(
    loadSeeds(d.path).map((s) => [s.file, s.kind, s.table?.join('.')]),
    [['00_setup.sql', 'sql', undefined], ['01_users.json', 'json', 'users'], ['02_steps.csv', 'csv', 'steps'], ['app.teams.csv', 'csv', 'app.teams']],
  );
});

test('csvHeader reads quoted column names from the first record only', () => {
  assert.deepEqual(csvHeader('id,"user ""x""",day\r\n1,2,3\n'), ['id', 'user "x"', 'day']);
});

test('jsonToCsv: union of keys, NULL for missing, empty strings kept, objects as JSON', () => {
  const r = jsonToCsv('[{"a":1,"b":"x,y"},{"b":"","c":{"k":[1]}},{"a":null}]', 'f.json');
  assert.deepEqual(r.columns, ['a', 'b', 'c']);
  assert.equal(r.csv, '"1","x,y",\n,"","{""k"":[1]}"\n,,\n');
  assert.equal(r.rows, 3);
  assert.throws(() => jsonToCsv('{"a":1}', 'f.json'), /f\.json: expected a JSON array of objects/);
  assert.throws(() => jsonToCsv('[{', 'f.json'), /f\.json is not valid JSON/);
});
