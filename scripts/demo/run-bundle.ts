// Runs a step bundle (dist/<name>.mjs) the way a pipeline would: its own results directory,
// output streamed to the terminal with the step's name in front, results read back after.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Running children, so Ctrl-C clean-up can stop them. */
export const runningSteps = new Set<ChildProcess>();

export interface RunBundleOptions {
  root: string;
  workDir: string;
  out?: NodeJS.WritableStream;
}

/** Runs `node dist/<name>.mjs ARGS --results-dir TMP` and returns its exit code and results. */
export async function runBundle(name: string, args: string[], env: Record<string, string> = {}, o: RunBundleOptions): Promise<{ code: number; results: Record<string, string> }> {
  const bundle = join(o.root, 'dist', `${name}.mjs`);
  if (!existsSync(bundle)) throw new Error(`${bundle} does not exist (is packages/${name}/src/cli.ts there, and did the build run?)`);
  const resultsDir = mkdtempSync(join(o.workDir, `results-${name}-`));
  const out = o.out ?? process.stdout;
  const child = spawn(process.execPath, [bundle, ...args, '--results-dir', resultsDir], {
    cwd: o.root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  runningSteps.add(child);
  const prefix = `  │ ${name}: `;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => out.write(`${prefix}${line}\n`));
  }
  const code = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c, signal) => resolve(c ?? (signal ? 128 + signalNumber(signal) : 1)));
  }).finally(() => runningSteps.delete(child));
  const results: Record<string, string> = {};
  for (const file of readdirSync(resultsDir)) results[file] = readFileSync(join(resultsDir, file), 'utf8');
  return { code, results };
}

function signalNumber(signal: NodeJS.Signals): number {
  return ({ SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] ?? 0;
}
