import type { Logger } from '@steg/step-kit';
import { BadInputError } from '@steg/step-kit';
import type { Bump } from './conventional.ts';
import { commitsBump } from './conventional.ts';
import type { Git } from './git.ts';
import type { TagPattern } from './tag-pattern.ts';
import type { RepoInfo } from './repo-info.ts';
import type { ReleaseTag } from './tags.ts';
import { highestReleases, packedRefsText, packedTagCommit, releaseTags, remoteTags, shownTags, tagsFromPacked } from './tags.ts';
import { bumpVersion, compareRelease, diffRelease, imageTagFor, incRelease } from './version-math.ts';

export interface ComputeOptions {
  /** Remote name; when the repository has no such remote, only local tags are used. */
  remote: string;
  pattern: TagPattern;
  /** Only commits touching this path count (monorepos). */
  pathFilter?: string;
  bump: 'auto' | Bump;
  /** An explicit version. */
  version?: string;
  firstVersion: string;
  breakingBelow1: 'minor' | 'major';
  force: boolean;
  /** Prerelease channel (sanitised), e.g. `mr.42` or `feature-login`; empty for a release. */
  channel?: string;
  /** Ask the remote for tags (ls-remote) and deepen a shallow clone as needed. */
  useRemote: boolean;
  log: Logger;
}

export interface Computed {
  version: string;
  previousVersion: string;
  previousTag: string;
  tag: string;
  imageTag: string;
  buildVersion: string;
  released: boolean;
  bump: Bump | 'initial';
  commitSha: string;
  /** Commits since the previous release tag (those touching the path filter, when given). */
  commitsSince: number;
  /** HEAD already carries this release's tag. */
  alreadyTagged: boolean;
  /** What was fetched to get here, for the log. */
  fetched: string[];
  /** Remote tag name → tag object sha (to tell our own tag from someone else's). */
  remoteTagObjects: Map<string, string>;
}

const DEEPEN_FIRST = 64;
const DEEPEN_MAX_STEP = 8192;

