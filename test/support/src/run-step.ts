import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStep } from '@steg/step-kit';
import type { StepDef } from '@steg/step-kit';

/** Collects written text, for stdout/stderr in tests. */
export class Collector {
  text = '';
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Result files as written (Tekton mode), by name. */
  results: Record<string, string>;
}

/**
 * Runs a step in-process the way Tekton would: results go to a temp results dir that is
 * read back. Pass `env` for params from the environment; process.env is not inherited.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function runInProcess(step: StepDef<any, any>, argv: string[], o: { env?: NodeJS.ProcessEnv; cwd?: string; tekton?: boolean } = {}): Promise<InProcessRun> {
  const stdout = new Collector();
  const stderr = new Collector();
  const resultsDir = mkdtempSync(join(tmpdir(), 'steg-results-'));
  try {
    const tekton = o.tekton ?? true;
    const code = await runStep(step, {
      argv,
      env: { ...(o.env ?? {}) },
      stdout,
      stderr,
      cwd: o.cwd ?? process.cwd(),
      tektonResultsDir: tekton ? resultsDir : join(resultsDir, 'absent'),
    });
    const results: Record<string, string> = {};
    for (const name of readdirSync(resultsDir)) results[name] = readFileSync(join(resultsDir, name), 'utf8');
    return { code, stdout: stdout.text, stderr: stderr.text, results };
  } finally {
    rmSync(resultsDir, { recursive: true, force: true });
  }
}
