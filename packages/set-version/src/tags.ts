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

// Numeric strings without leading zeros: longer is larger, else the string order is the numeric one.
function cmpNum(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Compares release versions (x.y.z, any length of digits), highest first. */
function rcompareRelease(a: readonly string[], b: readonly string[]): number {
  return cmpNum(b[0] as string, a[0] as string) || cmpNum(b[1] as string, a[1] as string) || cmpNum(b[2] as string, a[2] as string);
}

/** Release tags (valid semver, no prerelease) among name→commit pairs, highest version first. */
export function releaseTags(pairs: ReadonlyMap<string, string>, pattern: TagPattern): ReleaseTag[] {
  const tags: ReleaseTag[] = [];
  const keys: number[] = [];
  // Parts below 1024 (nearly every project) pack into one exact number, sorted natively below.
  let small = true;
  pairs.forEach((commit, name) => {
    const m = pattern.matchRelease(name);
    if (!m) return;
    const x = +(m[2] as string);
    const y = +(m[3] as string);
    const z = +(m[4] as string);
    if (x >= 1024 || y >= 1024 || z >= 1024) small = false;
    keys.push((x * 1024 + y) * 1024 + z);
    tags.push({ name, version: m[1] as string, commit });
  });
  if (!small || tags.length >= 2 ** 22) return tags.sort((a, b) => rcompareRelease(a.version.split('.'), b.version.split('.')));
  // A Float64Array sorts without calling a comparator (60,000 calls of cold code for 5,000 tags).
  // Each entry is version key · 2^bits + (n - 1 - index): exact below 2^53, and after reversing,
  // equal versions keep their input order, as a stable sort would.
  const n = tags.length;
  const scale = 2 ** Math.max(1, Math.ceil(Math.log2(n + 1)));
  const order = new Float64Array(n);
  for (let i = 0; i < n; i++) order[i] = (keys[i] as number) * scale + (n - 1 - i);
  order.sort();
  const out: ReleaseTag[] = new Array<ReleaseTag>(n);
  for (let j = 0; j < n; j++) out[j] = tags[n - 1 - ((order[n - 1 - j] as number) % scale)] as ReleaseTag;
  return out;
}

/** Local tags matching the pattern from `git show-ref -d`: name → peeled commit. */
export async function shownTags(git: Git, pattern: TagPattern): Promise<Map<string, string>> {
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

/**
 * packed-refs when it holds every tag with its peeled commit ('' when there are no refs at all), or
 * undefined when the files on disk may not tell the whole truth (loose tags, reftable, no peeled ids:
 * ask git, shownTags). Reading the file (a fresh clone, after gc) saves a git process and git's
 * check of 5,000 tag objects.
 */
export function packedRefsText(commonDir: string): string | undefined {
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
  if (!/ (fully-)?peeled( |$)/.test(header)) return text.trim() === '' ? '' : undefined;
  return text;
}

/** Tags matching the pattern in packedRefsText's text: name → peeled commit. */
export function tagsFromPacked(text: string, pattern: TagPattern): Map<string, string> {
  const map = new Map<string, string>();
  const prefix = 'refs/tags/';
  let last: string | undefined;
  // The header line (always there when text is not empty) is skipped.
  for (let i = text.indexOf('\n') + 1; i > 0 && i < text.length; ) {
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

/** The commit of tag `name` in packedRefsText's text (peeled), as tagsFromPacked would map it; undefined when absent. */
export function packedTagCommit(text: string, name: string): string | undefined {
  const needle = ` refs/tags/${name}`;
  let out: string | undefined;
  // Forward (indexOf is much faster than lastIndexOf), the last line of a name wins as in tagsFromPacked.
  for (let at = text.indexOf(needle); at > 0; at = text.indexOf(needle, at + 1)) {
    const end = at + needle.length;
    if (end < text.length && text.charCodeAt(end) !== 10) continue;
    const start = text.lastIndexOf('\n', at) + 1;
    // The first line is the header; a ref's id is the text before the line's first space.
    if (start === 0 || start === at || text.charCodeAt(start) === 94 || text.indexOf(' ', start) !== at) continue;
    out = peeledAt(text, end) ?? text.slice(start, at);
  }
  return out;
}

// The id on the "^" line(s) right after a ref line ending at `end` (the last one wins, as in tagsFromPacked).
function peeledAt(text: string, end: number): string | undefined {
  let out: string | undefined;
  for (let i = end + 1; i < text.length && text.charCodeAt(i) === 94; ) {
    let nl = text.indexOf('\n', i);
    if (nl < 0) nl = text.length;
    out = text.slice(i + 1, nl);
    i = nl + 1;
  }
  return out;
}

// Whether the ref line from start to end (peeled by the "^" line after it) names `commit`; no slicing.
function isCommit(text: string, start: number, end: number, commit: string): boolean {
  let s = start;
  let e = text.indexOf(' ', start);
  for (let i = end + 1; i < text.length && text.charCodeAt(i) === 94; ) {
    let nl = text.indexOf('\n', i);
    if (nl < 0) nl = text.length;
    s = i + 1;
    e = nl;
    i = nl + 1;
  }
  return e - s === commit.length && text.startsWith(commit, s);
}

interface Hit {
  x: string;
  y: string;
  z: string;
  /** Where the ref line starts, and where it ends. */
  start: number;
  end: number;
}

const cmpHits = (a: Hit, b: Hit): number => cmpNum(a.x, b.x) || cmpNum(a.y, b.y) || cmpNum(a.z, b.z);

function toTag(text: string, h: Hit): ReleaseTag {
  const sp = text.indexOf(' ', h.start);
  return { name: text.slice(sp + 1 + 'refs/tags/'.length, h.end), version: `${h.x}.${h.y}.${h.z}`, commit: peeledAt(text, h.end) ?? text.slice(h.start, sp) };
}

// A ref line as tagsFromPacked reads it: after a newline (the header comes first), an id without
// spaces that is not a "^" line, then " refs/tags/" and the name, which runs to the end of the line.
const REF_LINE = '\\n[^ \\n^][^ \\n]* refs/tags/';
const NUM = '(0|[1-9]\\d*)';
const ANY_NUM = '(?:0|[1-9]\\d*)';
const LINE_END = '(?![^\\n])';

/**
 * The head of releaseTags' list for packedRefsText's text, without building it: the release tags
 * on `head` above the highest release tag elsewhere, then that tag (when there is one).
 */
export function highestReleases(text: string, pattern: TagPattern, head: string): ReleaseTag[] {
  // HEAD is rarely tagged: then no tag's commit needs looking at.
  const headInFile = text.includes(head);
  if (!headInFile && / sorted( |$)/.test(text.slice(0, text.indexOf('\n')))) {
    const hit = highestSorted(text, pattern);
    if (hit !== false) return hit ? [toTag(text, hit)] : [];
  }
  // One regex pass over the whole file runs as native code, and the loop below does as little as
  // it can per tag (no objects, no calls): a process that lives 100 ms never gets its JavaScript
  // optimised, and 5,000 tags through a parser and a sort cost about 15 ms that way.
  const [before, after] = pattern.affixSources;
  const re = new RegExp(`${REF_LINE}${before}${NUM}\\.${NUM}\\.${NUM}${after}${LINE_END}`, 'g');
  const onHead: Hit[] = [];
  let bx = '';
  let by = '';
  let bz = '';
  let bStart = -1;
  let bEnd = -1;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const x = m[1] as string;
    const y = m[2] as string;
    const z = m[3] as string;
    // Below the best so far: skip. Equal means the name twice (git never writes that): the later line, as in tagsFromPacked.
    if (bStart >= 0) {
      if (x.length !== bx.length) {
        if (x.length < bx.length) continue;
      } else if (x !== bx) {
        if (x < bx) continue;
      } else if (y.length !== by.length) {
        if (y.length < by.length) continue;
      } else if (y !== by) {
        if (y < by) continue;
      } else if (z.length !== bz.length) {
        if (z.length < bz.length) continue;
      } else if (z < bz) continue;
    }
    if (headInFile && isCommit(text, m.index + 1, re.lastIndex, head)) {
      onHead.push({ x, y, z, start: m.index + 1, end: re.lastIndex });
      continue;
    }
    bx = x;
    by = y;
    bz = z;
    bStart = m.index + 1;
    bEnd = re.lastIndex;
  }
  const best = bStart >= 0 ? { x: bx, y: by, z: bz, start: bStart, end: bEnd } : undefined;
  const out = (best ? onHead.filter((h) => cmpHits(h, best) > 0) : onHead).sort((a, b) => cmpHits(b, a)).map((h) => toTag(text, h));
  if (best) out.push(toTag(text, best));
  return out;
}

/**
 * The highest release tag in a file with git's "sorted" trait, looking at one line per major
 * version, then one per minor of the highest major, then the patches of the highest minor (about
 * 120 lines of 5,000 tags instead of all of them). In refname order the names that share a prefix
 * such as "v5." are one run of lines, which a backreference consumes in one native match.
 * Undefined when there is no release tag; false when the runs are not what sorting promises.
 */
function highestSorted(text: string, pattern: TagPattern): Hit | undefined | false {
  const [before, after] = pattern.affixSources;
  const run = (prefix: string): string => `(?:\\n(?:\\^|[^ \\n^][^ \\n]* refs/tags/${before}${prefix})[^\\n]*)*`;
  const majors = maxRun(text, `${REF_LINE}${before}${NUM}\\.${ANY_NUM}\\.${ANY_NUM}${after}${LINE_END}${run('\\1\\.')}`, 0, text.length, false);
  if (!majors) return majors;
  const x = majors.value;
  const minors = maxRun(text, `${REF_LINE}${before}${x}\\.${NUM}\\.${ANY_NUM}${after}${LINE_END}${run(`${x}\\.\\1\\.`)}`, majors.start, majors.end, false);
  if (!minors) return false;
  const y = minors.value;
  const patches = maxRun(text, `${REF_LINE}${before}${x}\\.${y}\\.${NUM}${after}${LINE_END}`, minors.start, minors.end, true);
  if (!patches) return false;
  return { x, y, z: patches.value, start: patches.start + 1, end: patches.end };
}

// The match of `source` (group 1 a number) from `from` on, starting before `to`, with the highest
// number: its value, start and end. Undefined when none; false when two have that number, unless
// `laterWins` (the same tag twice: the later line, as in tagsFromPacked).
function maxRun(text: string, source: string, from: number, to: number, laterWins: boolean): { value: string; start: number; end: number } | undefined | false {
  const re = new RegExp(source, 'g');
  re.lastIndex = from;
  let value = '';
  let start = -1;
  let end = -1;
  let tie = false;
  for (let m = re.exec(text); m !== null && m.index < to; m = re.exec(text)) {
    const v = m[1] as string;
    const c = start < 0 ? 1 : cmpNum(v, value);
    if (c > 0 || (c === 0 && laterWins)) {
      value = v;
      start = m.index;
      end = re.lastIndex;
      tie = false;
    } else if (c === 0) {
      tie = true;
    }
  }
  if (start < 0) return undefined;
  return tie ? false : { value, start, end };
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
