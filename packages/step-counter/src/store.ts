// All SQL the app runs. Each read is one statement, shaped to use the indexes from
// migrations/ (entries_pkey for a user's range, entries_day_idx for a team's week).
import pg from 'pg';
import type { DayTotal, LeaderboardRow } from './summary.ts';
import type { DateRange, EntryInput } from './validate.ts';

export interface RecordedEntry {
  user: string;
  date: string;
  steps: number;
  team: string | null;
  /** False when the user already had an entry that day (it was replaced). */
  created: boolean;
}

export interface Team {
  name: string;
  displayName: string;
  members: number;
}

/** The database operations the HTTP layer needs. */
export interface Store {
  ping(): Promise<void>;
  /** True when the schema is migrated (the entries table exists). */
  schemaReady(): Promise<boolean>;
  record(entry: EntryInput): Promise<RecordedEntry>;
  /** A user's entries in a range, oldest first; null when the user does not exist. */
  entries(user: string, range: DateRange): Promise<DayTotal[] | null>;
  /** Members of a team with their steps in a range (unranked); null when the team does not exist. */
  teamSteps(team: string, range: DateRange): Promise<{ displayName: string; rows: Omit<LeaderboardRow, 'rank'>[] } | null>;
  teams(): Promise<Team[]>;
  close(): Promise<void>;
}

/** The hot reads, exported so a test can EXPLAIN exactly what the app runs ($1 user or team, $2 from, $3 to). */
export const SQL = {
  // The LEFT JOIN tells "no such user" (no row) from "no entries" (one row of NULLs).
  userEntries: `SELECT e.day::text AS date, e.steps
    FROM users u LEFT JOIN entries e ON e.user_name = u.name AND e.day BETWEEN $2::date AND $3::date
    WHERE u.name = $1 ORDER BY e.day`,
  teamSteps: `SELECT t.display_name AS team_display, u.name AS user, u.display_name,
      coalesce(sum(e.steps), 0)::int AS steps, count(e.day)::int AS days
    FROM teams t
    LEFT JOIN users u ON u.team = t.name
    LEFT JOIN entries e ON e.user_name = u.name AND e.day BETWEEN $2::date AND $3::date
    WHERE t.name = $1
    GROUP BY t.display_name, u.name, u.display_name`,
};

/** Creates a store over a connection pool. */
export function createStore(opts: { databaseUrl: string; poolMax?: number; onError?: (err: Error) => void }): Store {
  const pool = new pg.Pool({
    connectionString: opts.databaseUrl,
    max: opts.poolMax ?? 10,
    connectionTimeoutMillis: 5000,
    // No statement of this app should run long; a stuck one must not hold a request forever.
    query_timeout: 10_000,
    application_name: 'step-counter',
  });
  // An idle client losing its connection (database restart) must not crash the server.
  pool.on('error', (err) => opts.onError?.(err));

  return {
    async ping() {
      await pool.query('SELECT 1');
    },
    async schemaReady() {
      const r = await pool.query<{ ok: boolean }>("SELECT to_regclass('entries') IS NOT NULL AS ok");
      return r.rows[0]?.ok === true;
    },
    async record(e) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        if (e.team) {
          await client.query('INSERT INTO teams (name, display_name) VALUES ($1, $1) ON CONFLICT (name) DO NOTHING', [e.team]);
        }
        // A new user is created on their first entry; a given team moves them to it.
        const u = await client.query<{ team: string | null }>(
          `INSERT INTO users (name, display_name, team) VALUES ($1, coalesce($2, $1), $3)
           ON CONFLICT (name) DO UPDATE SET team = coalesce(EXCLUDED.team, users.team),
             display_name = coalesce($2, users.display_name)
           RETURNING team`,
          [e.user, e.displayName ?? null, e.team ?? null],
        );
        // One entry per user and day: re-posting replaces the count (xmax = 0 only for a fresh insert).
        const r = await client.query<{ created: boolean }>(
          `INSERT INTO entries (user_name, day, steps) VALUES ($1, $2, $3)
           ON CONFLICT (user_name, day) DO UPDATE SET steps = EXCLUDED.steps, recorded_at = now()
           RETURNING (xmax = 0) AS created`,
          [e.user, e.date, e.steps],
        );
        await client.query('COMMIT');
        return { user: e.user, date: e.date, steps: e.steps, team: u.rows[0]?.team ?? null, created: r.rows[0]?.created === true };
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async entries(user, range) {
      // Named: each pooled connection parses and plans the hot reads once, not per request.
      const r = await pool.query<{ date: string | null; steps: number | null }>({ name: 'user-entries', text: SQL.userEntries, values: [user, range.from, range.to] });
      if (r.rows.length === 0) return null;
      return r.rows.filter((x) => x.date != null).map((x) => ({ date: x.date!, steps: x.steps! }));
    },
    async teamSteps(team, range) {
      const r = await pool.query<{ team_display: string; user: string | null; display_name: string | null; steps: number; days: number }>({
        name: 'team-steps',
        text: SQL.teamSteps,
        values: [team, range.from, range.to],
      });
      if (r.rows.length === 0) return null;
      return {
        displayName: r.rows[0]!.team_display,
        rows: r.rows.filter((x) => x.user != null).map((x) => ({ user: x.user!, displayName: x.display_name!, steps: x.steps, daysRecorded: x.days })),
      };
    },
    async teams() {
      const r = await pool.query<{ name: string; display_name: string; members: number }>(
        `SELECT t.name, t.display_name, count(u.name)::int AS members
         FROM teams t LEFT JOIN users u ON u.team = t.name GROUP BY t.name ORDER BY t.display_name`,
      );
      return r.rows.map((x) => ({ name: x.name, displayName: x.display_name, members: x.members }));
    },
    async close() {
      await pool.end();
    },
  };
}
