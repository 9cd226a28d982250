// The contract between a Task (or StepAction) and the declarations of the steg steps it runs:
// params, their types and defaults, how they are passed, secrets, and results.
import type { ParamDef, StepDef } from '@steg/step-kit';
import { envName, formatDefault } from '@steg/step-kit';
import type { Doc } from '../load-documents.ts';
import type { Problem } from '../problem.ts';
import { toPointer } from '../problem.ts';
import type { ContainerAt, Obj, Path } from '../tekton-structure.ts';
import { asObj, asObjs, containersOf, isStepAction, namesOf } from '../tekton-structure.ts';
import { resolveImage, stringDefaults } from '../image-ref.ts';
import { loadStepDef, stegStepName } from './step-identity.ts';
import type { Passing } from './param-passing.ts';
import { gives, passesParam, passingOf } from './param-passing.ts';

/** Annotation listing Task params that the Task uses itself (e.g. in `when`) and no step declares. */
export const TASK_ONLY_ANNOTATION = 'steg/task-only-params';

/** step-kit params a Task may expose (the others, help and results-dir, are not for Tasks). */
export const TASK_BUILTIN_PARAMS = ['log-format', 'deadline'];

/** The contract's rule ids and what each requires. */
export const CONTRACT_RULES = {
  'contract-unknown-step': 'a steg image names a step with a declaration in packages/<name>/src/step.ts; a steg-* Task runs one',
  'contract-param-undeclared': 'every Task param (but image, log-format, deadline and annotated Task-only params) is a param of its step',
  'contract-param-not-passed': 'every Task param reaches the step as --<name>=$(params.<name>) or env STEG_<NAME>',
  'contract-param-type': 'Tekton types follow the step: list is string or array, everything else string; enums match',
  'contract-param-default': "a Task default equals step-kit's formatDefault (none or empty when the step has none)",
  'contract-param-required': 'a required step param is given to the step, from a Task param without default or literally',
  'contract-secret-param': 'secrets are no Task params and come as --<name>-file or STEG_<NAME>_FILE',
  'contract-unknown-arg': 'args and STEG_ env vars name only what the step reads',
  'contract-result-missing': 'every result a step declares is a Task result',
  'contract-result-undeclared': 'every Task result is declared by a step',
  'contract-stepaction-results-dir': 'a StepAction with results points step-kit at its step results (--results-dir=$(step.results.<r>.path)/.. or STEG_RESULTS_DIR)',
} as const;

/** A contract rule id. */
export type ContractRule = keyof typeof CONTRACT_RULES;

/** A steg step found in a Task, with its declaration. */
export interface StegStep {
  at: ContainerAt;
  name: string;
  def: StepDef;
  passing: Passing;
}

/** What a contract check looked at, so callers can tell a pass from "nothing to check". */
export interface ContractResult {
  problems: Problem[];
  /** Names of the steg steps whose declarations the document was checked against. */
  steps: string[];
}

const label = (c: ContainerAt): string => (c.role === 'stepAction' ? 'the StepAction' : `step "${String(c.container.name ?? c.path[c.path.length - 1])}"`);

/** Checks a Task or StepAction against the declarations of the steg steps it runs; other documents give nothing. */
export async function checkContract(doc: Doc, packagesDir: string): Promise<ContractResult> {
  const problems: Problem[] = [];
  const report = (rule: ContractRule, path: Path, message: string): void => {
    problems.push({ file: doc.file, line: doc.lineOf(path), resource: doc.resource, rule, message, path: toPointer(path) });
  };
  const spec = asObj(doc.data.spec);
  if (!spec || !doc.apiVersion.startsWith('tekton.dev/') || (doc.kind !== 'Task' && !isStepAction(doc))) return { problems, steps: [] };

  const defaults = stringDefaults(spec);
  const template = asObj(spec.stepTemplate);
  const steps: StegStep[] = [];
  let refSteps = 0;
  for (const at of containersOf(doc)) {
    if (at.role !== 'step' && at.role !== 'stepAction') continue;
    if (at.container.ref != null) {
      refSteps++;
      continue;
    }
    if (typeof at.container.image !== 'string') continue;
    const { image } = resolveImage(at.container.image, defaults);
    const name = stegStepName(image);
    if (name == null) continue;
    try {
      const def = await loadStepDef(name, packagesDir);
      steps.push({ at, name, def, passing: passingOf(at.container, at.role === 'step' ? template : undefined) });
    } catch (e) {
      report('contract-unknown-step', [...at.path, 'image'], `${label(at)} runs image ${image}, but ${(e as Error).message}`);
    }
  }
  if (steps.length === 0) {
    if (doc.name.startsWith('steg-') && refSteps === 0 && problems.length === 0) {
      report('contract-unknown-step', ['spec'], `runs no steg step image (expected image $(params.image) with a default like registry.example.com/steg/<name>:<tag>)`);
    }
    return { problems, steps: [] };
  }

  checkParams(doc, spec, steps, report);
  checkSteps(steps, spec, report);
  checkResults(spec, steps, report);
  if (isStepAction(doc)) checkStepActionResultsDir(spec, steps, report);
  return { problems, steps: steps.map((s) => s.name) };
}

