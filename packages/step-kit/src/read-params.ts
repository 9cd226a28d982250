import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Flags } from './argv.ts';
import { BadInputError } from './errors.ts';
import type { ParamDef } from './params.ts';
import { envName, ParamParseError } from './params.ts';
import type { Redactor } from './redact.ts';

/** Reads every declared param from flags, then env, then its default; collects all problems before failing. */
export function readParams(
  defs: Record<string, ParamDef>,
  flags: Flags,
  env: NodeJS.ProcessEnv,
  cwd: string,
  redactor: Redactor,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  const known = new Set<string>();
  for (const [name, p] of Object.entries(defs)) {
    known.add(name);
    if (p.kind === 'secret') {
      known.add(`${name}-file`);
      try {
        const v = readSecret(name, p, flags, env, cwd);
        if (v !== undefined) redactor.add(v);
        if (v === undefined && p.required) {
          problems.push(`param ${name} is required: give its file with --${name}-file PATH or ${envName(name, p)}_FILE, or its value in ${envName(name, p)}`);
        }
        values[name] = v;
      } catch (e) {
        problems.push((e as Error).message);
      }
      continue;
    }
    const given = flags.get(name);
    let raws: string[];
    let source: string;
    if (given && given.some((g) => g !== '')) {
      raws = given.filter((g) => g !== '');
      source = `--${name}`;
    } else if (env[envName(name, p)] != null && env[envName(name, p)] !== '') {
      raws = [env[envName(name, p)] as string];
      source = envName(name, p);
    } else {
      raws = [];
      source = '';
    }
    if (raws.length === 0) {
      if (p.required) problems.push(`param ${name} is required (--${name} or ${envName(name, p)}): ${p.description}`);
      values[name] = p.default;
      continue;
    }
    try {
      if (p.kind === 'list') {
        values[name] = raws.flatMap((r) => p.parse(r, { cwd }) as string[]);
      } else {
        values[name] = p.parse(raws[raws.length - 1] as string, { cwd });
      }
    } catch (e) {
      const expected = e instanceof ParamParseError ? e.expected : (e as Error).message;
      problems.push(`param ${name} (${source}) is ${JSON.stringify(raws[raws.length - 1])}, expected ${expected}`);
    }
  }
  for (const flag of flags.keys()) {
    if (!known.has(flag)) {
      const near = closest(flag, [...known]);
      problems.push(`unknown param --${flag}${near ? ` (did you mean --${near}?)` : ''}; see --help`);
    }
  }
  if (problems.length > 0) throw new BadInputError(problems.join('\n'));
  return values;
}

function readSecret(name: string, p: ParamDef, flags: Flags, env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  const e = envName(name, p);
  if (flags.has(name)) {
    // The value itself must never be echoed back, not even in this error.
    throw new BadInputError(`param ${name} is a secret and cannot be given as a flag value (it would show in the process list and Task spec); use --${name}-file PATH or the env var ${e}`);
  }
  const file = flags.get(`${name}-file`)?.at(-1) || env[`${e}_FILE`];
  if (file) {
    // A directory (a mounted Secret or workspace) holds the secret in a file named after the param,
    // so a Task can pass `--x-file=$(workspaces.creds.path)`, which is empty when the optional workspace is unbound.
    let path = resolve(cwd, file);
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, name);
    try {
      return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new BadInputError(`param ${name}: cannot read secret file ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  const v = env[e];
  return v != null && v !== '' ? v : undefined;
}

/** The known name nearest to a mistyped one (edit distance at most 2, or a shared prefix). */
function closest(name: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDist = 3;
  for (const k of known) {
    const d = k.startsWith(name) || name.startsWith(k) ? 1 : editDistance(name, k);
    if (d < bestDist) {
      best = k;
      bestDist = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] as number;
}
