import type { Doc } from '../load-documents.ts';
import type { Rule } from './rule.ts';
import type { Obj, Path } from '../tekton-structure.ts';
import { asObj, asObjs, expressionsIn, isStepAction, namesOf, paramRef, stringsIn, taskSpecsOf } from '../tekton-structure.ts';

/** A part of a document and the names its `$(...)` references may use (undefined: not checked there). */
interface Scope {
  path: Path;
  node: Obj;
  params: Set<string>;
  results?: Set<string>;
  /** StepActions write `$(step.results.x.path)`; Tasks `$(results.x.path)`. */
  stepResults?: Set<string>;
  workspaces?: Set<string>;
  /** Pipeline task names, for `$(tasks.<t>.results.<r>)`. */
  tasks?: Set<string>;
  /** Paths below node that belong to another scope (embedded task specs). */
  skip: Path[];
}

function stepResultNames(spec: Obj): Set<string> {
  // Steps may declare their own results (steps[].results), referenced as $(step.results.x.path).
  return new Set(asObjs(spec.steps).flatMap(([, s]) => [...namesOf(s.results)]));
}

function scopesOf(doc: Doc): Scope[] {
  const spec = asObj(doc.data.spec);
  if (!spec) return [];
  if (isStepAction(doc)) {
    return [{ path: ['spec'], node: spec, params: namesOf(spec.params), stepResults: namesOf(spec.results), skip: [] }];
  }
  const scopes: Scope[] = [];
  const taskSpecs = taskSpecsOf(doc);
  for (const t of taskSpecs) {
    scopes.push({
      path: t.path,
      node: t.spec,
      params: new Set([...namesOf(t.spec.params), ...t.outerParams]),
      results: namesOf(t.spec.results),
      stepResults: stepResultNames(t.spec),
      // Embedded specs may use workspaces propagated from the Pipeline or run: not checked there.
      workspaces: t.embedded ? undefined : namesOf(t.spec.workspaces),
      skip: [],
    });
  }
  if (doc.kind === 'Pipeline' && doc.apiVersion.startsWith('tekton.dev/')) {
    scopes.push({
      path: ['spec'],
      node: spec,
      params: namesOf(spec.params),
      workspaces: namesOf(spec.workspaces),
      tasks: new Set([...namesOf(spec.tasks), ...namesOf(spec.finally)]),
      skip: taskSpecs.map((t) => t.path.slice(1)),
    });
  }
  if (doc.kind === 'TriggerTemplate' && doc.apiVersion.startsWith('triggers.tekton.dev/')) {
    scopes.push({ path: ['spec'], node: spec, params: namesOf(spec.params), skip: [] });
  }
  return scopes;
}

const startsWith = (path: Path, prefix: Path): boolean => prefix.every((p, i) => path[i] === p);

/** Every `$(...)` body in a scope, with its path in the document. */
function* refsIn(scope: Scope): Generator<[Path, string]> {
  for (const [rel, s] of stringsIn(scope.node)) {
    if (scope.skip.some((p) => startsWith(rel, p))) continue;
    for (const body of expressionsIn(s)) yield [[...scope.path, ...rel], body];
  }
}

const nameAfter = (body: string, prefix: string): string | undefined => paramRef(body, prefix);

/** $(params.x) in Tasks, Pipelines, StepActions (and $(tt.params.x) in TriggerTemplates) refers to a declared param. */
export const undeclaredParam: Rule = {
  id: 'undeclared-param',
  description: 'every $(params.x) refers to a declared param',
  check(doc, report) {
    const prefix = doc.kind === 'TriggerTemplate' ? 'tt.params' : 'params';
    for (const scope of scopesOf(doc)) {
      for (const [path, body] of refsIn(scope)) {
        const name = nameAfter(body, prefix);
        if (name != null && !scope.params.has(name)) report(path, `$(${body}) refers to param "${name}", which is not declared`);
      }
    }
  },
};

/** $(results.x.path) and $(step.results.x.path) refer to declared results. */
export const undeclaredResult: Rule = {
  id: 'undeclared-result',
  description: 'every $(results.x.path) / $(step.results.x.path) refers to a declared result',
  check(doc, report) {
    for (const scope of scopesOf(doc)) {
      for (const [path, body] of refsIn(scope)) {
        const taskResult = nameAfter(body, 'results');
        if (taskResult != null && scope.results && !scope.results.has(taskResult)) report(path, `$(${body}) refers to result "${taskResult}", which is not declared`);
        const stepResult = nameAfter(body, 'step.results');
        if (stepResult != null && scope.stepResults && !scope.stepResults.has(stepResult)) report(path, `$(${body}) refers to step result "${stepResult}", which is not declared`);
      }
    }
  },
};

/** $(workspaces.x.path|bound|claim|volume) refers to a declared workspace. */
export const undeclaredWorkspace: Rule = {
  id: 'undeclared-workspace',
  description: 'every $(workspaces.x.*) refers to a declared workspace',
  check(doc, report) {
    for (const scope of scopesOf(doc)) {
      if (!scope.workspaces) continue;
      for (const [path, body] of refsIn(scope)) {
        const name = nameAfter(body, 'workspaces');
        if (name != null && !scope.workspaces.has(name)) report(path, `$(${body}) refers to workspace "${name}", which is not declared`);
      }
    }
  },
};

/** In a Pipeline, $(tasks.<t>.results.<r>) (and .status/.reason) names a pipeline task that exists. */
export const unknownPipelineTask: Rule = {
  id: 'unknown-pipeline-task',
  description: 'every $(tasks.<t>.…) in a Pipeline names one of its tasks or finally tasks',
  check(doc, report) {
    for (const scope of scopesOf(doc)) {
      if (!scope.tasks) continue;
      for (const [path, body] of refsIn(scope)) {
        const m = /^tasks\.([A-Za-z0-9_-]+)\.(results|status|reason)\b/.exec(body);
        if (m && !scope.tasks.has(m[1] as string)) report(path, `$(${body}) refers to pipeline task "${m[1]}", which does not exist`);
      }
    }
  },
};
