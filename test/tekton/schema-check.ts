import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import type { Doc } from './load-documents.ts';
import type { Problem } from './problem.ts';
import { fromPointer } from './problem.ts';

// ajv-formats is CommonJS: under NodeNext its default import is module.exports, which carries the plugin as .default.
const addFormats = ajvFormats.default;

/** The Tekton Pipelines releases every file must validate against (OpenShift Pipelines 1.20, 1.22, newer). */
export const TEKTON_VERSIONS = ['v1.3.0', 'v1.9.0', 'v1.15.0'] as const;

/** True for documents the Tekton Pipelines schemas cover (apiVersion tekton.dev/*, not triggers.tekton.dev). */
export function isTektonPipelinesDoc(doc: Pick<Doc, 'apiVersion'>): boolean {
  return doc.apiVersion.startsWith('tekton.dev/');
}

const cache = new Map<string, ValidateFunction | null>();
const ajvs = new Map<string, Ajv>();

/** Compiles a schema file once per process (the big CRD schemas take a while); null when the file does not exist. */
function validatorFor(dir: string, version: string, file: string): ValidateFunction | null {
  const key = join(dir, version, file);
  if (!cache.has(key)) {
    if (!existsSync(key)) {
      cache.set(key, null);
    } else {
      let ajv = ajvs.get(version);
      if (!ajv) {
        // strict:false because the CRD schemas carry x-kubernetes-* keywords.
        ajv = new Ajv({ strict: false, allErrors: true });
        addFormats(ajv);
        ajvs.set(version, ajv);
      }
      cache.set(key, ajv.compile(JSON.parse(readFileSync(key, 'utf8')) as object));
    }
  }
  return cache.get(key) ?? null;
}

/** Fails early with a clear message when the shared schemas are not where we look. */
export function assertSchemasDir(dir: string): void {
  const missing = TEKTON_VERSIONS.filter((v) => !existsSync(join(dir, v)));
  if (missing.length > 0) {
    throw new Error(`Tekton schemas for ${missing.join(', ')} not found in ${dir}; set STEG_TEKTON_SCHEMAS to the tekton-schemas folder of shared/`);
  }
}

function describe(err: ErrorObject): string {
  const p = err.params as Record<string, unknown>;
  if (err.keyword === 'additionalProperties') return `unknown field "${String(p.additionalProperty)}"`;
  if (err.keyword === 'required') return `missing required field "${String(p.missingProperty)}"`;
  if (err.keyword === 'enum') return `${err.message ?? 'must be one of the allowed values'}: ${JSON.stringify(p.allowedValues)}`;
  return err.message ?? err.keyword;
}

/** Where an error is: an unknown field points at the field itself, so the line shown is the misspelled one. */
function errorPath(err: ErrorObject): string {
  const extra = (err.params as Record<string, unknown>).additionalProperty;
  return err.keyword === 'additionalProperties' && typeof extra === 'string' ? `${err.instancePath}/${extra.replace(/~/g, '~0').replace(/\//g, '~1')}` : err.instancePath;
}

/**
 * Validates a tekton.dev document against each Tekton release's schema. The same error in several
 * releases is reported once, naming all of them.
 */
export function checkSchemas(doc: Doc, dir: string, versions: readonly string[] = TEKTON_VERSIONS): Problem[] {
  if (!isTektonPipelinesDoc(doc)) return [];
  const apiVersion = doc.apiVersion.slice('tekton.dev/'.length);
  const file = `${doc.kind.toLowerCase()}_${apiVersion}.json`;
  const found = new Map<string, { problem: Problem; versions: string[] }>();
  for (const version of versions) {
    const validate = validatorFor(dir, version, file);
    const errors: { path: string; message: string }[] = validate
      ? validate(doc.data)
        ? []
        : (validate.errors ?? []).map((e) => ({ path: errorPath(e), message: describe(e) }))
      : [{ path: '', message: `no schema ${file} for ${doc.apiVersion} ${doc.kind} (this project uses tekton.dev/v1 Task/Pipeline/TaskRun/PipelineRun and tekton.dev/v1beta1 StepAction)` }];
    for (const e of errors) {
      const key = `${e.path}\0${e.message}`;
      const seen = found.get(key);
      if (seen) {
        seen.versions.push(version);
        continue;
      }
      found.set(key, {
        versions: [version],
        problem: { file: doc.file, line: doc.lineOf(fromPointer(e.path)), resource: doc.resource, rule: 'schema', message: e.message, path: e.path || '/' },
      });
    }
  }
  return [...found.values()].map(({ problem, versions: vs }) => ({ ...problem, version: vs.join(', ') }));
}
