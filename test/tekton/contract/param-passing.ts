// How a container hands values to a step program: `--name=value` / `--name value` in args, or env vars.
import type { Obj } from '../tekton-structure.ts';
import { asObjs } from '../tekton-structure.ts';

/** An env entry: a literal value, or valueFrom (a Secret/ConfigMap key, a field). */
export interface EnvEntry {
  value?: string;
  fromRef: boolean;
}

/** What a container passes: flag name to the values given for it, and env name to entry. */
export interface Passing {
  flags: Map<string, string[]>;
  env: Map<string, EnvEntry>;
}

/** Reads args and env of a container; a step also inherits env from the stepTemplate (its own entries win). */
export function passingOf(container: Obj, template?: Obj): Passing {
  const flags = new Map<string, string[]>();
  const args = Array.isArray(container.args) ? container.args.map(String) : [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--') || arg === '--') continue;
    const eq = arg.indexOf('=');
    let name: string;
    let value: string;
    if (eq > 0) {
      name = arg.slice(2, eq);
      value = arg.slice(eq + 1);
    } else {
      name = arg.slice(2);
      const next = args[i + 1];
      // `--name value` (two args) is a value; a bare `--flag` is a boolean true.
      if (next != null && !next.startsWith('--')) {
        value = next;
        i++;
      } else {
        value = 'true';
      }
    }
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  const env = new Map<string, EnvEntry>();
  for (const source of [template, container]) {
    for (const [, e] of asObjs(source?.env)) {
      if (typeof e.name !== 'string') continue;
      env.set(e.name, { ...(typeof e.value === 'string' ? { value: e.value } : {}), fromRef: e.valueFrom != null });
    }
  }
  return { flags, env };
}

/** The forms of `$(params.<name>)` that pass a Task param through unchanged. */
export function paramExpressions(name: string): string[] {
  return [`$(params.${name})`, `$(params.${name}[*])`, `$(params["${name}"])`, `$(params['${name}'])`];
}

/** True when the flag or env var carries exactly the Task param `param`. */
export function passesParam(passing: Passing, flag: string, envVar: string, param: string): boolean {
  const forms = paramExpressions(param);
  const viaFlag = (passing.flags.get(flag) ?? []).some((v) => forms.includes(v));
  const viaEnv = forms.includes(passing.env.get(envVar)?.value ?? '');
  return viaFlag || viaEnv;
}

/** True when the flag or env var is given at all (a literal, a param, or valueFrom). */
export function gives(passing: Passing, flag: string, envVar: string): boolean {
  const viaFlag = (passing.flags.get(flag) ?? []).some((v) => v !== '');
  const e = passing.env.get(envVar);
  return viaFlag || (e != null && (e.fromRef || (e.value ?? '') !== ''));
}
