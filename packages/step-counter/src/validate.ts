// Input validation for the JSON API. Everything is checked before the database is touched,
// so bad input writes nothing; the error names the field the client must fix.
import { addDays, daysBetween, isIsoDate, today } from './dates.ts';

/** Thrown for bad client input; the API answers 400 with `{ error, field, message }`. */
export class ValidationError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ValidationError';
  }
}

export const MAX_STEPS = 100_000;
export const MAX_RANGE_DAYS = 366;
const USER = /^[a-z0-9][a-z0-9._-]{0,39}$/;
const TEAM = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** A step count to record: one per user and day. */
export interface EntryInput {
  user: string;
  date: string;
  steps: number;
  team?: string;
  displayName?: string;
}

/** Checks a user name (case-insensitive; stored in lower case). */
export function parseUser(value: unknown, field = 'user'): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ValidationError(field, `${field} is required`);
  const name = value.trim().toLowerCase();
  if (!USER.test(name)) throw new ValidationError(field, `${field} must be 1-40 letters a-z, digits, '.', '_' or '-', starting with a letter or digit`);
  return name;
}

/** Checks a team slug (case-insensitive; stored in lower case). */
export function parseTeam(value: unknown, field = 'team'): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ValidationError(field, `${field} is required`);
  const name = value.trim().toLowerCase();
  if (!TEAM.test(name)) throw new ValidationError(field, `${field} must be 1-40 letters a-z, digits or '-', starting with a letter or digit`);
  return name;
}

/** Checks a calendar date; `latest` bounds it (entries cannot be in the future). */
export function parseDate(value: unknown, field: string, latest?: string): string {
  if (typeof value !== 'string' || !isIsoDate(value)) throw new ValidationError(field, `${field} must be a date written YYYY-MM-DD`);
  if (value < '2000-01-01') throw new ValidationError(field, `${field} must be 2000-01-01 or later`);
  if (latest != null && value > latest) throw new ValidationError(field, `${field} must not be in the future`);
  return value;
}

/** Checks a step count: a whole number from 0 to 100 000 (digits in a string are accepted, as forms send them). */
export function parseSteps(value: unknown, field = 'steps'): number {
  const n = typeof value === 'string' && /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new ValidationError(field, `${field} must be a whole number`);
  if (n < 0 || n > MAX_STEPS) throw new ValidationError(field, `${field} must be between 0 and ${MAX_STEPS}`);
  return n;
}

/** Validates a POST /api/entries body. */
export function parseEntry(body: unknown, now: Date = new Date()): EntryInput {
  if (body == null || typeof body !== 'object' || Array.isArray(body)) throw new ValidationError('body', 'body must be a JSON object');
  const b = body as Record<string, unknown>;
  // A day's total may be recorded before midnight UTC in time zones east of it.
  const entry: EntryInput = {
    user: parseUser(b.user),
    date: parseDate(b.date, 'date', addDays(today(now), 1)),
    steps: parseSteps(b.steps),
  };
  if (b.team != null && b.team !== '') entry.team = parseTeam(b.team);
  if (b.displayName != null && b.displayName !== '') {
    if (typeof b.displayName !== 'string' || b.displayName.trim().length > 80) throw new ValidationError('displayName', 'displayName must be text of at most 80 characters');
    entry.displayName = b.displayName.trim();
  }
  return entry;
}

/** A date range, both ends included. */
export interface DateRange {
  from: string;
  to: string;
}

/** Reads `from`/`to` query params; the default is the 7 days ending today. */
export function parseRange(query: URLSearchParams, now: Date = new Date()): DateRange {
  const rawTo = query.get('to');
  const rawFrom = query.get('from');
  const to = rawTo == null || rawTo === '' ? today(now) : parseDate(rawTo, 'to');
  const from = rawFrom == null || rawFrom === '' ? addDays(to, -6) : parseDate(rawFrom, 'from');
  if (from > to) throw new ValidationError('from', 'from must not be after to');
  if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS) throw new ValidationError('from', `the range from..to must span at most ${MAX_RANGE_DAYS} days`);
  return { from, to };
}

/** Reads an optional whole-number query param within bounds. */
export function parseLimit(value: string | null, fallback: number, max: number, field = 'limit'): number {
  if (value == null || value === '') return fallback;
  if (!/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > max) throw new ValidationError(field, `${field} must be a whole number from 1 to ${max}`);
  return Number(value);
}