/** Computes the next version from the tags and commits of the repository at git.cwd. */
export async function computeVersion(git: Git, info: RepoInfo, o: ComputeOptions): Promise<Computed> {
  const head = info.head;
  const fetched: string[] = [];
  const hasRemote = o.useRemote && info.remotes.has(o.remote);
  let remoteObjects = new Map<string, string>();

  const packed = info.commonDir ? packedRefsText(info.commonDir) : undefined;
  // A path filter hides the commits whose parents the quick path looks at.
  const quickOk = !info.shallow && !o.pathFilter;
  let quick: ReturnType<typeof nearestRelease>;
  let triedQuick = false;
  // The usual run (local tags, all packed, no explicit version) needs only the top of the release
  // list and one tag looked up by name: no map of all tags, no sorted list.
  if (packed !== undefined && !hasRemote && !o.version && quickOk) {
    quick = nearestRelease(git, head, highestReleases(packed, o.pattern, head));
    triedQuick = true;
  }
  let tagMap: Map<string, string> | undefined;
  let candidates: ReleaseTag[] = [];
  if (!quick) {
    tagMap = packed === undefined ? await shownTags(git, o.pattern) : tagsFromPacked(packed, o.pattern);
    if (hasRemote) {
      const r = await remoteTags(git, o.remote, o.pattern);
      remoteObjects = r.objects;
      for (const [n, c] of r.commits) tagMap.set(n, c);
      fetched.push(`ls-remote ${o.remote}: ${r.commits.size} tag ref(s) matching ${o.pattern.refGlob} (names only, no objects)`);
    }
    candidates = releaseTags(tagMap, o.pattern);
    // The quick path above already asked git about the same highest tag.
    if (quickOk && !triedQuick) quick = nearestRelease(git, head, candidates);
  }
  const wantChain = o.channel != null && o.channel !== '';
  const reachable = quick?.reachable ?? (await findReachable(git, head, info.shallow, candidates, { hasRemote, remote: o.remote, fetched, log: o.log, needFullWhenNone: wantChain }));
  const tagCommit = (name: string): string | undefined => (tagMap ? tagMap.get(name) : packedTagCommit(packed as string, name));

  // When HEAD already carries a release tag, that is this release (a re-run or a tag pipeline).
  const atHead = reachable.find((t) => t.commit === head);
  const prev = reachable.find((t) => t.commit !== head);
  const range = prev ? `${prev.commit}..HEAD` : 'HEAD';
  const pathArgs = o.pathFilter ? ['--', o.pathFilter] : [];
  // One walk gives both the count and the messages.
  const messages = quick?.messages ?? (await git.run(['log', '--format=%B%x1e', range, ...pathArgs])).split('\x1e').slice(0, -1).map((m) => m.trim());
  const commitsSince = messages.length;

  let version: string;
  let bump: Bump | 'initial';
  let released: boolean;
  let alreadyTagged = false;
  const base = prev?.version;
  if (o.version) {
    version = o.version;
    const existing = candidates.find((t) => t.version === version);
    if (existing && existing.commit !== head) {
      throw new BadInputError(`param version is ${JSON.stringify(version)}, but tag ${existing.name} already exists on commit ${existing.commit.slice(0, 12)}; expected a version that is not released yet (tags are never moved)`);
    }
    if (!existing && base && compareRelease(version, base) <= 0) {
      throw new BadInputError(`param version is ${JSON.stringify(version)}, expected a version greater than the latest release ${base} (tag ${prev?.name})`);
    }
    alreadyTagged = existing?.commit === head;
    bump = base ? diffRelease(base, version) ?? 'none' : 'initial';
    released = true;
  } else if (atHead && o.bump === 'auto' && !wantChain) {
    version = atHead.version;
    bump = 'none';
    released = true;
    alreadyTagged = true;
  } else if (!base) {
    version = o.firstVersion;
    bump = 'initial';
    released = true;
    alreadyTagged = atHead?.version === version;
  } else {
    let b: Bump;
    if (o.bump !== 'auto') b = o.bump;
    else b = commitsBump(messages);
    if (b === 'none' && o.force) b = 'patch';
    bump = b;
    version = bumpVersion(base, b, o.breakingBelow1);
    released = b !== 'none';
  }

  if (released && !alreadyTagged && !o.version) {
    // Another pipeline may have released this version on a commit we cannot see (a later one
    // that raced us): never reuse or move its tag; take the next free patch version.
    let taken = tagCommit(o.pattern.format(version));
    while (taken != null && taken !== head) {
      const next = incRelease(version, 'patch') as string;
      o.log.warn(`tag ${o.pattern.format(version)} already exists on ${taken.slice(0, 12)}, which is not this commit; taking ${next}`);
      version = next;
      taken = tagCommit(o.pattern.format(version));
    }
    if (taken === head) alreadyTagged = true;
  }

  if (wantChain) {
    // A prerelease of the release this branch would make; a patch when it has nothing releasable yet.
    const target = released && !alreadyTagged ? version : bumpVersion(base ?? o.firstVersion, base ? 'patch' : 'none');
    version = `${target}-${o.channel}.${commitsSince}`;
    released = false;
    alreadyTagged = false;
  }

  const short = head.slice(0, 7);
  return {
    version,
    previousVersion: base ?? '',
    previousTag: prev?.name ?? '',
    tag: o.pattern.format(version),
    imageTag: imageTagFor(version),
    buildVersion: `${version}+sha.${short}`,
    released,
    bump,
    commitSha: head,
    commitsSince,
    alreadyTagged,
    fetched,
    remoteTagObjects: remoteObjects,
  };
}

/**
 * The usual case in one git process: the highest release tag below HEAD is an ancestor of HEAD.
 * One `git log tag..HEAD` both proves that (an ancestor is the parent of some commit in the range,
 * and nothing else is) and lists the messages since, so no `merge-base` is needed. Undefined when
 * that tag is not an ancestor; the general search then decides. Not for path filters or shallow clones.
 */
function nearestRelease(git: Git, head: string, candidates: ReleaseTag[]): { reachable: ReleaseTag[]; messages?: string[] } | undefined {
  const reachable: ReleaseTag[] = [];
  let i = 0;
  for (; i < candidates.length && (candidates[i] as ReleaseTag).commit === head; i++) reachable.push(candidates[i] as ReleaseTag);
  const below = candidates[i];
  // Only tags on HEAD itself (or none): those are all there is; the caller logs the whole history.
  if (!below) return { reachable };
  // git.try: a tag on a tree, or on a commit that is not here (a remote-only tag), fails; not an error.
  const r = git.trySync(['log', '--format=%P%x1f%B%x1e', `${below.commit}..HEAD`]);
  if (r.code !== 0) return undefined;
  const messages: string[] = [];
  let isAncestor = false;
  for (const entry of r.stdout.split('\x1e').slice(0, -1)) {
    const sep = entry.indexOf('\x1f');
    if (!isAncestor && entry.slice(0, sep).includes(below.commit)) isAncestor = true;
    messages.push(entry.slice(sep + 1).trim());
  }
  if (!isAncestor) return undefined;
  reachable.push(below);
  return { reachable, messages };
}

