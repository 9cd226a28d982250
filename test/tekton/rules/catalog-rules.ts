// Tekton catalog conventions (CONTRIBUTING.md, Tekton): metadata people and tools read.
import type { Doc } from '../load-documents.ts';
import type { Report, Rule } from './rule.ts';
import { asObj, asObjs } from '../tekton-structure.ts';

const CATALOG_KINDS = new Set(['Task', 'Pipeline', 'StepAction']);

/** The catalog annotations every Task, Pipeline and StepAction carries. */
export const CATALOG_ANNOTATIONS = ['tekton.dev/pipelines.minVersion', 'tekton.dev/categories', 'tekton.dev/tags', 'tekton.dev/displayName', 'tekton.dev/platforms'];

const isCatalogDoc = (doc: Doc): boolean => CATALOG_KINDS.has(doc.kind) && doc.apiVersion.startsWith('tekton.dev/');
const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';
const meta = (doc: Doc): Record<string, unknown> => asObj(doc.data.metadata) ?? {};

/** The catalog version label, so people know which release of the Task they run. */
export const catalogVersionLabel: Rule = {
  id: 'catalog-version-label',
  description: 'metadata.labels has app.kubernetes.io/version',
  check(doc, report) {
    if (!isCatalogDoc(doc)) return;
    if (!nonEmpty(asObj(meta(doc).labels)?.['app.kubernetes.io/version'])) report(['metadata', 'labels'], 'label app.kubernetes.io/version is missing');
  },
};

/** The catalog annotations Tekton Hub and the OpenShift console show. */
export const catalogAnnotations: Rule = {
  id: 'catalog-annotations',
  description: `metadata.annotations has ${CATALOG_ANNOTATIONS.join(', ')}`,
  check(doc, report) {
    if (!isCatalogDoc(doc)) return;
    const annotations = asObj(meta(doc).annotations) ?? {};
    for (const a of CATALOG_ANNOTATIONS) if (!nonEmpty(annotations[a])) report(['metadata', 'annotations'], `annotation ${a} is missing`);
  },
};

/** A spec.description, shown by the console and `tkn task describe`. */
export const catalogDescription: Rule = {
  id: 'catalog-description',
  description: 'spec.description says what the resource does',
  check(doc, report) {
    if (!isCatalogDoc(doc)) return;
    if (!nonEmpty(asObj(doc.data.spec)?.description)) report(['spec'], 'spec.description is missing');
  },
};

function eachNamed(doc: Doc, list: 'params' | 'results' | 'workspaces', fn: (path: (string | number)[], item: Record<string, unknown>, name: string) => void): void {
  if (!isCatalogDoc(doc)) return;
  for (const [i, item] of asObjs(asObj(doc.data.spec)?.[list])) fn(['spec', list, i], item, String(item.name ?? `#${i}`));
}

const describedRule = (id: string, list: 'params' | 'results' | 'workspaces', what: string): Rule => ({
  id,
  description: `every ${what} has a description`,
  check(doc: Doc, report: Report) {
    eachNamed(doc, list, (path, item, name) => {
      if (!nonEmpty(item.description)) report(path, `${what} "${name}" has no description`);
    });
  },
});

/** An explicit type on every param (string or array), so the contract can compare it. */
export const paramType: Rule = {
  id: 'param-type',
  description: 'every param states its type',
  check(doc, report) {
    eachNamed(doc, 'params', (path, item, name) => {
      if (item.type == null) report(path, `param "${name}" has no type`);
    });
  },
};

/** Descriptions on every param, result and workspace: the Task's user documentation. */
export const paramDescription = describedRule('param-description', 'params', 'param');
export const resultDescription = describedRule('result-description', 'results', 'result');
export const workspaceDescription = describedRule('workspace-description', 'workspaces', 'workspace');
