// Pod security the platform requires (OpenShift restricted-v2) and the platform team's finding on resources.
import type { Rule } from './rule.ts';
import { containerLabel } from './rule.ts';
import { asObj, containersOf, isStepAction, taskSpecsOf } from '../tekton-structure.ts';

/** Every step runs as non-root, set on the step or inherited from stepTemplate; sidecars set it themselves. */
export const runAsNonRoot: Rule = {
  id: 'run-as-non-root',
  description: 'every step sets securityContext.runAsNonRoot: true (directly or via stepTemplate)',
  check(doc, report) {
    const templateSays = new Map<object, unknown>();
    for (const t of taskSpecsOf(doc)) templateSays.set(t.spec, asObj(asObj(t.spec.stepTemplate)?.securityContext)?.runAsNonRoot);
    for (const c of containersOf(doc)) {
      if (c.role === 'stepTemplate') continue;
      // A step that runs a StepAction gets its securityContext from there (linted on its own).
      if (c.role === 'step' && c.container.ref != null) continue;
      const own = asObj(c.container.securityContext)?.runAsNonRoot;
      const effective = own ?? (c.role === 'step' ? templateSays.get(c.spec) : undefined);
      if (effective !== true) report([...c.path, 'securityContext'], `${containerLabel(c)} does not set securityContext.runAsNonRoot: true`);
    }
  },
};

/** OpenShift assigns an arbitrary UID; a fixed runAsUser is refused under restricted-v2. */
export const noRunAsUser: Rule = {
  id: 'no-run-as-user',
  description: 'no fixed securityContext.runAsUser (OpenShift assigns an arbitrary UID)',
  check(doc, report) {
    for (const c of containersOf(doc)) {
      const sc = asObj(c.container.securityContext);
      if (sc && sc.runAsUser != null) report([...c.path, 'securityContext', 'runAsUser'], `${containerLabel(c)} fixes runAsUser: ${String(sc.runAsUser)}; leave the UID to OpenShift`);
    }
  },
};

/** Tasks and StepActions set no compute resources: the platform sets them per namespace (the platform team's finding). */
export const noComputeResources: Rule = {
  id: 'no-compute-resources',
  description: 'Tasks and StepActions set no computeResources/resources (stepTemplate and sidecars included)',
  check(doc, report) {
    if (doc.kind !== 'Task' && !isStepAction(doc)) return;
    for (const c of containersOf(doc)) {
      for (const field of ['computeResources', 'resources']) {
        if (c.container[field] != null) report([...c.path, field], `${containerLabel(c)} sets ${field}; Tasks leave compute resources to the platform`);
      }
    }
  },
};
