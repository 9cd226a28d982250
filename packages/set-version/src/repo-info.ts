import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Git } from './git.ts';

/** What the step needs to know about the working tree, from one `git rev-parse`. */
export interface RepoInfo {
  head: string;
  shallow: boolean;
  toplevel: string;
  /** The repository's common git directory (shared by worktrees): refs and config live there. */
  commonDir: string;
  /** Names of the configured remotes. */
  remotes: Set<string>;
}

/** Reads the repository facts in one git call; undefined fields tell why it is not usable. */
export async function repoInfo(git: Git): Promise<RepoInfo | { problem: 'not-a-repo' | 'no-commits' }> {
  const r = git.trySync(['rev-parse', '--is-inside-work-tree', '--is-shallow-repository', '--show-toplevel', '--git-common-dir', '--verify', '-q', 'HEAD^{commit}']);
  const lines = r.stdout.split('\n');
  if (lines[0] !== 'true') return { problem: 'not-a-repo' };
  if (r.code !== 0 || !/^[0-9a-f]{40,64}$/.test(lines[4] ?? '')) return { problem: 'no-commits' };
  const common = lines[3] as string;
  const commonDir = isAbsolute(common) ? common : join(git.cwd, common);
  return { head: lines[4] as string, shallow: lines[1] === 'true', toplevel: lines[2] as string, commonDir, remotes: remotesIn(join(commonDir, 'config')) };
}

// Reading the config file saves a git process on every run (speed against `git describe` is a
// target); only the section names are needed, which git's own syntax makes unambiguous.
function remotesIn(configFile: string): Set<string> {
  const out = new Set<string>();
  if (!existsSync(configFile)) return out;
  for (const m of readFileSync(configFile, 'utf8').matchAll(/^\s*\[\s*remote\s+"((?:[^"\\]|\\.)*)"\s*\]/gim)) out.add((m[1] as string).replace(/\\(.)/g, '$1'));
  return out;
}
