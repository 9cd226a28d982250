import { execFileSync } from 'node:child_process';

/** One commit of a generated history. */
export interface GenCommit {
  msg: string;
  /** An annotated tag on this commit. */
  tag?: string;
  /** The path this commit changes (default: a file per 100 commits). */
  path?: string;
}

/**
 * A `git fast-import` stream for a linear history on `branch`: one process builds thousands of
 * commits and tags in a second, where one `git commit` per commit takes minutes.
 */
export function fastImportStream(commits: readonly GenCommit[], branch = 'main', start = 1_700_000_000): string {
  const parts: string[] = [];
  const data = (s: string): string => `data ${Buffer.byteLength(s)}\n${s}\n`;
  commits.forEach((c, i) => {
    const when = `${start + i * 60} +0000`;
    const path = c.path ?? `src/f${Math.floor(i / 100)}.txt`;
    parts.push(`commit refs/heads/${branch}\nmark :${i + 1}\ncommitter dev <dev@example.com> ${when}\n${data(c.msg)}`);
    if (i > 0) parts.push(`from :${i}\n`);
    parts.push(`M 644 inline ${path}\n${data(`${i}\n`)}`);
    if (c.tag) parts.push(`tag ${c.tag}\nfrom :${i + 1}\ntagger dev <dev@example.com> ${when}\n${data(`release ${c.tag}`)}`);
  });
  return parts.join('');
}

/** Imports a generated history into a (bare) repository. */
export function importHistory(repo: string, commits: readonly GenCommit[], branch = 'main'): void {
  execFileSync('git', ['fast-import', '--quiet'], { cwd: repo, input: fastImportStream(commits, branch), stdio: ['pipe', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
}
