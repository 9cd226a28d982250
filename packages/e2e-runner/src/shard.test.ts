import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseShard, shardLabel } from './shard.ts';

test('parses index/total', () => {
  assert.deepEqual(parseShard('2/4'), { current: 2, total: 4 });
  assert.deepEqual(parseShard(' 1 / 1 '), { current: 1, total: 1 });
  assert.equal(shardLabel({ current: 2, total: 4 }), 'shard-2-of-4');
});

test('refuses what is not a shard, saying what one looks like', () => {
  assert.match(parseShard('2') as string, /such as 2\/4/);
  assert.match(parseShard('a/b') as string, /such as 2\/4/);
  assert.match(parseShard('5/4') as string, /out of range/);
  assert.match(parseShard('0/4') as string, /out of range/);
});
