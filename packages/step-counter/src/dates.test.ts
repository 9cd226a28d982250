import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, dayNumber, daysBetween, eachDay, isIsoDate, isoFromDays, isoWeek, isoWeekOfDay, today, weekdayOf, weekStart } from './dates.ts';

test('isIsoDate accepts real dates and rejects impossible or malformed ones', () => {
  assert.equal(isIsoDate('2026-11-26'), true);
  assert.equal(isIsoDate('2024-02-29'), true);
  assert.equal(isIsoDate('2026-02-29'), false);
  assert.equal(isIsoDate('2026-13-01'), false);
  assert.equal(isIsoDate('2026-1-01'), false);
  assert.equal(isIsoDate('26-11-2026'), false);
  assert.equal(isIsoDate('2026-11-26T00:00:00Z'), false);
});

test('addDays and daysBetween cross months, years and leap days', () => {
  assert.equal(addDays('2026-12-31', 1), '2027-01-01');
  assert.equal(addDays('2024-03-01', -1), '2024-02-29');
  assert.equal(daysBetween('2026-11-01', '2026-11-26'), 25);
  assert.equal(daysBetween('2026-11-26', '2026-11-01'), -25);
  assert.deepEqual(eachDay('2026-11-29', '2026-12-02'), ['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
  assert.deepEqual(eachDay('2026-11-29', '2026-11-28'), []);
});

test('ISO weeks start on Monday and belong to the year of their Thursday', () => {
  assert.equal(weekStart('2026-11-26'), '2026-11-23'); // Thursday
  assert.equal(weekStart('2026-11-29'), '2026-11-23'); // Sunday
  assert.equal(weekStart('2026-11-23'), '2026-11-23'); // Monday
  assert.equal(isoWeek('2026-11-26'), '2026-W48');
  assert.equal(isoWeek('2027-01-01'), '2026-W53'); // Friday: still the last week of 2026
  assert.equal(isoWeek('2024-12-30'), '2025-W01'); // Monday of week 1 of 2025
  assert.equal(isoWeek('2026-01-01'), '2026-W01');
});

test('today is the UTC date of the clock it is given', () => {
  assert.equal(today(new Date('2026-11-26T23:59:59Z')), '2026-11-26');
});

test('day-number arithmetic agrees with Date for every day from 1900 to 2200', () => {
  for (let n = dayNumber('1900-01-01'); n <= dayNumber('2200-12-31'); n++) {
    const expected = new Date(n * 86_400_000).toISOString().slice(0, 10);
    if (isoFromDays(n) !== expected || dayNumber(expected) !== n) assert.fail(`day ${n}: ${isoFromDays(n)} / ${expected}`);
    if (n % 7 === 0 && isoWeekOfDay(n) !== isoWeek(expected)) assert.fail(`week of ${expected}: ${isoWeekOfDay(n)} / ${isoWeek(expected)}`);
  }
  assert.equal(weekdayOf(dayNumber('2026-11-23')), 0);
  assert.equal(weekdayOf(dayNumber('1969-12-28')), 6); // before day 0 too
  assert.equal(isoWeekOfDay(dayNumber('2027-01-01')), '2026-W53');
});
