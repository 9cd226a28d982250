import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverUrl, risonString } from './kibana.ts';

test('quotes rison strings', () => {
  assert.equal(risonString('abc'), 'abc');
  assert.equal(risonString("it's!"), "'it!'s!!'");
});

test('links Discover filtered on the run', () => {
  const url = discoverUrl('https://kibana.example.com/', 'build-42');
  assert.ok(url.startsWith('https://kibana.example.com/app/discover#/?_g='));
  const a = decodeURIComponent(new URL(url.replace('#/', '')).searchParams.get('_a') ?? '');
  assert.equal(a, `(query:(language:kuery,query:'cicd.pipeline.run.id:"build-42"'))`);
});
