import { randomBytes } from 'node:crypto';

/** PostgreSQL truncates identifiers beyond 63 bytes; names are built to fit. */
export const MAX_IDENT = 63;

/** The default prefix every fixture, template and role name starts with. */
export const DEFAULT_PREFIX = 'steg_fx';

/** Prefixes are lower-case identifiers, short enough to leave room for the rest of a name. */
export const PREFIX_PATTERN = /^[a-z][a-z0-9_]{1,19}$/;

/** A random lower-case base-36 suffix, so two fixtures of one run never collide. */
export function randomSuffix(length = 8): string {
  const bytes = randomBytes(length);
  let s = '';
  for (const b of bytes) s += (b % 36).toString(36);
  return s;
}

/** A run id (PipelineRun name, test name) as an identifier fragment: [a-z0-9_], at most max chars. */
export function slug(text: string, max: number): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, Math.max(0, max))
    .replace(/_+$/g, '');
  return s;
}

/** A fixture database name: prefix, the run id's slug, randomness; always a valid unquoted identifier. */
export function fixtureName(prefix: string, runId: string, random = randomSuffix()): string {
  const room = MAX_IDENT - prefix.length - random.length - 2;
  const s = slug(runId, room);
  return s ? `${prefix}_${s}_${random}` : `${prefix}_${random}`;
}

/** The published template for a content hash. */
export function templateName(prefix: string, hash: string): string {
  return `${prefix}_tpl_${hash.slice(0, 24)}`;
}

/** The private name a template is built under before it is renamed into place. */
export function buildName(prefix: string, hash: string, random = randomSuffix()): string {
  return `${prefix}_bld_${hash.slice(0, 12)}_${random}`;
}

/** The NOLOGIN group role that template objects are granted to, and fixture roles are members of. */
export function groupRoleName(prefix: string): string {
  return `${prefix}_users`;
}

/** Quotes an identifier for SQL (names here are generated, but a given name may be anything). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quotes a string literal for SQL (for statements that take no bind parameters, such as COMMENT). */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A spare: a clone made ahead of time (by drop), renamed into a fixture by the next create. */
export function spareName(prefix: string, hash: string, random = randomSuffix()): string {
  return `${prefix}_spr_${hash.slice(0, 12)}_${random}`;
}
