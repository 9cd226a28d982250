import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatDuration, parseDuration } from './duration.ts';

/** The kinds of param a step can declare. */
export type ParamKind = 'string' | 'int' | 'number' | 'bool' | 'duration' | 'enum' | 'list' | 'url' | 'path' | 'secret';

/** What the parser needs to know about the place it reads from. */
export interface ParseContext {
  cwd: string;
}

/** One declared param: how to read, check and show it. T is the parsed value type, Opt whether it may be absent. */
export interface ParamDef<T = unknown, Opt extends boolean = boolean> {
  readonly kind: ParamKind;
  readonly description: string;
  readonly required: boolean;
  readonly default: T | undefined;
  /** Enum choices, for help and Tekton docs. */
  readonly choices?: readonly string[];
  /** Overrides the environment variable name (default STEG_<NAME>). */
  readonly env?: string;
  /** Shown in help instead of the kind, e.g. "1.2.3". */
  readonly placeholder?: string;
  /** Parses and checks a raw string; throws a message (the expectation) when invalid. */
  parse(raw: string, ctx: ParseContext): T;
  /** Formats a value as the string a user would type (defaults in help and Tekton). */
  format(value: T): string;
  /** Type-level marker only. */
  readonly __optional?: Opt;
}

interface Common<T> {
  description: string;
  default?: T;
  required?: boolean;
  env?: string;
  placeholder?: string;
}

type Optionality<O> = O extends { default: unknown } ? false : O extends { required: true } ? false : true;

/** A parse failure: `expected` says what a valid value looks like. */
export class ParamParseError extends Error {
  constructor(readonly expected: string) {
    super(expected);
  }
}

function def<T, O extends Common<T>>(
  kind: ParamKind,
  o: O,
  parse: (raw: string, ctx: ParseContext) => T,
  format: (v: T) => string = String,
  extra: Partial<ParamDef<T>> = {},
): ParamDef<T, Optionality<O>> {
  return {
    kind,
    description: o.description,
    required: o.required === true,
    default: o.default,
    ...(o.env ? { env: o.env } : {}),
    ...(o.placeholder ? { placeholder: o.placeholder } : {}),
    parse,
    format,
    ...extra,
  } as ParamDef<T, Optionality<O>>;
}

function fail(expected: string): never {
  throw new ParamParseError(expected);
}