interface FindOptions {
  hasRemote: boolean;
  remote: string;
  fetched: string[];
  log: Logger;
  needFullWhenNone: boolean;
}

/**
 * Release tags whose commit is reachable from HEAD, highest version first, with at least the
 * highest one not on HEAD when there is one. A shallow clone is deepened step by step (doubling)
 * only until such a tag's commit is in its history, never unshallowed wholesale.
 */
async function findReachable(git: Git, head: string, isShallow: boolean, candidates: ReleaseTag[], o: FindOptions): Promise<ReleaseTag[]> {
  let shallow = isShallow;
  if (!shallow) return reachableInFullHistory(git, head, candidates);
  const byCommit = new Map<string, ReleaseTag[]>();
  for (const t of candidates) byCommit.set(t.commit, [...(byCommit.get(t.commit) ?? []), t]);
  let step = DEEPEN_FIRST;
  let fetches = 0;
  let deepenedBy = 0;
  const sizeBefore = await objectBytes(git);
  let lastCount = -1;
  for (;;) {
    const history = (await git.run(['rev-list', 'HEAD'])).split('\n').filter(Boolean);
    const found = history.flatMap((c) => byCommit.get(c) ?? []);
    const enough = found.some((t) => t.commit !== head) || (candidates.length === 0 && !o.needFullWhenNone);
    if (enough || !shallow || !o.hasRemote || history.length === lastCount) {
      if (fetches > 0) {
        const bytes = (await objectBytes(git)) - sizeBefore;
        o.fetched.push(`deepened the shallow clone by ${deepenedBy} commit(s) in ${fetches} fetch(es), ${formatBytes(bytes)} of objects (history now ${history.length} commit(s)${shallow ? ', still shallow' : ', complete'})`);
      } else {
        o.fetched.push(`shallow clone: no history fetched (${history.length} local commit(s) sufficed)`);
      }
      if (shallow && !enough && o.hasRemote && candidates.length > 0) o.log.warn('the shallow history could not be deepened further; computing from what is there');
      return [...new Set(found)].sort((a, b) => compareRelease(b.version, a.version));
    }
    lastCount = history.length;
    o.log.info(`shallow clone: fetching ${step} more commit(s) of history to find the last release tag`);
    await deepen(git, o.remote, head, step);
    fetches++;
    deepenedBy += step;
    step = Math.min(step * 2, DEEPEN_MAX_STEP);
    shallow = (await git.line(['rev-parse', '--is-shallow-repository'])) === 'true';
  }
}

async function deepen(git: Git, remote: string, head: string, by: number): Promise<void> {
  // Fetch HEAD's own history by its id: no branches, no tags, nothing else.
  const r = await git.try(['fetch', '--no-tags', '--no-write-fetch-head', '--quiet', `--deepen=${by}`, remote, head]);
  if (r.code === 0) return;
  // Servers that refuse a want by commit id: deepen through the configured refspec instead.
  await git.run(['fetch', '--no-tags', '--quiet', `--deepen=${by}`, remote]);
}

async function reachableInFullHistory(git: Git, head: string, candidates: ReleaseTag[]): Promise<ReleaseTag[]> {
  // Fast path: the highest versions are nearly always on HEAD's history; ask git about a few.
  const out: ReleaseTag[] = [];
  for (const t of candidates.slice(0, 6)) {
    const r = await git.try(['merge-base', '--is-ancestor', t.commit, head]);
    if (r.code === 0) {
      out.push(t);
      if (t.commit !== head) return out;
    }
  }
  if (candidates.length <= 6) return out;
  // Otherwise one walk of the whole history.
  const history = new Set((await git.run(['rev-list', 'HEAD'])).split('\n'));
  return candidates.filter((t) => history.has(t.commit));
}

async function objectBytes(git: Git): Promise<number> {
  const text = await git.run(['count-objects', '-v']);
  let kib = 0;
  for (const line of text.split('\n')) {
    const [k, v] = line.split(':');
    if (k === 'size' || k === 'size-pack') kib += Number(v);
  }
  return kib * 1024;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
