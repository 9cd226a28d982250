import type pg from 'pg';
import { BadInputError } from '@steg/step-kit';
import type { Logger } from '@steg/step-kit';
import type { Migration } from './migrations.ts';
import { compareParts, splitStatements } from './migrations.ts';
import { fileError } from './sql-error.ts';

/** Where applied migrations are recorded, Flyway-style (version, script, checksum, time). */
export const HISTORY_TABLE = 'public.steg_schema_history';

const CREATE_HISTORY = `CREATE TABLE IF NOT EXISTS ${HISTORY_TABLE} (
  installed_rank serial PRIMARY KEY,
  version text,
  description text NOT NULL,
  type text NOT NULL,
  script text NOT NULL,
  checksum text NOT NULL,
  installed_by text NOT NULL DEFAULT current_user,
  installed_on timestamptz NOT NULL DEFAULT now(),
  execution_time_ms integer NOT NULL,
  success boolean NOT NULL
)`;

export interface MigrateSummary {
  applied: string[];
  upToDate: number;
}

interface Applied {
  version: string | null;
  script: string;
  checksum: string;
  type: string;
}

/**
 * Applies pending migrations in order, each in its own transaction where PostgreSQL allows.
 * An applied versioned migration whose file changed is an error naming the file; so is a
 * new version older than the newest applied one. Repeatables run again when they change.
 */
export async function migrate(client: pg.Client, migrations: readonly Migration[], log?: Logger): Promise<MigrateSummary> {
  await client.query(CREATE_HISTORY);
  const { rows } = await client.query<Applied>(`SELECT version, script, checksum, type FROM ${HISTORY_TABLE} WHERE success ORDER BY installed_rank`);
  const versions = new Map<string, Applied>();
  const repeatables = new Map<string, Applied>();
  let newest: bigint[] | undefined;
  for (const r of rows) {
    if (r.type === 'versioned' && r.version != null) {
      const parts = r.version.split('.').map((p) => BigInt(p));
      versions.set(parts.join('.'), r);
      if (!newest || compareParts(parts, newest) > 0) newest = parts;
    } else {
      repeatables.set(r.script, r);
    }
  }
  const applied: string[] = [];
  let upToDate = 0;
  for (const m of migrations) {
    if (m.type === 'versioned') {
      const done = versions.get(m.parts.join('.'));
      if (done) {
        if (done.checksum !== m.checksum) {
          throw new BadInputError(
            `migration ${m.file} was changed after it was applied (recorded checksum ${done.checksum.slice(0, 12)}, file now ${m.checksum.slice(0, 12)}); add a new migration instead of editing an applied one`,
          );
        }
        upToDate++;
        continue;
      }
      if (newest && compareParts(m.parts, newest) < 0) {
        throw new BadInputError(`migration ${m.file} has version ${m.version}, older than the newest applied version ${newest.join('.')}; give it a higher version`);
      }
    } else if (repeatables.get(m.file)?.checksum === m.checksum) {
      upToDate++;
      continue;
    }
    const t0 = Date.now();
    await applyOne(client, m);
    log?.debug(`applied ${m.file} in ${Date.now() - t0} ms`);
    applied.push(m.file);
  }
  return { applied, upToDate };
}

async function record(client: pg.Client, m: Migration, ms: number): Promise<void> {
  await client.query(
    `INSERT INTO ${HISTORY_TABLE} (version, description, type, script, checksum, execution_time_ms, success) VALUES ($1, $2, $3, $4, $5, $6, true)`,
    [m.version ?? null, m.description, m.type, m.file, m.checksum, ms],
  );
}

async function applyOne(client: pg.Client, m: Migration): Promise<void> {
  const t0 = Date.now();
  if (m.transactional) {
    await client.query('BEGIN');
    try {
      await client.query(m.sql);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw fileError('migration', m.file, m.sql, err);
    }
    await record(client, m, Date.now() - t0);
    await client.query('COMMIT');
    return;
  }
  // One statement at a time: a multi-statement query is an implicit transaction, which
  // CREATE INDEX CONCURRENTLY and friends refuse.
  for (const st of splitStatements(m.sql)) {
    try {
      await client.query(st.text);
    } catch (err) {
      throw fileError('migration', m.file, m.sql, err, st.offset);
    }
  }
  await record(client, m, Date.now() - t0);
}
