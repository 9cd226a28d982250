// Turns the stored entries of a date range into what the page and API show: every day
// (zero when nothing was recorded), ISO-week totals, and ranked leaderboard rows.
import { dayNumber, isoFromDays, isoWeekOfDay, weekdayOf } from './dates.ts';
import type { DateRange } from './validate.ts';

export interface DayTotal {
  date: string;
  steps: number;
}

export interface WeekTotal {
  /** ISO week label, e.g. 2026-W48. */
  week: string;
  /** The part of the week inside the requested range. */
  from: string;
  to: string;
  steps: number;
  /** Days with a recorded entry. */
  daysRecorded: number;
}

export interface Summary extends DateRange {
  user: string;
  total: number;
  /** Mean over the days with an entry (0 when none). */
  averagePerRecordedDay: number;
  days: DayTotal[];
  weeks: WeekTotal[];
}

/** Builds a user's summary for a range from their recorded entries. */
export function summarize(user: string, range: DateRange, entries: DayTotal[]): Summary {
  const byDate = new Map<string, number>();
  for (const e of entries) byDate.set(e.date, (byDate.get(e.date) ?? 0) + e.steps);
  // This is the hot path of the busiest endpoint: walk the range as day numbers since the
  // epoch and work out a week label once per week, not several date conversions per day.
  const first = dayNumber(range.from);
  const last = dayNumber(range.to);
  const days: DayTotal[] = [];
  const weeks: WeekTotal[] = [];
  let week: WeekTotal | undefined;
  let total = 0;
  let recorded = 0;
  for (let n = first; n <= last; n++) {
    const date = isoFromDays(n);
    const stored = byDate.get(date);
    const steps = stored ?? 0;
    days.push({ date, steps });
    const weekday = weekdayOf(n);
    if (!week || weekday === 0) {
      const sunday = isoFromDays(n + 6 - weekday);
      week = { week: isoWeekOfDay(n), from: date, to: sunday < range.to ? sunday : range.to, steps: 0, daysRecorded: 0 };
      weeks.push(week);
    }
    week.steps += steps;
    total += steps;
    if (stored !== undefined) {
      week.daysRecorded += 1;
      recorded += 1;
    }
  }
  return { user, from: range.from, to: range.to, total, averagePerRecordedDay: recorded ? Math.round(total / recorded) : 0, days, weeks };
}

export interface LeaderboardRow {
  rank: number;
  user: string;
  displayName: string;
  steps: number;
  daysRecorded: number;
}

/** Orders members by steps (most first, then by name) and ranks them; equal steps share a rank (1, 2, 2, 4). */
export function rank(rows: Omit<LeaderboardRow, 'rank'>[]): LeaderboardRow[] {
  const sorted = [...rows].sort((a, b) => b.steps - a.steps || (a.user < b.user ? -1 : a.user > b.user ? 1 : 0));
  const out: LeaderboardRow[] = [];
  sorted.forEach((r, i) => {
    const prev = out[i - 1];
    out.push({ rank: prev?.steps === r.steps ? prev.rank : i + 1, ...r });
  });
  return out;
}
