/** One finding: which file and resource, which rule, and what is wrong. */
export interface Problem {
  file: string;
  /** 1-based line of the offending node, when known. */
  line?: number;
  /** kind/name of the resource, e.g. Task/steg-set-version. */
  resource: string;
  rule: string;
  message: string;
  /** Tekton release whose schema was broken (schema problems only). */
  version?: string;
  /** JSON pointer into the document, e.g. /spec/steps/0/image. */
  path?: string;
}

/** Formats a problem as one line: file:line: resource [rule] message (Tekton version, at path). */
export function formatProblem(p: Problem): string {
  const where = p.line != null ? `${p.file}:${p.line}` : p.file;
  const extra = [p.version ? `Tekton ${p.version}` : '', p.path ? `at ${p.path}` : ''].filter(Boolean).join(', ');
  return `${where}: ${p.resource} [${p.rule}] ${p.message}${extra ? ` (${extra})` : ''}`;
}

/** A JSON pointer from path segments (~ and / escaped as RFC 6901 says). */
export function toPointer(path: readonly (string | number)[]): string {
  return path.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Path segments from a JSON pointer; numeric segments become numbers so they index YAML sequences. */
export function fromPointer(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
