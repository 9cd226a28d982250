/** Every comment this tool writes starts with this; nothing without it is ever dropped. */
export const MARKER_PREFIX = 'steg-db-fixture ';

/** What a marked database (or role) is. */
export type MarkerKind = 'fixture' | 'template' | 'build' | 'role' | 'spare';

/** The record kept in `COMMENT ON DATABASE` (and `COMMENT ON ROLE` for fixture roles). */
export interface Marker {
  v: 1;
  kind: MarkerKind;
  /** Who asked for it (the owner param, e.g. a team or pipeline). */
  owner: string;
  /** The PipelineRun name or id it was created for. */
  run: string;
  /** ISO timestamp of creation. */
  created: string;
  /** Seconds it may live (fixtures); gc removes it after created + ttl. */
  ttl?: number;
  /** The template a fixture or spare was cloned from (a role: its database), or a template's content hash. */
  template?: string;
  hash?: string;
  /** The per-fixture role that owns the database, if any. */
  role?: string;
}

/** The comment text for a marker. */
export function formatMarker(m: Marker): string {
  return MARKER_PREFIX + JSON.stringify(m);
}

/** Parses a comment; undefined when it is not one of ours (unmarked, edited, or foreign). */
export function parseMarker(comment: string | null | undefined): Marker | undefined {
  if (!comment || !comment.startsWith(MARKER_PREFIX)) return undefined;
  try {
    const m = JSON.parse(comment.slice(MARKER_PREFIX.length)) as Partial<Marker>;
    if (m.v !== 1 || typeof m.kind !== 'string' || typeof m.created !== 'string' || Number.isNaN(Date.parse(m.created))) return undefined;
    return m as Marker;
  } catch {
    return undefined;
  }
}

/** When a marked fixture expires (ms since epoch); Infinity when it has no TTL. */
export function expiresAt(m: Marker): number {
  return m.ttl != null ? Date.parse(m.created) + m.ttl * 1000 : Number.POSITIVE_INFINITY;
}
