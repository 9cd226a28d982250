import type { Doc } from '../load-documents.ts';
import type { ContainerAt, Obj, Path } from '../tekton-structure.ts';

/** Records a finding at a path of the document. */
export type Report = (path: Path, message: string) => void;

/** What a rule may know beyond its document: the other resources of the same lint run. */
export interface LintContext {
  /** Task specs by metadata.name, from every Task document linted together. */
  tasks: Map<string, Obj>;
  /** StepAction specs by metadata.name, likewise. */
  stepActions: Map<string, Obj>;
}

/** A context that knows no other resources. */
export const EMPTY_CONTEXT: LintContext = { tasks: new Map(), stepActions: new Map() };

/** A project lint rule: what Tekton's schemas cannot say. */
export interface Rule {
  /** Stable kebab-case id, shown in messages and used to name its broken fixture. */
  id: string;
  /** One line: what the rule requires and why. */
  description: string;
  check(doc: Doc, report: Report, ctx: LintContext): void;
}

/** How a container is named in messages: `step "build"`, `stepTemplate`, `StepAction spec`. */
export function containerLabel(c: ContainerAt): string {
  if (c.role === 'stepTemplate') return 'stepTemplate';
  if (c.role === 'stepAction') return 'StepAction spec';
  const name = typeof c.container.name === 'string' ? c.container.name : `#${String(c.path[c.path.length - 1])}`;
  return `${c.role} "${name}"`;
}
