import { resolve } from 'node:path';
import { checkContract } from './contract/contract-check.ts';
import { resourceTemplatesOf } from './embedded-documents.ts';
import type { Doc } from './load-documents.ts';
import { findYamlFiles, loadDocuments } from './load-documents.ts';
import { lintDocument } from './lint-rules.ts';
import { PACKAGES_DIR, schemasDir } from './paths.ts';
import type { Problem } from './problem.ts';
import type { LintContext } from './rules/rule.ts';
import { assertSchemasDir, checkSchemas, isTektonPipelinesDoc, TEKTON_VERSIONS } from './schema-check.ts';
import { asObj } from './tekton-structure.ts';

/** Where to look; each defaults to the repository's own. */
export interface LintOptions {
  cwd?: string;
  schemas?: string;
  packagesDir?: string;
  versions?: readonly string[];
}

/** What was checked, so a clean run can be told apart from an empty one. */
export interface LintReport {
  problems: Problem[];
  files: string[];
  /** kind/name of every document read (resource templates of TriggerTemplates included). */
  documents: { file: string; resource: string; kind: string }[];
  /** Documents validated against the Tekton schemas. */
  schemaChecked: number;
  /** Tasks/StepActions checked against step declarations, with the steps they run. */
  contracts: { file: string; resource: string; steps: string[] }[];
}

/** Schema validation, project lint and the step contract for every YAML file under the paths. */
export async function lintPaths(paths: readonly string[], options: LintOptions = {}): Promise<LintReport> {
  const cwd = options.cwd ?? process.cwd();
  const dir = options.schemas ?? schemasDir();
  const packagesDir = options.packagesDir ?? PACKAGES_DIR;
  assertSchemasDir(dir);
  const report: LintReport = { problems: [], files: [], documents: [], schemaChecked: 0, contracts: [] };

  // Read everything first: Pipelines and steps with ref are checked against the Tasks and StepActions linted with them.
  const docs: Doc[] = [];
  for (const abs of findYamlFiles(paths.map((p) => resolve(cwd, p)))) {
    const loaded = loadDocuments(abs, cwd);
    report.files.push(loaded.file);
    report.problems.push(...loaded.problems);
    for (const doc of loaded.docs) docs.push(doc, ...resourceTemplatesOf(doc));
  }
  const ctx: LintContext = { tasks: new Map(), stepActions: new Map() };
  for (const doc of docs) {
    const spec = asObj(doc.data.spec);
    if (!spec || !isTektonPipelinesDoc(doc)) continue;
    if (doc.kind === 'Task') ctx.tasks.set(doc.name, spec);
    if (doc.kind === 'StepAction') ctx.stepActions.set(doc.name, spec);
  }

  for (const doc of docs) {
    report.documents.push({ file: doc.file, resource: doc.resource, kind: doc.kind });
    if (isTektonPipelinesDoc(doc)) {
      report.schemaChecked++;
      report.problems.push(...checkSchemas(doc, dir, options.versions ?? TEKTON_VERSIONS));
    }
    report.problems.push(...lintDocument(doc, ctx));
    const contract = await checkContract(doc, packagesDir);
    report.problems.push(...contract.problems);
    if (contract.steps.length > 0) report.contracts.push({ file: doc.file, resource: doc.resource, steps: contract.steps });
  }
  return report;
}
