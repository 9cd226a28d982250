import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, parseDuration } from './duration.ts';

test('parses Go-style durations to milliseconds', () => {
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('5m'), 300_000);
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('1.5s'), 1500);
  assert.equal(parseDuration('0'), 0);
});

test('rejects durations without a unit or with junk', () => {
  for (const bad of ['', '5', '5x', 'm5', '5m junk', '-5s', '1h 30m']) assert.equal(parseDuration(bad), undefined, bad);
});

test('formats milliseconds as the shortest readable duration', () => {
  assert.equal(formatDuration(90_000), '1m30s');
  assert.equal(formatDuration(300_000), '5m');
  assert.equal(formatDuration(250), '250ms');
  assert.equal(formatDuration(0), '0s');
  assert.equal(parseDuration(formatDuration(5_400_500)), 5_400_500);
});
