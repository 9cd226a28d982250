import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgv } from './argv.ts';
import { BadInputError } from './errors.ts';

const isBool = (n: string): boolean => n === 'dry-run';

test('reads --name value, --name=value and repeated flags', () => {
  const f = parseArgv(['--a', '1', '--b=2', '--a', '3'], isBool);
  assert.deepEqual(f.get('a'), ['1', '3']);
  assert.deepEqual(f.get('b'), ['2']);
});

test('reads bare and negated boolean flags', () => {
  assert.deepEqual(parseArgv(['--dry-run'], isBool).get('dry-run'), ['true']);
  assert.deepEqual(parseArgv(['--no-dry-run'], isBool).get('dry-run'), ['false']);
  assert.deepEqual(parseArgv(['--dry-run', 'false', '--x', 'y'], isBool).get('dry-run'), ['false']);
});

test('keeps a value that starts with a dash when given with =', () => {
  assert.deepEqual(parseArgv(['--offset=-5'], isBool).get('offset'), ['-5']);
});

test('refuses positional arguments with a message naming them', () => {
  assert.throws(() => parseArgv(['stray'], isBool), (e: unknown) => e instanceof BadInputError && /"stray"/.test(e.message));
});

test('a list flag takes every value up to the next flag, as a Tekton array param expands', () => {
  const f = parseArgv(['--tags', 'a', 'b c', '--x', 'y'], isBool, (n) => n === 'tags');
  assert.deepEqual(f.get('tags'), ['a', 'b c']);
  assert.throws(() => parseArgv(['--x', 'y', 'z'], isBool, (n) => n === 'tags'), /unexpected argument "z"/);
});
