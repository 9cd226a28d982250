import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { setYamlPath } from './yaml-edit.ts';
import { parseYamlPath, VersionFileError, YamlEditError } from './yaml-path.ts';

/** One planned file change: written only after every change has been prepared. */
export interface FileEdit {
  file: string;
  before: string;
  after: string;
}

export { VersionFileError } from './yaml-path.ts';

/** The [start, end) range of the JSON string value at a key path (the quotes included), or undefined. */
export function jsonStringRange(text: string, path: readonly string[]): [number, number] | undefined {
  // A small scanner instead of parse-and-reprint: the file's own formatting must survive.
  const stack: (string | number | undefined)[] = [];
  const containers: ('o' | 'a')[] = [];
  let pendingKey: string | undefined;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const str = JSON.parse(text.slice(i, j + 1)) as string;
      if (expectKey && containers.at(-1) === 'o') {
        pendingKey = str;
        expectKey = false;
      } else {
        const here = [...stack.slice(1), pendingKey];
        if (here.length === path.length && here.every((k, n) => k === path[n])) return [i, j + 1];
      }
      i = j;
    } else if (c === '{' || c === '[') {
      stack.push(pendingKey);
      containers.push(c === '{' ? 'o' : 'a');
      pendingKey = undefined;
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      stack.pop();
      containers.pop();
      pendingKey = undefined;
    } else if (c === ',') {
      pendingKey = undefined;
      expectKey = containers.at(-1) === 'o';
    }
  }
  return undefined;
}

function replaceJsonStrings(text: string, file: string, paths: readonly (readonly string[])[], value: string): string {
  try {
    JSON.parse(text);
  } catch (e) {
    throw new VersionFileError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  let out = text;
  let found = 0;
  for (const path of paths) {
    const r = jsonStringRange(out, path);
    if (!r) continue;
    found++;
    out = out.slice(0, r[0]) + JSON.stringify(value) + out.slice(r[1]);
  }
  if (found === 0) throw new VersionFileError(`${file} has no "version" field to update`);
  return out;
}

/** package.json: the top-level version. */
export function editPackageJson(text: string, version: string, file = 'package.json'): string {
  return replaceJsonStrings(text, file, [['version']], version);
}

/** package-lock.json: the root version and packages[""].version (lockfile v2/v3). */
export function editPackageLock(text: string, version: string, file = 'package-lock.json'): string {
  return replaceJsonStrings(text, file, [['version'], ['packages', '', 'version']], version);
}

/** pom.xml: the project's own <version> (a direct child of <project>), never the parent's or a dependency's. */
export function editPom(text: string, version: string, file = 'pom.xml'): string {
  const re = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<(\/?)([\w.:-]+)(?:\s[^>]*?)?(\/?)>/g;
  let depth = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m[2] == null) continue;
    const closing = m[1] === '/';
    const selfClosing = m[3] === '/';
    if (closing) {
      depth--;
      continue;
    }
    if (!selfClosing && depth === 1 && m[2] === 'version') {
      const start = m.index + m[0].length;
      const end = text.indexOf('</version>', start);
      if (end < 0) break;
      const current = text.slice(start, end).trim();
      if (current.includes('${')) throw new VersionFileError(`${file}: the project version is a property (${current}); set it in the property instead`);
      return text.slice(0, start) + version + text.slice(end);
    }
    if (!selfClosing) depth++;
  }
  throw new VersionFileError(`${file} has no <version> directly under <project> (it inherits the parent's); add one to version this module`);
}

/** gradle.properties: the version= line (added when absent). */
export function editGradleProperties(text: string, version: string): string {
  const re = /^(\s*version\s*[=:]\s*)(.*)$/m;
  if (re.test(text)) return text.replace(re, (_m, a: string) => `${a}${version}`);
  return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}version=${version}\n`;
}

/** Helm Chart.yaml: version and appVersion. */
export function editChart(text: string, version: string, file = 'Chart.yaml'): string {
  let out = setYamlPath(text, ['version'], version, file);
  try {
    out = setYamlPath(out, ['appVersion'], version, file);
  } catch (e) {
    if (!(e instanceof YamlEditError)) throw e;
    // appVersion is optional in a chart; the chart version alone is still set.
  }
  return out;
}

const KNOWN = ['package.json', 'package-lock.json', 'pom.xml', 'Chart.yaml', 'VERSION', 'gradle.properties'];

/** Plans the edits for `files` (names recognised by basename) and `yamlPaths` (`file:path`), reading everything first. */
export function planVersionEdits(dir: string, files: readonly string[], yamlPaths: readonly string[], version: string): FileEdit[] {
  const edits: FileEdit[] = [];
  const read = (rel: string, mustExist: boolean): string | undefined => {
    const p = resolve(dir, rel);
    if (!existsSync(p)) {
      if (mustExist) throw new VersionFileError(`${rel} does not exist in ${dir}`);
      return undefined;
    }
    return readFileSync(p, 'utf8');
  };
  const add = (rel: string, before: string, after: string): void => {
    const existing = edits.find((e) => e.file === resolve(dir, rel));
    if (existing) existing.after = after;
    else edits.push({ file: resolve(dir, rel), before, after });
  };
  const current = (rel: string, mustExist: boolean): string | undefined => edits.find((e) => e.file === resolve(dir, rel))?.after ?? read(rel, mustExist);
  for (const rel of files) {
    const name = basename(rel);
    if (name === 'VERSION') {
      add(rel, read(rel, false) ?? '', `${version}\n`);
      continue;
    }
    if (!KNOWN.includes(name)) {
      throw new VersionFileError(`${rel}: unknown kind of version file; expected package.json, package-lock.json, pom.xml, Chart.yaml, VERSION or gradle.properties (use yaml-paths for other YAML files)`);
    }
    const text = current(rel, true) as string;
    let after: string;
    if (name === 'package.json') {
      after = editPackageJson(text, version, rel);
      // The lockfile's root version goes with it, when there is one beside it.
      const lock = join(rel, '..', 'package-lock.json');
      const lockText = current(lock, false);
      if (lockText != null) add(lock, lockText, editPackageLock(lockText, version, lock));
    } else if (name === 'package-lock.json') after = editPackageLock(text, version, rel);
    else if (name === 'pom.xml') after = editPom(text, version, rel);
    else if (name === 'Chart.yaml') after = editChart(text, version, rel);
    else if (name === 'gradle.properties') after = editGradleProperties(text, version);
    else throw new VersionFileError(`${rel}: unknown kind of version file; expected package.json, package-lock.json, pom.xml, Chart.yaml, VERSION or gradle.properties (use yaml-paths for other YAML files)`);
    add(rel, read(rel, true) as string, after);
  }
  for (const spec of yamlPaths) {
    const colon = spec.indexOf(':');
    if (colon <= 0 || colon === spec.length - 1) throw new VersionFileError(`${JSON.stringify(spec)} is not FILE:PATH (e.g. deploy/values.yaml:image.tag)`);
    const rel = spec.slice(0, colon);
    let path;
    try {
      path = parseYamlPath(spec.slice(colon + 1));
    } catch (e) {
      throw new VersionFileError((e as Error).message);
    }
    const text = current(rel, true) as string;
    try {
      add(rel, read(rel, true) as string, setYamlPath(text, path, version, rel));
    } catch (e) {
      if (e instanceof YamlEditError) throw new VersionFileError(e.message);
      throw e;
    }
  }
  return edits.filter((e) => e.before !== e.after);
}
