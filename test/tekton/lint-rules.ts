import type { Doc } from './load-documents.ts';
import type { Problem } from './problem.ts';
import { toPointer } from './problem.ts';
import type { LintContext, Rule } from './rules/rule.ts';
import { EMPTY_CONTEXT } from './rules/rule.ts';
import { catalogAnnotations, catalogDescription, catalogVersionLabel, paramDescription, paramType, resultDescription, workspaceDescription } from './rules/catalog-rules.ts';
import { commandRequired, commandWithScript, refStepFields } from './rules/command-rules.ts';
import { imageTag } from './rules/image-rules.ts';
import { undeclaredParam, undeclaredResult, undeclaredWorkspace, unknownPipelineTask } from './rules/reference-rules.ts';
import { pipelineTaskParams, stepRefParams, unknownTaskResult } from './rules/linked-resource-rules.ts';
import { noScriptInterpolation, stepActionScriptParams } from './rules/script-rules.ts';
import { noComputeResources, noRunAsUser, runAsNonRoot } from './rules/security-rules.ts';

/** Every project lint rule, in the order their problems are listed. */
export const RULES: readonly Rule[] = [
  noScriptInterpolation,
  stepActionScriptParams,
  commandRequired,
  commandWithScript,
  refStepFields,
  undeclaredParam,
  undeclaredResult,
  undeclaredWorkspace,
  unknownPipelineTask,
  unknownTaskResult,
  pipelineTaskParams,
  stepRefParams,
  imageTag,
  catalogVersionLabel,
  catalogAnnotations,
  catalogDescription,
  paramType,
  paramDescription,
  resultDescription,
  workspaceDescription,
  runAsNonRoot,
  noRunAsUser,
  noComputeResources,
];

/** Runs every project rule on one document. */
export function lintDocument(doc: Doc, ctx: LintContext = EMPTY_CONTEXT, rules: readonly Rule[] = RULES): Problem[] {
  const problems: Problem[] = [];
  for (const rule of rules) {
    rule.check(doc, (path, message) => {
      problems.push({ file: doc.file, line: doc.lineOf(path), resource: doc.resource, rule: rule.id, message, path: toPointer(path) });
    }, ctx);
  }
  return problems;
}
