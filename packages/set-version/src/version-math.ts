import type { Bump } from './conventional.ts';

// semver's own limits, so exactly the versions semver accepted before are accepted.
const MAX_LENGTH = 256;
const RELEASE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/**
 * The numbers of a strict release version (x.y.z: no v prefix, prerelease or build metadata,
 * parts within Number.MAX_SAFE_INTEGER, as semver requires), or undefined for anything else.
 * A few lines instead of the semver package: loading semver cost more than the whole
 * computation on 5,000 tags.
 */
export function parseRelease(version: string): [number, number, number] | undefined {
  if (version.length > MAX_LENGTH) return undefined;
  const m = RELEASE.exec(version);
  if (!m) return undefined;
  const parts: [number, number, number] = [+(m[1] as string), +(m[2] as string), +(m[3] as string)];
  return parts[0] > Number.MAX_SAFE_INTEGER || parts[1] > Number.MAX_SAFE_INTEGER || parts[2] > Number.MAX_SAFE_INTEGER ? undefined : parts;
}

/** True for a strict release version such as 1.4.0 (what semver.valid returns unchanged, without prerelease). */
export function isRelease(version: string): boolean {
  return parseRelease(version) !== undefined;
}

function mustParse(version: string): [number, number, number] {
  const p = parseRelease(version);
  // The error semver throws for a version it cannot parse.
  if (!p) throw new TypeError(`Invalid Version: ${version}`);
  return p;
}

/** Compares two release versions: negative, 0 or positive (semver.compare); throws a TypeError for anything else. */
export function compareRelease(a: string, b: string): number {
  const x = mustParse(a);
  const y = mustParse(b);
  return Math.sign(x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
}

/** The highest part two release versions differ in, or null when equal (semver.diff); throws a TypeError for anything else. */
export function diffRelease(a: string, b: string): 'major' | 'minor' | 'patch' | null {
  const x = mustParse(a);
  const y = mustParse(b);
  if (x[0] !== y[0]) return 'major';
  if (x[1] !== y[1]) return 'minor';
  if (x[2] !== y[2]) return 'patch';
  return null;
}

/** A release version raised by one part (semver.inc on a release), or undefined when the version is not a release. */
export function incRelease(version: string, part: 'major' | 'minor' | 'patch'): string | undefined {
  const p = parseRelease(version);
  if (!p) return undefined;
  if (part === 'major') return `${p[0] + 1}.0.0`;
  if (part === 'minor') return `${p[0]}.${p[1] + 1}.0`;
  return `${p[0]}.${p[1]}.${p[2] + 1}`;
}

/** Applies a bump to a release version; below 1.0.0 a breaking change is a minor bump unless breakingBelow1 is major. */
export function bumpVersion(previous: string, bump: Bump, breakingBelow1: 'minor' | 'major' = 'minor'): string {
  if (bump === 'none') return previous;
  let b = bump;
  if (b === 'major' && mustParse(previous)[0] === 0 && breakingBelow1 === 'minor') b = 'minor';
  const next = incRelease(previous, b);
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
