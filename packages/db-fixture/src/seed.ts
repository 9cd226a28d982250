import { closeSync, createReadStream, openSync, readFileSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Logger } from '@steg/step-kit';
import type { Seed } from './seeds.ts';
import { csvHeader, jsonToCsv } from './seeds.ts';
import { quoteIdent } from './names.ts';
import { fileError } from './sql-error.ts';

function firstChunk(path: string, bytes = 65536): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '');
  } finally {
    closeSync(fd);
  }
}

/**
 * Loads seed files in order, all in one transaction (so deferrable foreign keys let tables
 * load in any order): SQL as is, CSV and JSON rows with COPY. Returns the rows copied.
 */
export async function loadSeedFiles(client: pg.Client, seeds: readonly Seed[], log?: Logger): Promise<number> {
  if (seeds.length === 0) return 0;
  await client.query('BEGIN');
  try {
    const rows = await loadAll(client, seeds, log);
    try {
      await client.query('COMMIT');
    } catch (err) {
      throw fileError('seeds (at commit, deferred constraints)', seeds.map((s) => s.file).join(', '), '', err);
    }
    return rows;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

async function loadAll(client: pg.Client, seeds: readonly Seed[], log?: Logger): Promise<number> {
  let rows = 0;
  for (const s of seeds) {
    const t0 = Date.now();
    if (s.kind === 'sql') {
      const sql = readFileSync(s.path, 'utf8');
      try {
        await client.query(sql);
      } catch (err) {
        throw fileError('seed', s.file, sql, err);
      }
      await advanceSequences(client);
      log?.debug(`seeded ${s.file} in ${Date.now() - t0} ms`);
      continue;
    }
    const table = (s.table ?? []).map(quoteIdent).join('.');
    let columns: string[];
    let source: Readable;
    let header: boolean;
    if (s.kind === 'csv') {
      columns = csvHeader(firstChunk(s.path));
      source = createReadStream(s.path);
      header = true;
    } else {
      const j = jsonToCsv(readFileSync(s.path, 'utf8'), s.file);
      if (j.rows === 0) continue;
      columns = j.columns;
      source = Readable.from([j.csv]);
      header = false;
    }
    const sql = `COPY ${table} (${columns.map(quoteIdent).join(', ')}) FROM STDIN WITH (FORMAT csv${header ? ', HEADER true' : ''})`;
    const copy = client.query(copyFrom(sql));
    try {
      await pipeline(source, copy);
    } catch (err) {
      throw fileError('seed', s.file, '', err);
    }
    rows += copy.rowCount;
    await advanceSequences(client);
    log?.debug(`seeded ${copy.rowCount} rows into ${table} from ${s.file} in ${Date.now() - t0} ms`);
  }
  return rows;
}

/**
 * Seeds that insert explicit ids (COPY always does) leave serial/identity sequences behind,
 * so the next insert without an id would collide; after each seed file, move every owned
 * sequence in user schemas past its column's maximum (never backwards).
 */
async function advanceSequences(client: pg.Client): Promise<void> {
  await client.query(`DO $seq$
DECLARE r record; mx bigint; cur bigint; called boolean;
BEGIN
  FOR r IN
    SELECT d.objid::regclass AS seq, a.attname, c.oid::regclass AS tbl
      FROM pg_depend d
      JOIN pg_class c ON c.oid = d.refobjid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.refobjsubid
     WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
       AND d.objid IN (SELECT oid FROM pg_class WHERE relkind = 'S')
       AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  LOOP
    EXECUTE format('SELECT max(%I)::bigint FROM %s', r.attname, r.tbl) INTO mx;
    EXECUTE format('SELECT last_value, is_called FROM %s', r.seq) INTO cur, called;
    IF mx IS NOT NULL AND (CASE WHEN called THEN cur + 1 ELSE cur END) <= mx THEN
      PERFORM setval(r.seq, mx, true);
    END IF;
  END LOOP;
END $seq$`);
}
