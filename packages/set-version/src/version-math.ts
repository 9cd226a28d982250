import semver from 'semver';
import type { Bump } from './conventional.ts';

/** Applies a bump to a release version; below 1.0.0 a breaking change is a minor bump unless breakingBelow1 is major. */
export function bumpVersion(previous: string, bump: Bump, breakingBelow1: 'minor' | 'major' = 'minor'): string {
  if (bump === 'none') return previous;
  let b = bump;
  if (b === 'major' && semver.major(previous) === 0 && breakingBelow1 === 'minor') b = 'minor';
  const next = semver.inc(previous, b);
  if (!next) throw new Error(`cannot bump ${previous} by ${bump}`);
  return next;
}

/** Turns a branch name into a prerelease identifier: lowercase, [0-9a-z-] only, no leading/trailing dash, at most 40 chars. */
export function sanitizeChannel(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/^refs\/heads\//, '')
    .replace(/[^0-9a-z-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40)
    .replace(/-$/, '');
  // A purely numeric identifier with a leading zero is invalid semver; prefix it.
  return /^\d+$/.test(s) ? `b${s}` : s;
}

/** The OCI-safe image tag for a version: `+` is not allowed in an image tag, so it becomes `_`; at most 128 chars. */
export function imageTagFor(version: string): string {
  return version.replace(/\+/g, '_').replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 128);
}
