import type { Rule } from './rule.ts';
import { containerLabel } from './rule.ts';
import { containersOf, expressionsIn, isStepAction, isTektonVariable, paramRef } from '../tekton-structure.ts';

/** No `$(...)` inside any script: values reach programs through args or env, never shell-interpolated. */
export const noScriptInterpolation: Rule = {
  id: 'no-script-interpolation',
  description: 'no Tekton $(...) variable inside a script; pass values through args or env (an interpolated value can inject shell)',
  check(doc, report) {
    const stepAction = isStepAction(doc);
    for (const c of containersOf(doc)) {
      if (typeof c.container.script !== 'string') continue;
      for (const body of expressionsIn(c.container.script)) {
        // Shell command substitution ($(date)) is not Tekton's to replace.
        if (!isTektonVariable(body)) continue;
        // In a StepAction, Tekton itself rejects $(params.*) in scripts: its own rule reports that.
        if (stepAction && paramRef(body) != null) continue;
        report([...c.path, 'script'], `${containerLabel(c)} interpolates $(${body}) in its script; pass it through args or env instead`);
      }
    }
  },
};

/** Tekton rejects $(params.*) in a StepAction's script; say so before the cluster does. */
export const stepActionScriptParams: Rule = {
  id: 'stepaction-script-params',
  description: 'a StepAction script must not use $(params.*) (Tekton rejects it); use env',
  check(doc, report) {
    if (!isStepAction(doc)) return;
    for (const c of containersOf(doc)) {
      if (typeof c.container.script !== 'string') continue;
      for (const body of expressionsIn(c.container.script)) {
        if (paramRef(body) != null) report([...c.path, 'script'], `StepAction script uses $(${body}); Tekton rejects params in StepAction scripts, pass it through env`);
      }
    }
  },
};
