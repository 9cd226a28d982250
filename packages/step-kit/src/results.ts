import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultDef, ResultValue } from './step.ts';
import type { Redactor } from './redact.ts';
import { StepError } from './errors.ts';

/** Tekton's budget for all results of one step, in bytes. */
export const RESULTS_BUDGET = 4096;

/** Turns a result value into the exact text Tekton stores: no trailing newline, JSON for structures. */
export function serializeResult(value: ResultValue): string {
  if (typeof value === 'string') return value.replace(/\n+$/, '');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Serializes all results, masks secrets, and checks names and the 4096-byte budget. */
export function prepareResults(
  defs: Record<string, ResultDef>,
  values: Map<string, ResultValue>,
  redactor: Redactor,
): Map<string, string> {
  const out = new Map<string, string>();
  let total = 0;
  for (const [name, value] of values) {
    if (!(name in defs)) throw new StepError(`result ${name} is not declared by this step`);
    const text = redactor.redact(serializeResult(value));
    total += Buffer.byteLength(text);
    out.set(name, text);
  }
  if (total > RESULTS_BUDGET) {
    const sizes = [...out].map(([n, t]) => `${n}=${Buffer.byteLength(t)}`).sort().join(', ');
    throw new StepError(
      `results are ${total} bytes, over Tekton's ${RESULTS_BUDGET}-byte budget per step (${sizes}); write large output to a workspace file and return its path`,
    );
  }
  return out;
}

/** Writes each result to DIR/<name>; Tekton reads only the declared names, so nothing else goes there. */
export function writeResults(dir: string, results: Map<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of results) writeFileSync(join(dir, name), text);
}
