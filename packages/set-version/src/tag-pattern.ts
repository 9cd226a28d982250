import { parseRelease } from './version-math.ts';

// A semver prerelease identifier (semver.org's grammar, as the semver package's strict regex).
const PRE_ID = '(?:\\d*[a-zA-Z-][a-zA-Z0-9-]*|0|[1-9]\\d*)';
const PRERELEASE = new RegExp(`^(\\d+\\.\\d+\\.\\d+)(?:-${PRE_ID}(?:\\.${PRE_ID})*)?$`);

/** A release tag pattern such as `v{version}`, `{name}@{version}` or `{name}/v{version}`. */
export interface TagPattern {
  /** The pattern as given. */
  source: string;
  /** Glob for `git for-each-ref`/`ls-remote` (refs/tags/...). */
  refGlob: string;
  /** Tag name for a version. */
  format(version: string): string;
  /** The version in a tag name, or undefined when the name does not match or is not valid semver. */
  parse(tag: string): string | undefined;
  /** The text in the {version} place, unchecked, or undefined when the name does not match. */
  extract(tag: string): string | undefined;
  /** True when the name has the pattern's shape. */
  matchesName(tag: string): boolean;
  /** A release tag's match (strict x.y.z): group 1 the version, groups 2 to 4 its major, minor and patch; null otherwise. */
  matchRelease(tag: string): RegExpExecArray | null;
  /** Regex sources of the literal text before and after the version in a tag name. */
  affixSources: readonly [before: string, after: string];
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Problems with a pattern, as an expectation ("a pattern containing {version}"), or undefined when fine. */
export function patternProblem(pattern: string, name: string): string | undefined {
  if (!pattern.includes('{version}')) return 'a pattern containing {version}, such as v{version} or {name}@{version}';
  if (pattern.split('{version}').length > 2) return 'a pattern with {version} exactly once';
  if (pattern.includes('{name}') && name === '') return 'a pattern without {name}, or the param name set';
  const filled = pattern.split('{name}').join(name);
  // The literal parts must be valid in a ref name; globs would change what the pattern matches.
  if (/[*?[\\\s~^:]|\.\.|@\{/.test(filled.replace('{version}', ''))) return 'a pattern whose literal parts are valid in a git tag name (no spaces, *, ?, [, ~, ^, :, ..)';
  return undefined;
}

/** Compiles a tag pattern; call patternProblem first. */
export function compilePattern(pattern: string, name = ''): TagPattern {
  const filled = pattern.split('{name}').join(name);
  const [before, after] = filled.split('{version}') as [string, string];
  const re = new RegExp(`^${escape(before)}(.+)${escape(after)}$`);
  // The same split as re (the suffix is the name's last characters either way), in one regex run.
  const release = new RegExp(`^${escape(before)}((0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*))${escape(after)}$`);
  return {
    source: pattern,
    refGlob: `refs/tags/${before}*${after}`,
    format: (v) => `${before}${v}${after}`,
    extract: (tag) => re.exec(tag)?.[1],
    matchesName: (tag) => re.test(tag),
    matchRelease: (tag) => release.exec(tag),
    affixSources: [escape(before), escape(after)],
    parse(tag) {
      const m = re.exec(tag);
      if (!m) return undefined;
      const v = m[1] as string;
      // Strict: "1.2" or "01.2.3" are not release tags, and release tags carry no build metadata.
      const pre = v.length <= 256 ? PRERELEASE.exec(v) : null;
      return pre && parseRelease(pre[1] as string) ? v : undefined;
    },
  };
}
