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

test('masks a secret with quotes or backslashes in JSON text, where it appears escaped', () => {
  const r = new Redactor();
  const secret = 'pa"ss\\wo\trd';
  r.add(secret);
  const line = JSON.stringify({ msg: `login with ${secret}`, password: secret });
  const masked = r.redact(line);
  assert.deepEqual(JSON.parse(masked), { msg: `login with ${MASK}`, password: MASK });
  assert.equal(r.redact(`raw ${secret}`), `raw ${MASK}`);
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

test('masks secrets in bytes that are not text, byte for byte elsewhere, and counts them', () => {
  const r = new Redactor();
  assert.equal(r.redactBytes(Buffer.from('nothing')), undefined);
  r.add('pässwörd');
  const bytes = Buffer.concat([Buffer.from([0x00, 0xff, 0x89]), Buffer.from('a pässwörd and cMOkc3N3w7ZyZA b')]);
  const out = r.redactBytes(new Uint8Array(bytes));
  assert.equal(out?.count, 2);
  assert.deepEqual(out?.bytes, Buffer.concat([Buffer.from([0x00, 0xff, 0x89]), Buffer.from(`a ${MASK} and ${MASK} b`)]));
  assert.equal(r.redactBytes(Buffer.from([0x00, 0xff])), undefined);
});

test('tells whether bytes hold a secret in any of its forms, after one is added later too', () => {
  const r = new Redactor();
  assert.equal(r.occursIn(Buffer.from('token s3cr3t')), false);
  r.add('s3cr3t');
  assert.equal(r.occursIn(Buffer.from('token s3cr3t')), true);
  assert.equal(r.occursIn(Buffer.from(`basic ${Buffer.from('s3cr3t').toString('base64').replace(/=+$/, '')}`)), true);
  assert.equal(r.occursIn(Buffer.from('token s3cr')), false);
  // A view into a larger buffer is read within its bounds only.
  const whole = Buffer.from('xx s3cr3t yy');
  assert.equal(r.occursIn(whole.subarray(0, 6)), false);
  r.add('yy');
  assert.equal(r.occursIn(whole.subarray(9)), true);
});
