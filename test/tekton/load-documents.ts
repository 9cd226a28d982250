import { readFileSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { LineCounter, isNode, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import type { Problem } from './problem.ts';

/** One YAML document of a file, with what the rules need to name and locate it. */
export interface Doc {
  /** Path as shown in messages (relative to cwd). */
  file: string;
  /** 0-based position of the document in its file. */
  index: number;
  data: Record<string, unknown>;
  apiVersion: string;
  kind: string;
  name: string;
  /** kind/name, e.g. Task/steg-set-version. */
  resource: string;
  /** The 1-based line of the node at path (or of its nearest existing parent). */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

/** Lists .yaml/.yml files under the given files or directories, sorted. */
export function findYamlFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const visit = (p: string): void => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) if (name !== 'node_modules' && !name.startsWith('.')) visit(join(p, name));
    } else if (/\.ya?ml$/.test(p)) {
      out.push(p);
    }
  };
  for (const p of paths) visit(p);
  return [...new Set(out)].sort();
}

/** Parses every document of a YAML file; syntax errors and non-object documents become problems. */
export function loadDocuments(absFile: string, cwd: string = process.cwd()): { file: string; docs: Doc[]; problems: Problem[] } {
  // Relative to cwd reads best; a file outside cwd keeps its absolute path.
  const rel = relative(cwd, absFile);
  const file = rel === '' || rel.startsWith('..') || isAbsolute(rel) ? absFile : rel;
  return { file, ...parseDocuments(readFileSync(absFile, 'utf8'), file) };
}

/** Parses YAML text (one or more documents) shown as `file` in messages. */
export function parseDocuments(text: string, file: string): { docs: Doc[]; problems: Problem[] } {
  const lineCounter = new LineCounter();
  const docs: Doc[] = [];
  const problems: Problem[] = [];
  parseAllDocuments(text, { lineCounter }).forEach((ydoc, index) => {
    const resourceHint = `document ${index + 1}`;
    if (ydoc.errors.length > 0) {
      for (const err of ydoc.errors) {
        problems.push({ file, line: err.linePos?.[0]?.line, resource: resourceHint, rule: 'yaml-parse', message: err.message.split('\n')[0] ?? err.message });
      }
      return;
    }
    const data: unknown = ydoc.toJS();
    // An empty document (a trailing `---`) is harmless.
    if (data == null) return;
    if (typeof data !== 'object' || Array.isArray(data)) {
      problems.push({ file, line: 1, resource: resourceHint, rule: 'yaml-parse', message: 'document is not a mapping (a Kubernetes resource has apiVersion, kind and metadata)' });
      return;
    }
    const obj = data as Record<string, unknown>;
    const meta = (obj.metadata ?? {}) as Record<string, unknown>;
    const kind = typeof obj.kind === 'string' ? obj.kind : '?';
    const name = typeof meta.name === 'string' ? meta.name : `(document ${index + 1})`;
    docs.push({
      file,
      index,
      data: obj,
      apiVersion: typeof obj.apiVersion === 'string' ? obj.apiVersion : '',
      kind,
      name,
      resource: `${kind}/${name}`,
      lineOf: (path) => lineOf(ydoc, lineCounter, path),
    });
  });
  return { docs, problems };
}

function lineOf(ydoc: Document, lc: LineCounter, path: readonly (string | number)[]): number | undefined {
  // A missing property has no node: report the line of the nearest parent that exists.
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? ydoc.contents : ydoc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
  }
  return undefined;
}
