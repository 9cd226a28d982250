import type { Rule } from './rule.ts';
import { containerLabel } from './rule.ts';
import { containersOf } from '../tekton-structure.ts';

const hasCommand = (c: Record<string, unknown>): boolean => Array.isArray(c.command) && c.command.length > 0;

/** Every step without ref or script sets command, so Tekton need not fetch the image's entrypoint from the registry. */
export const commandRequired: Rule = {
  id: 'command-required',
  description: 'every step without ref or script sets command (Tekton would otherwise look up the entrypoint in the registry)',
  check(doc, report) {
    for (const c of containersOf(doc)) {
      if (c.role !== 'step' && c.role !== 'stepAction') continue;
      if (c.container.ref != null || c.container.script != null) continue;
      if (!hasCommand(c.container)) report(c.path, `${containerLabel(c)} has no command; set it (e.g. ["node", "/app/step.mjs"])`);
    }
  },
};

/** Tekton refuses script together with command. */
export const commandWithScript: Rule = {
  id: 'command-with-script',
  description: 'a step sets either script or command, not both (Tekton rejects both)',
  check(doc, report) {
    for (const c of containersOf(doc)) {
      if (c.container.script != null && hasCommand(c.container)) report([...c.path, 'command'], `${containerLabel(c)} sets both script and command; Tekton accepts only one`);
    }
  },
};

/** A step that runs a StepAction takes image, command and script from it. */
export const refStepFields: Rule = {
  id: 'ref-step-fields',
  description: 'a step with ref sets no image, command or script (they come from the StepAction)',
  check(doc, report) {
    for (const c of containersOf(doc)) {
      if (c.role !== 'step' || c.container.ref == null) continue;
      for (const field of ['image', 'command', 'script']) {
        if (c.container[field] != null) report([...c.path, field], `${containerLabel(c)} has ref and also sets ${field}; the StepAction provides it`);
      }
    }
  },
};
