// Test-only stand-in for db-fixture: applies migrations/ (V files in version order, each in
// its own transaction, then R files) and seeds/ (SQL files, then <table>.csv/<table>.json)
// to a database. The demo falls back to it when no database stage exists.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const pkgDir = new URL('..', import.meta.url).pathname;
export const MIGRATIONS_DIR = join(pkgDir, 'migrations');
export const SEEDS_DIR = join(pkgDir, 'seeds');

/** Versioned migrations sorted by numeric version, then repeatable ones by name. */
export function migrationFiles(dir = MIGRATIONS_DIR): string[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql'));
  const versioned = files
    .filter((f) => /^V\d+__.+\.sql$/.test(f))
    .sort((a, b) => Number(/^V(\d+)/.exec(a)![1]) - Number(/^V(\d+)/.exec(b)![1]));
  const repeatable = files.filter((f) => f.startsWith('R__')).sort();
  return [...versioned, ...repeatable].map((f) => join(dir, f));
}

/** Applies every migration, each in its own transaction. */
export async function migrate(url: string, dir = MIGRATIONS_DIR): Promise<void> {
  await withClient(url, async (c) => {
    for (const file of migrationFiles(dir)) await inTransaction(c, () => c.query(readFileSync(file, 'utf8')));
  });
}

/** Loads seeds/ in one transaction: SQL files by name, then CSV/JSON per table by name. */
export async function seed(url: string, dir = SEEDS_DIR): Promise<void> {
  const files = readdirSync(dir).sort();
  await withClient(url, (c) =>
    inTransaction(c, async () => {
      for (const f of files.filter((x) => x.endsWith('.sql'))) await c.query(readFileSync(join(dir, f), 'utf8'));
      for (const f of files.filter((x) => x.endsWith('.csv') || x.endsWith('.json'))) {
        const table = f.replace(/\.(csv|json)$/, '');
        const rows = f.endsWith('.csv') ? parseCsv(readFileSync(join(dir, f), 'utf8')) : (JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>[]);
        await insertRows(c, table, rows);
      }
    }),
  );
}

/** Migrates and seeds. */
export async function migrateAndSeed(url: string): Promise<void> {
  await migrate(url);
  await seed(url);
}

// The seed CSVs hold plain values (no quotes or embedded commas); this test helper does
// not need a full CSV parser, and db-fixture's COPY is the real loader.
function parseCsv(text: string): Record<string, string>[] {
  const [head, ...lines] = text.split('\n').filter((l) => l.trim() !== '');
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])));
}

async function insertRows(c: pg.Client, table: string, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]!);
  const types = await c.query<{ column_name: string; data_type: string }>(
    'SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1',
    [table],
  );
  const typeOf = new Map(types.rows.map((r) => [r.column_name, r.data_type]));
  const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;
  // One text array per column, unnested and cast to the column's type: one round trip.
  const arrays = cols.map((col) => rows.map((r) => (r[col] == null ? null : String(r[col]))));
  const casts = cols.map((col) => `${ident(col)}::${typeOf.get(col) ?? 'text'}`).join(', ');
  const params = cols.map((_, i) => `$${i + 1}::text[]`).join(', ');
  await c.query(
    `INSERT INTO ${ident(table)} (${cols.map(ident).join(', ')}) SELECT ${casts} FROM unnest(${params}) AS t(${cols.map(ident).join(', ')})`,
    arrays,
  );
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function inTransaction<T>(c: pg.Client, fn: () => Promise<T>): Promise<T> {
  await c.query('BEGIN');
  try {
    const out = await fn();
    await c.query('COMMIT');
    return out;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
