// Finds the parts of Tekton resources the rules look at: task specs (top-level or embedded),
// their containers (steps, sidecars, stepTemplate) and StepActions, and `$(...)` expressions.
import type { Doc } from './load-documents.ts';

/** Path segments into a document (object keys and array indexes). */
export type Path = (string | number)[];
/** A parsed YAML mapping. */
export type Obj = Record<string, unknown>;

/** A Task spec: a Task's own, or one embedded in a Pipeline, TaskRun or PipelineRun. */
export interface TaskSpecAt {
  path: Path;
  spec: Obj;
  /** True when embedded (its params may come from the enclosing Pipeline/run). */
  embedded: boolean;
  /** Param names visible inside besides the spec's own (propagated from the Pipeline or run). */
  outerParams: Set<string>;
}

/** Something that runs a container: a step, sidecar, the stepTemplate, or a StepAction's spec. */
export interface ContainerAt {
  path: Path;
  container: Obj;
  role: 'step' | 'sidecar' | 'stepTemplate' | 'stepAction';
  /** The spec holding it (a task spec, or the StepAction spec). */
  spec: Obj;
}

/** A plain object, or undefined. */
export function asObj(v: unknown): Obj | undefined {
  return v != null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

/** An array of plain objects (non-objects dropped, indexes kept). */
export function asObjs(v: unknown): [number, Obj][] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((item, i) => {
    const o = asObj(item);
    return o ? [[i, o] as [number, Obj]] : [];
  });
}

/** Names of the `name` fields in a list (params, results, workspaces, tasks). */
export function namesOf(v: unknown): Set<string> {
  return new Set(asObjs(v).flatMap(([, o]) => (typeof o.name === 'string' ? [o.name] : [])));
}

function pipelineTaskSpecs(pipelineSpec: Obj, base: Path, outer: Set<string>): TaskSpecAt[] {
  const out: TaskSpecAt[] = [];
  const pipelineParams = new Set([...outer, ...namesOf(pipelineSpec.params)]);
  for (const list of ['tasks', 'finally'] as const) {
    for (const [i, pt] of asObjs(pipelineSpec[list])) {
      const spec = asObj(pt.taskSpec);
      if (spec) out.push({ path: [...base, list, i, 'taskSpec'], spec, embedded: true, outerParams: new Set([...pipelineParams, ...namesOf(pt.params)]) });
    }
  }
  return out;
}

/** Every task spec in a document. */
export function taskSpecsOf(doc: Doc): TaskSpecAt[] {
  const spec = asObj(doc.data.spec);
  if (!spec || !doc.apiVersion.startsWith('tekton.dev/')) return [];
  switch (doc.kind) {
    case 'Task':
      return [{ path: ['spec'], spec, embedded: false, outerParams: new Set() }];
    case 'Pipeline':
      return pipelineTaskSpecs(spec, ['spec'], new Set());
    case 'TaskRun': {
      const ts = asObj(spec.taskSpec);
      return ts ? [{ path: ['spec', 'taskSpec'], spec: ts, embedded: true, outerParams: namesOf(spec.params) }] : [];
    }
    case 'PipelineRun': {
      const ps = asObj(spec.pipelineSpec);
      return ps ? pipelineTaskSpecs(ps, ['spec', 'pipelineSpec'], namesOf(spec.params)) : [];
    }
    default:
      return [];
  }
}

/** True for a tekton.dev StepAction. */
export function isStepAction(doc: Doc): boolean {
  return doc.kind === 'StepAction' && doc.apiVersion.startsWith('tekton.dev/');
}

/** Every step, sidecar, stepTemplate and StepAction spec in a document. */
export function containersOf(doc: Doc): ContainerAt[] {
  if (isStepAction(doc)) {
    const spec = asObj(doc.data.spec);
    return spec ? [{ path: ['spec'], container: spec, role: 'stepAction', spec }] : [];
  }
  const out: ContainerAt[] = [];
  for (const { path, spec } of taskSpecsOf(doc)) {
    const tmpl = asObj(spec.stepTemplate);
    if (tmpl) out.push({ path: [...path, 'stepTemplate'], container: tmpl, role: 'stepTemplate', spec });
    for (const [i, s] of asObjs(spec.steps)) out.push({ path: [...path, 'steps', i], container: s, role: 'step', spec });
    for (const [i, s] of asObjs(spec.sidecars)) out.push({ path: [...path, 'sidecars', i], container: s, role: 'sidecar', spec });
  }
  return out;
}

/** Every string below a value, with its path. */
export function* stringsIn(value: unknown, path: Path = []): Generator<[Path, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* stringsIn(value[i], [...path, i]);
  else if (value != null && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* stringsIn(v, [...path, k]);
}

/** The bodies of the `$(...)` expressions in a string (`$(params.x)` gives `params.x`). */
export function expressionsIn(s: string): string[] {
  return [...s.matchAll(/\$\(([^()]*)\)/g)].map((m) => (m[1] ?? '').trim());
}

/**
 * True when a `$(...)` body is a Tekton variable (Tekton substitutes it), as opposed to shell command
 * substitution such as `$(date +%s)`, which Tekton leaves alone.
 */
export function isTektonVariable(body: string): boolean {
  return /^(params|results|workspaces|context|tasks|steps|step|credentials|tt)[.[]/.test(body);
}

/** The param a `$(...)` body refers to: params.x, params.x[*], params.x.key, params["x"], params['x']; else undefined. */
export function paramRef(body: string, prefix = 'params'): string | undefined {
  if (!body.startsWith(`${prefix}.`) && !body.startsWith(`${prefix}[`)) return undefined;
  const rest = body.slice(prefix.length);
  const m = /^\.([A-Za-z0-9_-]+)/.exec(rest) ?? /^\[\s*["']([^"']+)["']\s*\]/.exec(rest);
  return m?.[1];
}
