import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testdir } from '@steg/test-support';
import { BadInputError } from '@steg/step-kit';
import { findEntry, isExpired, loadQuarantine, validateQuarantine } from './quarantine.ts';

test('reads a YAML list and matches by title path, optionally by file', () => {
  using dir = testdir({
    'q.yaml': '- test: "home > shows a heading"\n  expires: 2030-01-31\n  reason: STEG-12\n- test: cart › adds\n  file: e2e/cart.spec.ts\n  expires: 2020-01-01\n',
  });
  const entries = loadQuarantine(`${dir.path}/q.yaml`);
  assert.equal(entries[0]?.test, 'home › shows a heading');
  assert.equal(findEntry(entries, { file: 'home.spec.ts', titlePath: ['home', 'shows a heading'] }), entries[0]);
  assert.equal(findEntry(entries, { file: 'other/cart.spec.ts', titlePath: ['cart', 'adds'] }), undefined);
  assert.equal(findEntry(entries, { file: 'e2e/cart.spec.ts', titlePath: ['cart', 'adds'] }), entries[1]);
  assert.equal(findEntry(entries, { file: 'x', titlePath: ['home'] }), undefined);
});

test('expiry is inclusive and in UTC', () => {
  const e = { test: 't', expires: '2026-11-26' };
  assert.equal(isExpired(e, new Date('2026-11-26T23:59:00Z')), false);
  assert.equal(isExpired(e, new Date('2026-11-27T00:00:01Z')), true);
});

test('accepts { tests: [...] } JSON and an empty file', () => {
  assert.equal(validateQuarantine({ tests: [{ test: 'a', expires: '2030-01-01' }] }).length, 1);
  assert.deepEqual(validateQuarantine(null), []);
});

test('an entry without a valid expiry or title is bad input naming the entry', () => {
  assert.throws(() => validateQuarantine([{ test: 'a' }], 'q.yaml'), (e: unknown) => e instanceof BadInputError && /q\.yaml entry 1: expires is undefined, expected a date YYYY-MM-DD/.test(e.message));
  assert.throws(() => validateQuarantine([{ expires: '2030-02-30' }]), /entry 1: test is undefined[\s\S]*expires is "2030-02-30"/);
  assert.throws(() => validateQuarantine({ nope: 1 }), /must be a list/);
});

test('a missing file names the param', () => {
  assert.throws(() => loadQuarantine('/nonexistent/q.yaml'), /param quarantine is "\/nonexistent\/q.yaml", expected a readable quarantine file \(ENOENT\)/);
});
