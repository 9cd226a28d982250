import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { BadInputError } from '@steg/step-kit';

/** One quarantined test: it runs and is reported, but until `expires` it cannot fail the run. */
export interface QuarantineEntry {
  /** The test's title path as Playwright shows it: "describe › test title". */
  test: string;
  /** Optional: the spec file (a suffix of its path), when titles repeat across files. */
  file?: string;
  /** Last day (UTC, inclusive) the entry protects the run. */
  expires: string;
  reason?: string;
}

/** What a test needs to be matched against the quarantine list. */
export interface TestKey {
  file: string;
  titlePath: string[];
}

/** Reads and validates a quarantine file (YAML or JSON: a list, or { tests: [...] }); exit 2 naming the entry when invalid. */
export function loadQuarantine(file: string): QuarantineEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new BadInputError(`param quarantine is ${JSON.stringify(file)}, expected a readable quarantine file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new BadInputError(`param quarantine: ${file} is not valid YAML or JSON (${(err as Error).message.split('\n')[0]})`);
  }
  return validateQuarantine(doc, file);
}

/** Checks the parsed document; every problem names the entry and the field. */
export function validateQuarantine(doc: unknown, file = 'quarantine'): QuarantineEntry[] {
  if (doc == null) return [];
  const list = Array.isArray(doc) ? doc : (doc as { tests?: unknown }).tests;
  if (!Array.isArray(list)) throw new BadInputError(`param quarantine: ${file} must be a list of entries, or { tests: [...] }`);
  const problems: string[] = [];
  const entries: QuarantineEntry[] = [];
  list.forEach((raw: unknown, i) => {
    const e = (raw ?? {}) as Record<string, unknown>;
    const where = `param quarantine: ${file} entry ${i + 1}`;
    const expires = e.expires instanceof Date ? e.expires.toISOString().slice(0, 10) : e.expires;
    if (typeof e.test !== 'string' || e.test.trim() === '') problems.push(`${where}: test is ${JSON.stringify(e.test)}, expected the test's title path ("describe › title")`);
    if (typeof expires !== 'string' || !isDate(expires)) problems.push(`${where}: expires is ${JSON.stringify(e.expires)}, expected a date YYYY-MM-DD (an entry without an expiry is never cleaned up)`);
    if (e.file != null && typeof e.file !== 'string') problems.push(`${where}: file is ${JSON.stringify(e.file)}, expected a spec file path`);
    if (typeof e.test === 'string' && typeof expires === 'string') {
      entries.push({
        test: normalizeTitle(e.test),
        expires,
        ...(typeof e.file === 'string' ? { file: e.file } : {}),
        ...(typeof e.reason === 'string' ? { reason: e.reason } : {}),
      });
    }
  });
  if (problems.length) throw new BadInputError(problems.join('\n'));
  return entries;
}

function isDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
}

/** Accepts " > " or " › " between title parts, as people type either. */
function normalizeTitle(t: string): string {
  return t.split(/\s+[›>]\s+/).map((p) => p.trim()).join(' › ');
}

/** True when the entry's last day has passed (expiry is inclusive, in UTC). */
export function isExpired(e: QuarantineEntry, today: Date = new Date()): boolean {
  return e.expires < today.toISOString().slice(0, 10);
}

/** The entry that matches a test, if any. */
export function findEntry(entries: readonly QuarantineEntry[], t: TestKey): QuarantineEntry | undefined {
  const title = t.titlePath.join(' › ');
  return entries.find((e) => e.test === title && (e.file == null || t.file.replace(/\\/g, '/').endsWith(e.file.replace(/^\.\//, ''))));
}
