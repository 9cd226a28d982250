import { createHash } from 'node:crypto';
import type pg from 'pg';

// First key of every advisory lock this tool takes ("SG"), so they never clash with an app's own.
const NAMESPACE = 0x5347;

/** The two-int advisory lock key for a name. Advisory locks live in the admin connection's database. */
export function lockKey(name: string): [number, number] {
  return [NAMESPACE, createHash('sha256').update(name).digest().readInt32BE(0)];
}

/** The lock all creates take around counting fixtures and creating one, so the cap holds under concurrency. */
export const CAP_LOCK = 'steg-db-fixture:cap';

export async function lockExclusive(c: pg.Client, name: string): Promise<void> {
  await c.query('SELECT pg_advisory_lock($1, $2)', lockKey(name));
}

export async function unlockExclusive(c: pg.Client, name: string): Promise<void> {
  await c.query('SELECT pg_advisory_unlock($1, $2)', lockKey(name));
}

export async function lockShared(c: pg.Client, name: string): Promise<void> {
  await c.query('SELECT pg_advisory_lock_shared($1, $2)', lockKey(name));
}

export async function unlockShared(c: pg.Client, name: string): Promise<void> {
  await c.query('SELECT pg_advisory_unlock_shared($1, $2)', lockKey(name));
}

/** Takes the exclusive lock only if nobody holds it (gc never waits for a builder or a clone). */
export async function tryLockExclusive(c: pg.Client, name: string): Promise<boolean> {
  const { rows } = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', lockKey(name));
  return rows[0]?.ok === true;
}