/** Param builders: each returns a typed declaration the step's `run` receives parsed. */
export const param = {
  /** Free text, optionally matching a pattern. */
  string<O extends Common<string> & { pattern?: RegExp; patternHint?: string }>(o: O) {
    return def('string', o, (raw) => {
      if (o.pattern && !o.pattern.test(raw)) fail(o.patternHint ?? `a value matching ${o.pattern}`);
      return raw;
    });
  },

  /** A whole number, optionally bounded. */
  int<O extends Common<number> & { min?: number; max?: number }>(o: O) {
    return def('int', o, (raw) => {
      if (!/^-?\d+$/.test(raw.trim())) fail(`a whole number${bounds(o.min, o.max)}`);
      const n = Number(raw.trim());
      if ((o.min != null && n < o.min) || (o.max != null && n > o.max)) fail(`a whole number${bounds(o.min, o.max)}`);
      return n;
    });
  },

  /** A number (decimals allowed), optionally bounded. */
  number<O extends Common<number> & { min?: number; max?: number }>(o: O) {
    return def('number', o, (raw) => {
      const n = Number(raw.trim());
      if (raw.trim() === '' || !Number.isFinite(n)) fail(`a number${bounds(o.min, o.max)}`);
      if ((o.min != null && n < o.min) || (o.max != null && n > o.max)) fail(`a number${bounds(o.min, o.max)}`);
      return n;
    });
  },

  /** true/false (also yes/no, 1/0); a bare flag means true. */
  bool<O extends Common<boolean>>(o: O) {
    return def('bool', o, (raw) => {
      const v = raw.trim().toLowerCase();
      if (['true', 'yes', '1', 'on'].includes(v)) return true;
      if (['false', 'no', '0', 'off'].includes(v)) return false;
      return fail('true or false');
    });
  },

  /** A duration such as 500ms, 30s, 5m, 1h30m; the value is milliseconds. */
  duration<O extends Omit<Common<number>, 'default'> & { default?: string; min?: string; max?: string }>(o: O) {
    const min = o.min != null ? parseDuration(o.min) : undefined;
    const max = o.max != null ? parseDuration(o.max) : undefined;
    const dflt = o.default != null ? parseDuration(o.default) : undefined;
    const range = `${min != null ? ` of at least ${o.min}` : ''}${max != null ? ` of at most ${o.max}` : ''}`;
    return def(
      'duration',
      { ...o, default: dflt } as Common<number>,
      (raw) => {
        const ms = parseDuration(raw);
        if (ms == null) fail(`a duration such as 500ms, 30s, 5m or 1h30m${range}`);
        if ((min != null && ms < min) || (max != null && ms > max)) fail(`a duration${range}`);
        return ms;
      },
      formatDuration,
    ) as ParamDef<number, Optionality<O>>;
  },

  /** One of a fixed set of values. */
  enum<const C extends readonly string[], O extends Common<C[number]>>(choices: C, o: O) {
    return def<C[number], O>(
      'enum',
      o,
      (raw) => {
        const v = raw.trim();
        if (!(choices as readonly string[]).includes(v)) fail(`one of ${choices.join(', ')}`);
        return v as C[number];
      },
      String,
      { choices },
    );
  },

  /** A list: comma- or newline-separated, or the flag repeated. */
  list<O extends Common<string[]>>(o: O) {
    return def(
      'list',
      o,
      (raw) => raw.split(/[,\n]/).map((s) => s.trim()).filter((s) => s !== ''),
      (v) => v.join(','),
    );
  },

  /** An absolute URL; protocols default to http and https. */
  url<O extends Common<string> & { protocols?: string[] }>(o: O) {
    const protocols = o.protocols ?? ['http:', 'https:'];
    return def('url', o, (raw) => {
      let u: URL;
      try {
        u = new URL(raw.trim());
      } catch {
        return fail(`an absolute URL (${protocols.map((p) => p.replace(':', '')).join(' or ')})`);
      }
      if (!protocols.includes(u.protocol)) fail(`a URL with protocol ${protocols.map((p) => p.replace(':', '')).join(' or ')}`);
      return raw.trim();
    });
  },

  /** A filesystem path, resolved against the working directory; optionally must exist as a file or directory. */
  path<O extends Common<string> & { mustExist?: boolean; type?: 'file' | 'dir' }>(o: O) {
    return def('path', o, (raw, ctx) => {
      const p = resolve(ctx.cwd, raw.trim());
      if (o.mustExist) {
        if (!existsSync(p)) fail(`an existing ${o.type === 'dir' ? 'directory' : o.type === 'file' ? 'file' : 'path'} (${p} does not exist)`);
        const st = statSync(p);
        if (o.type === 'dir' && !st.isDirectory()) fail(`a directory (${p} is not one)`);
        if (o.type === 'file' && !st.isFile()) fail(`a file (${p} is not one)`);
      }
      return p;
    });
  },

  /**
   * A secret: read from a file (--NAME-file PATH or STEG_NAME_FILE, e.g. a mounted Secret)
   * or from the env var STEG_NAME, never from a flag value. Its value is redacted everywhere.
   */
  secret<O extends Omit<Common<string>, 'default'>>(o: O) {
    return def('secret', o, (raw) => raw, () => '');
  },
};

function bounds(min?: number, max?: number): string {
  if (min != null && max != null) return ` from ${min} to ${max}`;
  if (min != null) return ` of at least ${min}`;
  if (max != null) return ` of at most ${max}`;
  return '';
}

/** The environment variable a param is read from. */
export function envName(name: string, p: Pick<ParamDef, 'env'>): string {
  return p.env ?? `STEG_${name.replace(/-/g, '_').toUpperCase()}`;
}