type ReportFn = (rule: ContractRule, path: Path, message: string) => void;

function taskOnlyParams(doc: Doc): Set<string> {
  const raw = asObj(asObj(doc.data.metadata)?.annotations)?.[TASK_ONLY_ANNOTATION];
  return new Set(typeof raw === 'string' ? raw.split(/[\s,]+/).filter(Boolean) : []);
}

/** The Tekton param type a step param kind maps to. */
function allowedTypes(p: ParamDef): string[] {
  return p.kind === 'list' ? ['string', 'array'] : ['string'];
}

/** A Tekton default as the string step-kit would compare (arrays joined as a list is). */
function taskDefault(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v.map(String).join(',');
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

/** Every Task param is a step param (or builtin, or Task-only), passed to the step, with matching type and default. */
function checkParams(doc: Doc, spec: Obj, steps: StegStep[], report: ReportFn): void {
  const taskOnly = taskOnlyParams(doc);
  for (const [i, tp] of asObjs(spec.params)) {
    const name = typeof tp.name === 'string' ? tp.name : undefined;
    if (name == null || name === 'image' || taskOnly.has(name)) continue;
    const path: Path = ['spec', 'params', i];
    const type = typeof tp.type === 'string' ? tp.type : 'string';

    if (TASK_BUILTIN_PARAMS.includes(name)) {
      if (!steps.some((s) => passesParam(s.passing, name, envName(name, {}), name))) {
        report('contract-param-not-passed', path, `param "${name}" is not passed to any step (--${name}=$(params.${name}) or ${envName(name, {})})`);
      }
      if (type !== 'string') report('contract-param-type', path, `param "${name}" has type ${type}; step-kit's ${name} is a string`);
      continue;
    }

    // A Task param may carry the path of a secret's file: <secret>-file.
    const secretOwner = steps.find((s) => name.endsWith('-file') && s.def.params[name.slice(0, -5)]?.kind === 'secret');
    if (secretOwner) {
      const secret = name.slice(0, -5);
      const p = secretOwner.def.params[secret] as ParamDef;
      if (!steps.some((s) => s.def.params[secret]?.kind === 'secret' && passesParam(s.passing, name, `${envName(secret, p)}_FILE`, name))) {
        report('contract-param-not-passed', path, `param "${name}" (the file of secret "${secret}") is not passed as --${name}=$(params.${name}) or ${envName(secret, p)}_FILE`);
      }
      continue;
    }

    const declaring = steps.filter((s) => s.def.params[name] != null);
    if (declaring.length === 0) {
      report('contract-param-undeclared', path, `param "${name}" is not declared by step ${steps.map((s) => s.name).join(', ')} (list it in the ${TASK_ONLY_ANNOTATION} annotation if only the Task uses it)`);
      continue;
    }
    const p = (declaring[0] as StegStep).def.params[name] as ParamDef;
    if (p.kind === 'secret') {
      report('contract-secret-param', path, `param "${name}" is a secret of step ${(declaring[0] as StegStep).name}; mount the Secret and pass --${name}-file=<path> or ${envName(name, p)}_FILE instead of a Task param`);
      continue;
    }
    if (!declaring.some((s) => passesParam(s.passing, name, envName(name, s.def.params[name] as ParamDef), name))) {
      report('contract-param-not-passed', path, `param "${name}" is not passed to step ${declaring.map((s) => s.name).join(', ')} as --${name}=$(params.${name}) in args or env ${envName(name, p)}: $(params.${name})`);
    }
    if (!allowedTypes(p).includes(type)) {
      report('contract-param-type', path, `param "${name}" has type ${type}; the step declares a ${p.kind}, which is a Tekton ${allowedTypes(p).join(' or ')}`);
    }
    if (p.kind === 'enum' && Array.isArray(tp.enum)) {
      const a = [...tp.enum].map(String).sort().join(',');
      const b = [...(p.choices ?? [])].sort().join(',');
      if (a !== b) report('contract-param-type', path, `param "${name}" has enum [${a}]; the step accepts [${b}]`);
    }
    const given = taskDefault(tp.default);
    if (p.required) {
      if (given !== undefined) report('contract-param-required', path, `param "${name}" is required by the step, so the Task param must have no default (it has "${given}")`);
      continue;
    }
    const expected = formatDefault(p);
    const same = expected === undefined || expected === '' ? given === undefined || given === '' : given === expected;
    if (!same) {
      report('contract-param-default', path, `param "${name}" has default ${given === undefined ? '(none)' : `"${given}"`}; the step's default is ${expected === undefined ? '(none)' : `"${expected}"`}`);
    }
  }
}

/** Per step: required params are given, secrets come as files, and no flag or STEG_ env is unknown to the step. */
function checkSteps(steps: StegStep[], spec: Obj, report: ReportFn): void {
  const taskParams = namesOf(spec.params);
  for (const s of steps) {
    const known = new Set(['log-format', 'results-dir', 'deadline']);
    const knownEnv = new Set(['STEG_LOG_FORMAT', 'STEG_RESULTS_DIR', 'STEG_DEADLINE']);
    for (const [name, p] of Object.entries(s.def.params)) {
      const env = envName(name, p);
      known.add(name);
      knownEnv.add(env);
      if (p.kind === 'bool') known.add(`no-${name}`);
      if (p.kind === 'secret') {
        known.add(`${name}-file`);
        knownEnv.add(`${env}_FILE`);
        if (s.passing.flags.has(name) || s.passing.env.has(env)) {
          report('contract-secret-param', s.at.path, `${label(s.at)} passes secret "${name}" as ${s.passing.flags.has(name) ? `--${name}` : env}; secrets come as files: --${name}-file=<path> or ${env}_FILE`);
          continue;
        }
        if (p.required && !gives(s.passing, `${name}-file`, `${env}_FILE`)) {
          report('contract-param-required', s.at.path, `${label(s.at)} does not give the required secret "${name}" (--${name}-file=<path> or ${env}_FILE)`);
        }
        continue;
      }
      // A required param bound to a Task param is checked on the Task param; here: is it given at all?
      if (p.required && !gives(s.passing, name, env)) {
        const hint = taskParams.has(name) ? '' : ` (add a Task param "${name}" without default)`;
        report('contract-param-required', s.at.path, `${label(s.at)} does not pass the required param "${name}" (--${name}=… or ${env})${hint}`);
      }
    }
    for (const flag of s.passing.flags.keys()) {
      if (!known.has(flag)) report('contract-unknown-arg', [...s.at.path, 'args'], `${label(s.at)} passes --${flag}, which step ${s.name} does not declare`);
    }
    for (const env of s.passing.env.keys()) {
      if (env.startsWith('STEG_') && !knownEnv.has(env)) report('contract-unknown-arg', [...s.at.path, 'env'], `${label(s.at)} sets ${env}, which step ${s.name} does not read`);
    }
  }
}

/** The Task's results are exactly the results its steps declare. */
function checkResults(spec: Obj, steps: StegStep[], report: ReportFn): void {
  const declared = new Map<string, string>();
  for (const s of steps) for (const r of Object.keys(s.def.results)) declared.set(r, s.name);
  const inTask = namesOf(spec.results);
  for (const [r, step] of declared) {
    if (!inTask.has(r)) report('contract-result-missing', ['spec', 'results'], `result "${r}" of step ${step} is not a Task result`);
  }
  for (const [i, r] of asObjs(spec.results)) {
    if (typeof r.name === 'string' && !declared.has(r.name)) report('contract-result-undeclared', ['spec', 'results', i], `result "${r.name}" is not declared by step ${steps.map((s) => s.name).join(', ')}`);
  }
}

/**
 * step-kit writes results to /tekton/results unless told otherwise, which are Task results: a StepAction
 * must send them to its own step results directory instead.
 */
function checkStepActionResultsDir(spec: Obj, steps: StegStep[], report: ReportFn): void {
  if (namesOf(spec.results).size === 0) return;
  for (const s of steps) {
    const given = [...(s.passing.flags.get('results-dir') ?? []), s.passing.env.get('STEG_RESULTS_DIR')?.value ?? ''];
    if (!given.some((v) => /^\$\(step\.results\.[A-Za-z0-9_-]+\.path\)\/\.\.\/?$/.test(v))) {
      report('contract-stepaction-results-dir', s.at.path, `the StepAction has results but does not pass --results-dir=$(step.results.<result>.path)/.. (or STEG_RESULTS_DIR), so step-kit would write them as Task results`);
    }
  }
}
