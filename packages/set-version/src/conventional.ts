/** Bump levels, smallest first. */
export type Bump = 'none' | 'patch' | 'minor' | 'major';

const RANK: Record<Bump, number> = { none: 0, patch: 1, minor: 2, major: 3 };

/** The larger of two bumps. */
export function maxBump(a: Bump, b: Bump): Bump {
  return RANK[a] >= RANK[b] ? a : b;
}

// type(scope)!: subject  (https://www.conventionalcommits.org/en/v1.0.0/)
const HEADER = /^(\w[\w-]*)(?:\(([^)]*)\))?(!)?:\s/;
const BREAKING_FOOTER = /^BREAKING[ -]CHANGE:\s/m;

/** The bump one commit message asks for under Conventional Commits. */
export function commitBump(message: string): Bump {
  const header = message.split('\n', 1)[0] ?? '';
  const m = HEADER.exec(header);
  if (BREAKING_FOOTER.test(message)) return 'major';
  if (!m) return 'none';
  if (m[3] === '!') return 'major';
  const type = (m[1] as string).toLowerCase();
  if (type === 'feat') return 'minor';
  if (type === 'fix' || type === 'perf') return 'patch';
  return 'none';
}

/** The bump a list of commit messages asks for together. */
export function commitsBump(messages: readonly string[]): Bump {
  let b: Bump = 'none';
  for (const msg of messages) {
    b = maxBump(b, commitBump(msg));
    if (b === 'major') break;
  }
  return b;
}
