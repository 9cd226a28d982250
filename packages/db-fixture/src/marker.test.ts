import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expiresAt, formatMarker, parseMarker } from './marker.ts';

test('a marker survives formatting and parsing', () => {
  const m = { v: 1 as const, kind: 'fixture' as const, owner: 'team', run: 'r1', created: '2026-01-01T00:00:00.000Z', ttl: 60, template: 't' };
  assert.deepEqual(parseMarker(formatMarker(m)), m);
  assert.equal(expiresAt(m), Date.parse('2026-01-01T00:01:00.000Z'));
});

test('comments that are not ours are not markers', () => {
  for (const c of [null, '', 'production database', 'steg-db-fixture not json', 'steg-db-fixture {"v":2,"kind":"fixture","created":"2026-01-01"}', 'steg-db-fixture {"v":1,"kind":"fixture","created":"yesterday"}']) {
    assert.equal(parseMarker(c), undefined, String(c));
  }
});
