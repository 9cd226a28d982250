/** A Playwright shard: this run's index (1-based) of the total. */
export interface Shard {
  current: number;
  total: number;
}

/** Parses "2/4"; returns the reason when the text is not a shard spec. */
export function parseShard(raw: string): Shard | string {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  if (!m) return 'a shard such as 2/4 (index/total)';
  const current = Number(m[1]);
  const total = Number(m[2]);
  if (total < 1 || current < 1 || current > total) return `a shard index from 1 to the total (${raw.trim()} is out of range)`;
  return { current, total };
}

/** A file-name-safe label for a shard, e.g. "shard-2-of-4". */
export function shardLabel(s: Shard): string {
  return `shard-${s.current}-of-${s.total}`;
}
