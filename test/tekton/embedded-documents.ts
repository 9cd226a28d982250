import type { Doc } from './load-documents.ts';
import { asObj, asObjs } from './tekton-structure.ts';

/**
 * The Tekton resources a TriggerTemplate creates (spec.resourcetemplates), as documents of their own,
 * so they get the same schemas and rules as a file would; lines and paths point into the template.
 */
export function resourceTemplatesOf(doc: Doc): Doc[] {
  if (doc.kind !== 'TriggerTemplate' || !doc.apiVersion.startsWith('triggers.tekton.dev/')) return [];
  return asObjs(asObj(doc.data.spec)?.resourcetemplates).map(([i, data]) => {
    const meta = asObj(data.metadata) ?? {};
    const kind = typeof data.kind === 'string' ? data.kind : '?';
    const name = typeof meta.name === 'string' ? meta.name : typeof meta.generateName === 'string' ? meta.generateName : `(resourcetemplate ${i})`;
    const base = ['spec', 'resourcetemplates', i];
    return {
      file: doc.file,
      index: doc.index,
      data,
      apiVersion: typeof data.apiVersion === 'string' ? data.apiVersion : '',
      kind,
      name,
      resource: `${doc.resource} resourcetemplates[${i}] ${kind}/${name}`,
      lineOf: (path) => doc.lineOf([...base, ...path]),
    };
  });
}
