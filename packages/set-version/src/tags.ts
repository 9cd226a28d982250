import semver from 'semver';
import type { Git } from './git.ts';
import type { TagPattern } from './tag-pattern.ts';

/** A release tag: name, version and the commit it points at (annotated tags peeled). */
export interface ReleaseTag {
  name: string;
  version: string;
  commit: string;
}

/** Release tags (valid semver, no prerelease) among name→commit pairs, highest version first. */
export function releaseTags(pairs: Iterable<[string, string]>, pattern: TagPattern): ReleaseTag[] {
  const out: ReleaseTag[] = [];
  for (const [name, commit] of pairs) {
    const version = pattern.parse(name);
    if (version == null || semver.prerelease(version) != null) continue;
    out.push({ name, version, commit });
  }
  return out.sort((a, b) => semver.rcompare(a.version, b.version));
}

/** Local tags matching the pattern: name → peeled commit. */
export async function localTags(git: Git, pattern: TagPattern): Promise<Map<string, string>> {
  const text = await git.run(['for-each-ref', '--format=%(refname:strip=2)%00%(objectname)%00%(*objectname)', pattern.refGlob]);
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [name, obj, peeled] = line.split('\0') as [string, string, string];
    map.set(name, peeled || obj);
  }
  return map;
}

/** Remote tags matching the pattern (`git ls-remote`, one round trip, no objects): name → peeled commit, and name → tag object. */
export async function remoteTags(git: Git, remote: string, pattern: TagPattern): Promise<{ commits: Map<string, string>; objects: Map<string, string> }> {
  const text = await git.run(['ls-remote', '--tags', remote, pattern.refGlob]);
  const commits = new Map<string, string>();
  const objects = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [sha, ref] = line.split('\t') as [string, string | undefined];
    if (!ref?.startsWith('refs/tags/')) continue;
    if (ref.endsWith('^{}')) {
      commits.set(ref.slice('refs/tags/'.length, -3), sha);
    } else {
      const name = ref.slice('refs/tags/'.length);
      objects.set(name, sha);
      if (!commits.has(name)) commits.set(name, sha);
    }
  }
  return { commits, objects };
}
