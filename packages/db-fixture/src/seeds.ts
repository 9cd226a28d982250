import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BadInputError } from '@steg/step-kit';

/** One seed file: SQL run as is, or rows for one table (CSV with a header line, or a JSON array of objects). */
export interface Seed {
  kind: 'sql' | 'csv' | 'json';
  file: string;
  path: string;
  /** The target table for csv/json, as [schema?, table]. */
  table?: string[];
  checksum: string;
}

// A table name, optionally schema-qualified, optionally after an ordering prefix (01_users.csv).
const TABLE_FILE = /^(?:\d+[-_])?([A-Za-z_][A-Za-z0-9_$]*(?:\.[A-Za-z_][A-Za-z0-9_$]*)?)\.(csv|json)$/;

/** Reads a seeds folder: .sql, <table>.csv and <table>.json files, in file-name order (prefix NN_ to order them). */
export function loadSeeds(dir: string, paramName = 'seeds'): Seed[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new BadInputError(`param ${paramName} is ${JSON.stringify(dir)}, expected an existing directory of .sql, <table>.csv or <table>.json files`);
  }
  const out: Seed[] = [];
  for (const file of readdirSync(dir).sort()) {
    const path = join(dir, file);
    if (!statSync(path).isFile() || file.startsWith('.')) continue;
    const lower = file.toLowerCase();
    if (lower.endsWith('.sql')) {
      out.push({ kind: 'sql', file, path, checksum: hashFile(path) });
    } else if (lower.endsWith('.csv') || lower.endsWith('.json')) {
      const m = TABLE_FILE.exec(file);
      if (!m) throw new BadInputError(`seed file ${file}: expected <table>.csv or <table>.json (optionally schema.table, optionally after an NN_ ordering prefix)`);
      out.push({ kind: m[2]?.toLowerCase() === 'csv' ? 'csv' : 'json', file, path, table: (m[1] as string).split('.'), checksum: hashFile(path) });
    }
  }
  return out;
}

function hashFile(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Parses the first record of a CSV text (the header), honouring quotes. */
export function csvHeader(text: string): string[] {
  const cols: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cols.push(cur);
      cur = '';
    }
    else if (c === '\n' || c === '\r') break;
    else cur += c;
  }
  cols.push(cur);
  return cols.map((s) => s.trim());
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  // Quoted, so an empty string stays an empty string (unquoted empty means NULL in COPY csv).
  return `"${s.replace(/"/g, '""')}"`;
}

/** Turns a JSON array of objects into COPY csv text and its column list (the union of keys, first seen first). */
export function jsonToCsv(text: string, file: string): { columns: string[]; csv: string; rows: number } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new BadInputError(`seed file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(data) || data.some((r) => r === null || typeof r !== 'object' || Array.isArray(r))) {
    throw new BadInputError(`seed file ${file}: expected a JSON array of objects, one per row (keys are column names)`);
  }
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of data as Record<string, unknown>[]) {
    for (const k of Object.keys(row)) {
      if (seen.has(k)) continue;
      seen.add(k);
      columns.push(k);
    }
  }
  const lines = (data as Record<string, unknown>[]).map((row) => columns.map((c) => csvCell(row[c])).join(','));
  return { columns, csv: lines.length ? `${lines.join('\n')}\n` : '', rows: lines.length };
}
