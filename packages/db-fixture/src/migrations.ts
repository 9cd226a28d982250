import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BadInputError } from '@steg/step-kit';

/** One migration file, read and checked. */
export interface Migration {
  /** versioned (V<version>__<name>.sql) or repeatable (R__<name>.sql). */
  type: 'versioned' | 'repeatable';
  /** The version as written, with `_` read as `.` (Flyway's rule); undefined for repeatables. */
  version?: string;
  /** Numeric parts of the version, for ordering (V1.10 after V1.9). */
  parts: bigint[];
  description: string;
  file: string;
  path: string;
  sql: string;
  checksum: string;
  /** False when PostgreSQL refuses the statements inside a transaction (CREATE INDEX CONCURRENTLY...). */
  transactional: boolean;
}

const VERSIONED = /^V(\d+(?:[._]\d+)*)__(.+)\.sql$/;
const REPEATABLE = /^R__(.+)\.sql$/;
// Statements PostgreSQL refuses inside a transaction block.
const NO_TX = /\b(CONCURRENTLY|VACUUM|ALTER\s+SYSTEM|CREATE\s+DATABASE|DROP\s+DATABASE|CREATE\s+TABLESPACE|DROP\s+TABLESPACE)\b/i;

/** The checksum recorded for a file: sha256 of its text with line endings normalised. */
export function checksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n?/g, '\n')).digest('hex');
}

/** Compares two versions part by part (1.10 > 1.9, 001 = 1). */
export function compareParts(a: readonly bigint[], b: readonly bigint[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0n;
    const y = b[i] ?? 0n;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Parses one file name; undefined when it is not a migration name at all (not .sql). Throws on a malformed .sql name. */
export function parseMigrationName(file: string): Pick<Migration, 'type' | 'version' | 'parts' | 'description'> | undefined {
  if (!file.endsWith('.sql')) return undefined;
  const v = VERSIONED.exec(file);
  if (v) {
    const version = (v[1] as string).replace(/_/g, '.');
    return { type: 'versioned', version, parts: version.split('.').map((p) => BigInt(p)), description: (v[2] as string).replace(/_/g, ' ') };
  }
  const r = REPEATABLE.exec(file);
  if (r) return { type: 'repeatable', parts: [], description: (r[1] as string).replace(/_/g, ' ') };
  throw new BadInputError(
    `migration file ${file} has a name that is not V<version>__<name>.sql or R__<name>.sql (Flyway naming, two underscores), so its order is unknown`,
  );
}

/** Whether a migration runs in a transaction: a Flyway `<file>.conf` with executeInTransaction=false, or statements that need it. */
function isTransactional(dir: string, file: string, sql: string): boolean {
  const conf = join(dir, `${file}.conf`);
  if (existsSync(conf)) {
    const m = /^\s*executeInTransaction\s*=\s*(\w+)/m.exec(readFileSync(conf, 'utf8'));
    if (m) return m[1]?.toLowerCase() !== 'false';
  }
  return !NO_TX.test(stripComments(sql));
}

function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
}

/**
 * Reads a migrations folder: versioned files in version order, then repeatables by name.
 * Param is the param name used in errors (migrations).
 */
export function loadMigrations(dir: string, paramName = 'migrations'): Migration[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new BadInputError(`param ${paramName} is ${JSON.stringify(dir)}, expected an existing directory of V<version>__<name>.sql files`);
  }
  const out: Migration[] = [];
  const byVersion = new Map<string, string>();
  for (const file of readdirSync(dir).sort()) {
    const path = join(dir, file);
    if (!statSync(path).isFile()) continue;
    const meta = parseMigrationName(file);
    if (!meta) continue;
    if (meta.type === 'versioned') {
      const key = meta.parts.join('.');
      const other = byVersion.get(key);
      if (other) throw new BadInputError(`migration files ${other} and ${file} have the same version ${meta.version}; each version must be unique`);
      byVersion.set(key, file);
    }
    const sql = readFileSync(path, 'utf8');
    out.push({ ...meta, file, path, sql, checksum: checksum(sql), transactional: isTransactional(dir, file, sql) });
  }
  return out.sort((a, b) => {
    if (a.type !== b.type) return a.type === 'versioned' ? -1 : 1;
    if (a.type === 'versioned') return compareParts(a.parts, b.parts);
    return a.file < b.file ? -1 : a.file > b.file ? 1 : 0;
  });
}

/** 1-based line and column of a 1-based character position in text (PostgreSQL's error position). */
export function lineAt(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, position - 1));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

/**
 * Splits SQL into statements at top-level semicolons, aware of quotes, dollar quotes and
 * comments; used only for files that cannot run in one transaction. Offsets are kept so
 * errors still name the right line.
 */
export function splitStatements(sql: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  let start = 0;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i] as string;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const e = sql.indexOf('\n', i);
      i = e < 0 ? n : e + 1;
    } else if (c === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          depth--;
          i += 2;
        }
        else i++;
      }
    } else if (c === "'" || c === '"') {
      i++;
      while (i < n) {
        if (sql[i] === c) {
          if (sql[i + 1] === c) i += 2;
          else break;
        } else i++;
      }
      i++;
    } else if (c === '$') {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (m) {
        const tag = m[0];
        const e = sql.indexOf(tag, i + tag.length);
        i = e < 0 ? n : e + tag.length;
      } else i++;
    } else if (c === ';') {
      push(start, i);
      start = i + 1;
      i++;
    } else i++;
  }
  push(start, n);
  return out;

  function push(from: number, to: number): void {
    const text = sql.slice(from, to);
    if (stripComments(text).trim() === '') return;
    const lead = text.length - text.trimStart().length;
    out.push({ text: text.trim(), offset: from + lead });
  }
}
