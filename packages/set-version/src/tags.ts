import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Git } from './git.ts';
import type { TagPattern } from './tag-pattern.ts';

/** A release tag: name, version and the commit it points at (annotated tags peeled). */
export interface ReleaseTag {
  name: string;
  version: string;
  commit: string;
}

// A release version: strict semver without prerelease or build metadata. A regex here (not
// a semver parse per tag and per comparison) keeps 5,000 tags in the low milliseconds.
const RELEASE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** Compares release versions (x.y.z, any length of digits), highest first. */
function rcompareRelease(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < 3; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x.length !== y.length) return y.length - x.length;
    if (x !== y) return x < y ? 1 : -1;
  }
  return 0;
}

/** Release tags (valid semver, no prerelease) among name→commit pairs, highest version first. */
export function releaseTags(pairs: Iterable<[string, string]>, pattern: TagPattern): ReleaseTag[] {
  const out: (ReleaseTag & { x: number; y: number; z: number })[] = [];
  // Numbers compare fastest; parts longer than 15 digits may not be exact numbers, so then strings.
  let exact = true;
  for (const [name, commit] of pairs) {
    const version = pattern.extract(name);
    const m = version === undefined ? null : RELEASE.exec(version);
    if (!m) continue;
    const x = m[1] as string;
    const y = m[2] as string;
    const z = m[3] as string;
    if (x.length > 15 || y.length > 15 || z.length > 15) exact = false;
    out.push({ name, version: version as string, commit, x: +x, y: +y, z: +z });
  }
  if (exact) out.sort((a, b) => b.x - a.x || b.y - a.y || b.z - a.z);
  else out.sort((a, b) => rcompareRelease(a.version.split('.'), b.version.split('.')));
  return out;
}

/**
 * Local tags matching the pattern: name → peeled commit. Read straight from packed-refs when every
 * tag is packed there with its peeled id (a fresh clone, after gc): that saves a git process and
 * git's check of 5,000 tag objects. Otherwise (loose tags, reftable, no peeled ids) `git show-ref -d`.
 */
export async function localTags(git: Git, pattern: TagPattern, commonDir?: string): Promise<Map<string, string>> {
  const packed = commonDir ? packedTags(commonDir, pattern) : undefined;
  if (packed) return packed;
  const r = await git.try(['show-ref', '--tags', '-d']);
  const map = new Map<string, string>();
  // Exit 1 means "no tags at all".
  if (r.code !== 0) return map;
  const prefix = 'refs/tags/';
  for (const line of r.stdout.split('\n')) {
    const sp = line.indexOf(' ');
    if (sp < 0) continue;
    const sha = line.slice(0, sp);
    let ref = line.slice(sp + 1);
    const peeled = ref.endsWith('^{}');
    if (peeled) ref = ref.slice(0, -3);
    if (!ref.startsWith(prefix)) continue;
    const name = ref.slice(prefix.length);
    if (!pattern.matchesName(name)) continue;
    if (peeled || !map.has(name)) map.set(name, sha);
  }
  return map;
}

/** Tags from packed-refs alone, or undefined when the files on disk may not tell the whole truth. */
export function packedTags(commonDir: string, pattern: TagPattern): Map<string, string> | undefined {
  // Loose refs are checked before packed-refs is read: `git pack-refs` writes packed-refs first and
  // deletes the loose files after, so a tag being packed is seen in one place or the other.
  if (existsSync(join(commonDir, 'reftable')) || hasFiles(join(commonDir, 'refs', 'tags'))) return undefined;
  let text: string;
  try {
    text = readFileSync(join(commonDir, 'packed-refs'), 'utf8');
  } catch {
    // Missing too when commonDir is not what it seems; git knows.
    return undefined;
  }
  // Without the "peeled" trait an annotated tag's commit is not in the file.
  const header = text.startsWith('# pack-refs with:') ? text.slice(0, text.indexOf('\n')) : '';
  if (!/ (fully-)?peeled( |$)/.test(header)) return text.trim() === '' ? new Map() : undefined;
  const map = new Map<string, string>();
  const prefix = 'refs/tags/';
  let last: string | undefined;
  for (let i = header.length + 1; i < text.length; ) {
    let nl = text.indexOf('\n', i);
    if (nl < 0) nl = text.length;
    if (text.charCodeAt(i) === 94 /* ^ */) {
      // The peeled commit of the ref on the line before.
      if (last !== undefined) map.set(last, text.slice(i + 1, nl));
    } else {
      const sp = text.indexOf(' ', i);
      last = undefined;
      if (sp > i && sp < nl && text.startsWith(prefix, sp + 1)) {
        const name = text.slice(sp + 1 + prefix.length, nl);
        if (pattern.matchesName(name)) {
          map.set(name, text.slice(i, sp));
          last = name;
        }
      }
    }
    i = nl + 1;
  }
  return map;
}

function hasFiles(dir: string): boolean {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  return entries.some((e) => !e.isDirectory() || hasFiles(join(dir, e.name)));
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
