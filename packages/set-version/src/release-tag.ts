import type { Git } from './git.ts';
import { GitError } from './git.ts';

/** Pushing the tag lost a race: another pipeline pushed that tag name first. */
export class TagTakenError extends Error {
  constructor(readonly tag: string) {
    super(`tag ${tag} was pushed by someone else first`);
    this.name = 'TagTakenError';
  }
}

/** HEAD is not on any remote branch: tagging it would push an orphan commit. */
export class NotOnRemoteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotOnRemoteError';
  }
}

/**
 * Proves HEAD exists on the remote (it is a branch tip, or an ancestor of one of the given
 * branches), so the tag never carries an unpublished commit to the remote.
 */
export async function assertHeadOnRemote(git: Git, remote: string, head: string, branches: readonly string[]): Promise<string> {
  const heads = (await git.run(['ls-remote', '--heads', remote]))
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t') as [string, string]);
  const tip = heads.find(([sha]) => sha === head);
  if (tip) return tip[1];
  const wanted = heads.filter(([, ref]) => branches.includes(ref.replace('refs/heads/', '')));
  for (const [, ref] of wanted) {
    const local = `refs/steg/remote-heads/${ref.replace('refs/heads/', '')}`;
    // Only the commits after HEAD come over: HEAD is already here, so negotiation stops at it.
    await git.run(['fetch', '--no-tags', '--quiet', '--no-write-fetch-head', remote, `+${ref}:${local}`]);
    const r = await git.try(['merge-base', '--is-ancestor', head, local]);
    await git.try(['update-ref', '-d', local]);
    if (r.code === 0) return ref;
  }
  throw new NotOnRemoteError(
    `HEAD ${head.slice(0, 12)} is not on the remote ${remote} (not a branch tip, nor in ${branches.join(', ') || 'any release branch'}); push the commit first. No tag was created, so no orphan commit reaches the remote.`,
  );
}

/**
 * Creates an annotated tag object for HEAD and pushes it without creating a local ref first,
 * so a lost race leaves nothing to clean up; the local ref is set only after the push landed.
 * Never forces: an existing remote tag is never moved.
 */
export async function pushAnnotatedTag(git: Git, o: { remote: string; tag: string; commit: string; message: string; tagger: string }): Promise<string> {
  const when = Math.floor(Date.now() / 1000);
  const body = `object ${o.commit}\ntype commit\ntag ${o.tag}\ntagger ${o.tagger} ${when} +0000\n\n${o.message}\n`;
  const obj = await git.line(['mktag'], body);
  const r = await git.try(['push', '--porcelain', '--quiet', o.remote, `${obj}:refs/tags/${o.tag}`]);
  if (r.code !== 0) {
    const text = `${r.stdout}\n${r.stderr}`;
    if (/already exists|\[rejected\]|stale info|fetch first|non-fast-forward/i.test(text)) throw new TagTakenError(o.tag);
    const tail = r.stderr.trim().split('\n').slice(-3).join('; ');
    throw new GitError(`git push ${o.remote} refs/tags/${o.tag} failed (exit ${r.code}): ${tail}`, r.stderr, r.code);
  }
  // The empty old value makes this fail rather than move a local tag of that name.
  const u = await git.try(['update-ref', `refs/tags/${o.tag}`, obj, '']);
  if (u.code !== 0) return obj;
  return obj;
}
