import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rank, summarize } from './summary.ts';

test('every day of the range appears, zero when nothing was recorded', () => {
  const s = summarize('astrid', { from: '2026-11-20', to: '2026-11-22' }, [{ date: '2026-11-21', steps: 5000 }]);
  assert.deepEqual(s.days, [
    { date: '2026-11-20', steps: 0 },
    { date: '2026-11-21', steps: 5000 },
    { date: '2026-11-22', steps: 0 },
  ]);
  assert.equal(s.total, 5000);
  assert.equal(s.averagePerRecordedDay, 5000);
});

test('weeks are ISO weeks clipped to the range', () => {
  // Thursday 2026-11-19 to Tuesday 2026-11-24: the end of W47 and the start of W48.
  const s = summarize('a', { from: '2026-11-19', to: '2026-11-24' }, [
    { date: '2026-11-19', steps: 100 },
    { date: '2026-11-22', steps: 200 },
    { date: '2026-11-23', steps: 400 },
  ]);
  assert.deepEqual(s.weeks, [
    { week: '2026-W47', from: '2026-11-19', to: '2026-11-22', steps: 300, daysRecorded: 2 },
    { week: '2026-W48', from: '2026-11-23', to: '2026-11-24', steps: 400, daysRecorded: 1 },
  ]);
  assert.equal(s.total, 700);
  assert.equal(s.averagePerRecordedDay, 233);
});

test('a zero-step entry counts as a recorded day', () => {
  const s = summarize('a', { from: '2026-11-23', to: '2026-11-23' }, [{ date: '2026-11-23', steps: 0 }]);
  assert.equal(s.weeks[0]!.daysRecorded, 1);
});

test('an empty range summary is all zeros', () => {
  const s = summarize('a', { from: '2026-11-23', to: '2026-11-29' }, []);
  assert.equal(s.total, 0);
  assert.equal(s.averagePerRecordedDay, 0);
  assert.equal(s.days.length, 7);
});

test('the leaderboard puts most steps first, breaks ties by name and shares ranks', () => {
  const row = (user: string, steps: number) => ({ user, displayName: user, steps, daysRecorded: 1 });
  const ranked = rank([row('cecilia', 10), row('bo', 30), row('adam', 10), row('dan', 5)]);
  assert.deepEqual(
    ranked.map((r) => [r.rank, r.user]),
    [
      [1, 'bo'],
      [2, 'adam'],
      [2, 'cecilia'],
      [4, 'dan'],
    ],
  );
});
