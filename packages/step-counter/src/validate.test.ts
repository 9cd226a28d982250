import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEntry, parseLimit, parseRange, parseSteps, ValidationError } from './validate.ts';

const now = new Date('2026-11-26T12:00:00Z');

/** Asserts that fn throws a ValidationError naming `field`. */
function rejects(fn: () => unknown, field: string): void {
  assert.throws(fn, (err: unknown) => err instanceof ValidationError && err.field === field);
}

test('a valid entry is normalised: lower-case names, numeric steps', () => {
  assert.deepEqual(parseEntry({ user: ' Astrid ', date: '2026-11-25', steps: 8123, team: 'Fjallravar' }, now), {
    user: 'astrid',
    date: '2026-11-25',
    steps: 8123,
    team: 'fjallravar',
  });
  assert.equal(parseEntry({ user: 'a', date: '2026-11-25', steps: '42' }, now).steps, 42);
});

test('each bad field is named in the error', () => {
  rejects(() => parseEntry(null, now), 'body');
  rejects(() => parseEntry([], now), 'body');
  rejects(() => parseEntry({ date: '2026-11-25', steps: 1 }, now), 'user');
  rejects(() => parseEntry({ user: 'no spaces', date: '2026-11-25', steps: 1 }, now), 'user');
  rejects(() => parseEntry({ user: 'a'.repeat(41), date: '2026-11-25', steps: 1 }, now), 'user');
  rejects(() => parseEntry({ user: 'a', date: '2026-02-30', steps: 1 }, now), 'date');
  rejects(() => parseEntry({ user: 'a', date: '2026-11-28', steps: 1 }, now), 'date'); // the future
  rejects(() => parseEntry({ user: 'a', date: '1999-12-31', steps: 1 }, now), 'date');
  rejects(() => parseEntry({ user: 'a', date: '2026-11-25', steps: 1, team: 'x y' }, now), 'team');
  rejects(() => parseEntry({ user: 'a', date: '2026-11-25', steps: 1, displayName: 7 }, now), 'displayName');
});

test('steps must be a whole number from 0 to 100 000', () => {
  assert.equal(parseSteps(0), 0);
  assert.equal(parseSteps(100_000), 100_000);
  for (const bad of [-1, 100_001, 1.5, '1.5', '', 'abc', null, undefined, Number.NaN, true, '1e3']) rejects(() => parseSteps(bad), 'steps');
});

test('tomorrow (UTC) is accepted for time zones ahead of UTC', () => {
  assert.equal(parseEntry({ user: 'a', date: '2026-11-27', steps: 1 }, now).date, '2026-11-27');
});

test('ranges default to the last 7 days and are bounded', () => {
  assert.deepEqual(parseRange(new URLSearchParams(), now), { from: '2026-11-20', to: '2026-11-26' });
  assert.deepEqual(parseRange(new URLSearchParams('to=2026-11-01'), now), { from: '2026-10-26', to: '2026-11-01' });
  assert.deepEqual(parseRange(new URLSearchParams('from=2026-01-01&to=2026-12-31'), now), { from: '2026-01-01', to: '2026-12-31' });
  rejects(() => parseRange(new URLSearchParams('from=2026-11-02&to=2026-11-01'), now), 'from');
  rejects(() => parseRange(new URLSearchParams('from=2024-01-01&to=2026-11-01'), now), 'from');
  rejects(() => parseRange(new URLSearchParams('to=yesterday'), now), 'to');
});

test('limit is a whole number within bounds', () => {
  assert.equal(parseLimit(null, 10, 100), 10);
  assert.equal(parseLimit('25', 10, 100), 25);
  for (const bad of ['0', '101', '-1', '2.5', 'ten']) rejects(() => parseLimit(bad, 10, 100), 'limit');
});
