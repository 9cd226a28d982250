import type { ParamDef } from './params.ts';
import type { Logger } from './logger.ts';
import type { Redactor } from './redact.ts';

/** A declared result: Tekton result name to description. */
export interface ResultDef {
  description: string;
  /** json: the value is compact JSON (object or array); string: text as is. */
  type?: 'string' | 'json';
}

/** The parsed values of a step's params, typed from the declaration. */
export type ParamValues<P extends Record<string, ParamDef>> = {
  [K in keyof P]: P[K] extends ParamDef<infer T, infer Opt> ? (Opt extends true ? T | undefined : T) : never;
};

/** A result value: text, number, boolean, or a structure written as JSON. */
export type ResultValue = string | number | boolean | object;

/** What a step's run function receives. */
export interface StepContext<P extends Record<string, ParamDef>, R extends Record<string, ResultDef>> {
  params: ParamValues<P>;
  log: Logger;
  /** Records a result; all results are written when run ends (also on exit 1). */
  setResult(name: keyof R & string, value: ResultValue): void;
  /** Aborts when the step's overall deadline passes. */
  signal: AbortSignal;
  /** Milliseconds left until the deadline. */
  remainingMs(): number;
  /** Masks secrets; register any extra secret value the step comes across. */
  redactor: Redactor;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** True when results go to Tekton result files (not printed). */
  inTekton: boolean;
}

/** A step's declaration: the single source of its CLI, help, README tables and Tekton contract. */
export interface StepDef<P extends Record<string, ParamDef> = Record<string, ParamDef>, R extends Record<string, ResultDef> = Record<string, ResultDef>> {
  name: string;
  description: string;
  params: P;
  results: R;
  /** Default overall deadline (a duration such as "30m"). */
  deadline?: string;
  /** Extra exit codes beyond 0/1/2/4, for help and README. */
  exitCodes?: Record<number, string>;
  /** Examples for --help. */
  examples?: string[];
  /** Does the work; returns an exit code, or nothing for 0. */
  run(ctx: StepContext<P, R>): Promise<number | void>;
}

/** Declares a step; the identity function that gives the declaration its types. */
export function defineStep<P extends Record<string, ParamDef>, R extends Record<string, ResultDef>>(def: StepDef<P, R>): StepDef<P, R> {
  for (const name of Object.keys(def.params)) {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`param name ${name} must be kebab-case`);
    if (BUILTIN_PARAMS.includes(name)) throw new Error(`param name ${name} is reserved by step-kit`);
  }
  for (const name of Object.keys(def.results)) {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`result name ${name} must be kebab-case`);
  }
  return def;
}

/** Params every step has, handled by step-kit itself. */
export const BUILTIN_PARAMS = ['help', 'log-format', 'results-dir', 'deadline'];
