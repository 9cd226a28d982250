// YAML paths and the edit errors, without the YAML library: validation runs before anything heavy loads.

/** A YAML path segment: a map key or a sequence index. */
export type PathSegment = string | number;

/** A problem with the file or the path; the caller turns it into a bad-input error naming the param. */
export class YamlEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'YamlEditError';
  }
}

/** Parses `image.tag`, `spec.containers[0].image`, `a["dotted.key"].b` into segments. */
export function parseYamlPath(path: string): PathSegment[] {
  const out: PathSegment[] = [];
  const re = /\[(\d+)\]|\[("(?:[^"\\]|\\.)*"|'[^']*')\]|([^.[\]]+)|(\.)/gy;
  let m: RegExpExecArray | null;
  let expectKey = true;
  re.lastIndex = 0;
  while (re.lastIndex < path.length && (m = re.exec(path))) {
    if (m[1] != null) out.push(Number(m[1]));
    else if (m[2] != null) out.push(m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : m[2].slice(1, -1));
    else if (m[3] != null) {
      if (!expectKey) throw new YamlEditError(`YAML path ${JSON.stringify(path)} is malformed`);
      out.push(/^\d+$/.test(m[3]) ? Number(m[3]) : m[3]);
    } else {
      if (expectKey) throw new YamlEditError(`YAML path ${JSON.stringify(path)} is malformed (an empty key)`);
      expectKey = true;
      continue;
    }
    expectKey = false;
  }
  if (re.lastIndex !== path.length || out.length === 0 || path.endsWith('.')) {
    throw new YamlEditError(`YAML path ${JSON.stringify(path)} is malformed; expected keys separated by dots, e.g. image.tag or spec.template.spec.containers[0].image`);
  }
  return out;
}

/** A version file the step cannot update; names the file and why (exit 2). */
export class VersionFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VersionFileError';
  }
}

/** A path as people write it. */
export function formatPath(path: PathSegment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : /^[\w-]+$/.test(s) ? `${i ? '.' : ''}${s}` : `[${JSON.stringify(s)}]`)).join('');
}
