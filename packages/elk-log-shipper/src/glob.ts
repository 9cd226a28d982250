import { readdirSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';

/** True when a pattern has glob characters (*, ?, [). */
export function isGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

function segmentRegExp(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${seg.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

// Directories a "**" never descends into: dependency trees and VCS data hold no build logs.
const SKIP = new Set(['node_modules', '.git']);

/**
 * Expands a glob (*, ?, [abc], ** for any depth) below base into sorted absolute file paths.
 * Node 20 has no fs.glob, and the matcher is small enough not to need a dependency.
 */
export function expandGlob(base: string, pattern: string): string[] {
  const abs = isAbsolute(pattern);
  const root = abs ? sep : base;
  const segs = (abs ? relative(sep, pattern) : pattern).split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  const out = new Set<string>();
  const walk = (dir: string, i: number): void => {
    if (i === segs.length) return;
    const seg = segs[i] as string;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (seg === '**') {
      walk(dir, i + 1);
      for (const e of entries) if (e.isDirectory() && !SKIP.has(e.name)) walk(join(dir, e.name), i);
      return;
    }
    const re = segmentRegExp(seg);
    const last = i === segs.length - 1;
    for (const e of entries) {
      if (!re.test(e.name)) continue;
      const p = join(dir, e.name);
      if (last) {
        if (e.isFile()) out.add(p);
      } else if (e.isDirectory()) {
        walk(p, i + 1);
      }
    }
  };
  walk(root, 0);
  return [...out].sort();
}
