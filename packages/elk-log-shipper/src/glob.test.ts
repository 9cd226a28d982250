import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { testdir } from '@steg/test-support';
import { expandGlob, isGlob } from './glob.ts';

test('expands *, ? and ** below the base directory', () => {
  using dir = testdir({ 'a.log': '', 'b.txt': '', 'logs/x.log': '', 'logs/deep/y.log': '', 'logs/z1.log': '', 'node_modules/n.log': '' });
  const rel = (ps: string[]): string[] => ps.map((p) => p.slice(dir.path.length + 1));
  assert.deepEqual(rel(expandGlob(dir.path, '*.log')), ['a.log']);
  assert.deepEqual(rel(expandGlob(dir.path, '**/*.log')), ['a.log', 'logs/deep/y.log', 'logs/x.log', 'logs/z1.log']);
  assert.deepEqual(rel(expandGlob(dir.path, 'logs/z?.log')), ['logs/z1.log']);
  assert.deepEqual(rel(expandGlob(dir.path, join(dir.path, 'logs', '*.log'))), ['logs/x.log', 'logs/z1.log']);
  assert.deepEqual(expandGlob(dir.path, 'nothing/*.log'), []);
});

test('tells globs from plain paths', () => {
  assert.equal(isGlob('build.log'), false);
  assert.equal(isGlob('logs/*.log'), true);
});
