// Pipelines against the Tasks they run, and steps against the StepActions they ref. A Task is known
// when embedded (taskSpec) or linted in the same run (referenced by name, e.g. the reference Pipeline
// linted together with tekton/tasks); so is a StepAction.
import type { Doc } from '../load-documents.ts';
import type { LintContext, Rule } from './rule.ts';
import type { Obj, Path } from '../tekton-structure.ts';
import { asObj, asObjs, containersOf, expressionsIn, namesOf, stringsIn } from '../tekton-structure.ts';

interface PipelineTaskAt {
  path: Path;
  task: Obj;
  name: string;
  /** The Task it runs, when known. */
  spec?: Obj;
  /** How the Task is named in messages. */
  taskName: string;
}

function pipelineTasks(doc: Doc, ctx: LintContext): PipelineTaskAt[] {
  if (doc.kind !== 'Pipeline' || !doc.apiVersion.startsWith('tekton.dev/')) return [];
  const spec = asObj(doc.data.spec);
  if (!spec) return [];
  const out: PipelineTaskAt[] = [];
  for (const list of ['tasks', 'finally'] as const) {
    for (const [i, task] of asObjs(spec[list])) {
      if (typeof task.name !== 'string') continue;
      const embedded = asObj(task.taskSpec);
      const ref = asObj(task.taskRef);
      // Only a plain reference by name is a Task of this run; resolvers (bundles, git, hub) are not known here.
      const refName = ref && typeof ref.name === 'string' && ref.resolver == null && (ref.kind == null || ref.kind === 'Task') ? ref.name : undefined;
      const spec = embedded ?? (refName != null ? ctx.tasks.get(refName) : undefined);
      out.push({ path: ['spec', list, i], task, name: task.name, ...(spec ? { spec } : {}), taskName: embedded ? 'its taskSpec' : `Task ${refName ?? '?'}` });
    }
  }
  return out;
}

/** $(tasks.<t>.results.<r>) names a result the Task of <t> declares. */
export const unknownTaskResult: Rule = {
  id: 'unknown-task-result',
  description: 'every $(tasks.<t>.results.<r>) names a result that the Task of <t> declares (when that Task is known)',
  check(doc, report, ctx) {
    const tasks = pipelineTasks(doc, ctx);
    const byName = new Map(tasks.map((t) => [t.name, t]));
    for (const [path, s] of stringsIn(doc.data.spec, ['spec'])) {
      for (const body of expressionsIn(s)) {
        const m = /^tasks\.([A-Za-z0-9_-]+)\.results\.([A-Za-z0-9_-]+)/.exec(body);
        const t = m ? byName.get(m[1] as string) : undefined;
        if (m && t?.spec && !namesOf(t.spec.results).has(m[2] as string)) {
          report(path, `$(${body}): ${t.taskName} of pipeline task "${t.name}" has no result "${m[2]}"`);
        }
      }
    }
  },
};

/** A pipeline task gives only params its Task declares, and every Task param without default. */
export const pipelineTaskParams: Rule = {
  id: 'pipeline-task-params',
  description: "a pipeline task gives only params its Task declares and all that have no default (when that Task is known)",
  check(doc, report, ctx) {
    for (const t of pipelineTasks(doc, ctx)) {
      if (!t.spec) continue;
      const declared = asObjs(t.spec.params);
      const declaredNames = namesOf(t.spec.params);
      const given = namesOf(t.task.params);
      for (const [i, p] of asObjs(t.task.params)) {
        if (typeof p.name === 'string' && !declaredNames.has(p.name)) report([...t.path, 'params', i], `pipeline task "${t.name}" gives param "${p.name}", which ${t.taskName} does not declare`);
      }
      // Embedded specs also see the Pipeline's params (propagation), so only referenced Tasks must get every param.
      if (asObj(t.task.taskSpec)) continue;
      for (const [, p] of declared) {
        if (typeof p.name === 'string' && p.default === undefined && !given.has(p.name)) report(t.path, `pipeline task "${t.name}" does not give param "${p.name}", which ${t.taskName} requires (it has no default)`);
      }
    }
  },
};

/** A step with `ref` to a StepAction (linted in the same run) gives only its params and all that have no default. */
export const stepRefParams: Rule = {
  id: 'step-ref-params',
  description: 'a step with ref gives only params the StepAction declares and all that have no default (when that StepAction is known)',
  check(doc, report, ctx) {
    for (const c of containersOf(doc)) {
      const ref = asObj(c.container.ref);
      if (c.role !== 'step' || !ref || typeof ref.name !== 'string' || ref.resolver != null) continue;
      const action = ctx.stepActions.get(ref.name);
      if (!action) continue;
      const declared = namesOf(action.params);
      const given = namesOf(c.container.params);
      const stepName = String(c.container.name ?? c.path[c.path.length - 1]);
      for (const [i, p] of asObjs(c.container.params)) {
        if (typeof p.name === 'string' && !declared.has(p.name)) report([...c.path, 'params', i], `step "${stepName}" gives param "${p.name}", which StepAction ${ref.name} does not declare`);
      }
      for (const [, p] of asObjs(action.params)) {
        if (typeof p.name === 'string' && p.default === undefined && !given.has(p.name)) report(c.path, `step "${stepName}" does not give param "${p.name}", which StepAction ${ref.name} requires (it has no default)`);
      }
    }
  },
};
