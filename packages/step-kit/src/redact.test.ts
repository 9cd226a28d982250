import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MASK, Redactor } from './redact.ts';

test('masks every occurrence of a secret, and its URL-encoded and base64 forms', () => {
  const r = new Redactor();
  r.add('p@ss:w/rd');
  const b64 = Buffer.from('p@ss:w/rd').toString('base64').replace(/=+$/, '');
  const out = r.redact(`a p@ss:w/rd b https://u:${encodeURIComponent('p@ss:w/rd')}@h c ${b64} d p@ss:w/rd`);
  assert.equal(out.includes('p@ss'), false);
  assert.equal(out.includes(b64), false);
  assert.equal(out.split(MASK).length - 1, 4);
});

test('masks the longer of two overlapping secrets whole', () => {
  const r = new Redactor();
  r.add('abc');
  r.add('abcdef');
  assert.equal(r.redact('xabcdefx abc'), `x${MASK}x ${MASK}`);
});

test('ignores blank values and treats regex characters literally', () => {
  const r = new Redactor();
  r.add('');
  r.add('   ');
  r.add(undefined);
  assert.equal(r.redact('nothing to hide'), 'nothing to hide');
  r.add('a.b*c');
  assert.equal(r.redact('a.b*c axbbc'), `${MASK} axbbc`);
});
