import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgv } from './argv.ts';
import { parseDuration, formatDuration } from './duration.ts';
import { BadInputError, DeadlineError, ExitCode, StepError, exitCodeOf } from './errors.ts';
import { renderHelp } from './help.ts';
import type { Logger, TextSink } from './logger.ts';
import { createLogger } from './logger.ts';
import type { ParamDef } from './params.ts';
import { readParams } from './read-params.ts';
import { Redactor } from './redact.ts';
import { prepareResults, writeResults } from './results.ts';
import type { ResultDef, ResultValue, StepContext, StepDef } from './step.ts';

/** Everything a step run touches of the outside world, injectable for tests. */
export interface RunIO {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  stdout: TextSink;
  stderr: TextSink;
  cwd: string;
  /** Where Tekton mounts Task results; used when it exists. */
  tektonResultsDir?: string;
  /** Aborts the run from outside (SIGTERM). */
  signal?: AbortSignal;
}

const DEFAULT_DEADLINE = '1h';

/** Runs a step in-process and returns its exit code; never throws. */
export async function runStep<P extends Record<string, ParamDef>, R extends Record<string, ResultDef>>(
  step: StepDef<P, R>,
  io: RunIO,
): Promise<number> {
  const redactor = new Redactor();
  const flagFormat = formatFromArgv(io.argv) ?? io.env.STEG_LOG_FORMAT;
  const format = flagFormat === 'json' ? 'json' : 'text';
  const log = createLogger({ format, sink: io.stderr, redactor, service: step.name, debug: io.env.STEG_DEBUG === 'true' });

  let flags;
  let values: Record<string, unknown>;
  let resultsDir: string | undefined;
  let deadlineMs: number;
  try {
    const isBool = (n: string): boolean => n === 'help' || step.params[n]?.kind === 'bool';
    flags = parseArgv(io.argv, isBool, (n) => step.params[n]?.kind === 'list');
    if (flags.has('help')) {
      io.stdout.write(renderHelp(step as unknown as StepDef));
      return ExitCode.ok;
    }
    if (flagFormat != null && flagFormat !== 'text' && flagFormat !== 'json') {
      throw new BadInputError(`param log-format is ${JSON.stringify(flagFormat)}, expected text or json`);
    }
    const builtin = takeBuiltins(flags, io.env, step.deadline ?? DEFAULT_DEADLINE);
    deadlineMs = builtin.deadlineMs;
    const tekton = io.tektonResultsDir ?? '/tekton/results';
    resultsDir = builtin.resultsDir ? resolve(io.cwd, builtin.resultsDir) : existsSync(tekton) ? tekton : undefined;
    values = readParams(step.params, flags, io.env, io.cwd, redactor);
  } catch (err) {
    return report(err, log);
  }

  const results = new Map<string, ResultValue>();
  const deadline = new AbortController();
  const started = Date.now();
  const timer = setTimeout(
    () => deadline.abort(new DeadlineError(`step deadline of ${formatDuration(deadlineMs)} passed`)),
    deadlineMs,
  );
  timer.unref?.();
  const signal = io.signal ? AbortSignal.any([deadline.signal, io.signal]) : deadline.signal;
  const ctx: StepContext<P, R> = {
    params: values as StepContext<P, R>['params'],
    log,
    setResult: (name, value) => {
      if (!(name in step.results)) throw new StepError(`result ${name} is not declared by step ${step.name}`);
      results.set(name, value);
    },
    signal,
    remainingMs: () => Math.max(0, deadlineMs - (Date.now() - started)),
    redactor,
    env: io.env,
    cwd: io.cwd,
    inTekton: resultsDir != null,
  };

  let code: number;
  try {
    const aborted = new Promise<never>((_, reject) => {
      const onAbort = (): void => reject(signal.reason instanceof Error ? signal.reason : new StepError(`stopped: ${String(signal.reason)}`));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => undefined);
    code = (await Promise.race([step.run(ctx), aborted])) ?? ExitCode.ok;
  } catch (err) {
    code = report(err, log);
  } finally {
    clearTimeout(timer);
  }
  if (code === ExitCode.badInput || results.size === 0) return code;
  try {
    const prepared = prepareResults(step.results, results, redactor);
    if (resultsDir) {
      writeResults(resultsDir, prepared);
    } else if (format === 'json') {
      io.stdout.write(`${JSON.stringify({ results: Object.fromEntries(prepared) })}\n`);
    } else {
      io.stdout.write(`results:\n${[...prepared].map(([k, v]) => `  ${k}: ${v}`).join('\n')}\n`);
    }
  } catch (err) {
    return report(err, log);
  }
  return code;
}

/** Logs an error (masked) and returns its exit code; unexpected errors show their stack. */
function report(err: unknown, log: Logger): number {
  if (err instanceof StepError) {
    for (const line of err.message.split('\n')) log.error(line);
    const cause = err.cause as Error | undefined;
    if (cause?.message && !err.message.includes(cause.message)) log.error(`cause: ${cause.message}`);
  } else {
    const e = err as Error;
    log.error(`unexpected error: ${e?.message ?? String(err)}`);
    if (e?.stack) log.error(e.stack);
  }
  return exitCodeOf(err);
}

function formatFromArgv(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a.startsWith('--log-format=')) return a.slice('--log-format='.length);
    if (a === '--log-format') return argv[i + 1] ?? '';
  }
  return undefined;
}

function takeBuiltins(flags: Map<string, string[]>, env: NodeJS.ProcessEnv, defaultDeadline: string) {
  const one = (name: string, envVar: string): string | undefined => {
    const v = flags.get(name)?.at(-1);
    flags.delete(name);
    return v || env[envVar] || undefined;
  };
  one('log-format', 'STEG_LOG_FORMAT');
  const resultsDir = one('results-dir', 'STEG_RESULTS_DIR');
  const deadlineRaw = one('deadline', 'STEG_DEADLINE') ?? defaultDeadline;
  const deadlineMs = parseDuration(deadlineRaw);
  if (deadlineMs == null || deadlineMs <= 0) {
    throw new BadInputError(`param deadline is ${JSON.stringify(deadlineRaw)}, expected a duration such as 30s, 5m or 1h`);
  }
  return { resultsDir, deadlineMs };
}

/** The entry point of a step program: runs it on this process and sets the exit code. */
export async function main<P extends Record<string, ParamDef>, R extends Record<string, ResultDef>>(step: StepDef<P, R>): Promise<void> {
  const stop = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    if (stop.signal.aborted) process.exit(128 + (sig === 'SIGINT' ? 2 : 15));
    stop.abort(new StepError(`stopped by ${sig}`, 128 + (sig === 'SIGINT' ? 2 : 15)));
    // Give the step a moment to clean up, then leave whatever it was doing.
    setTimeout(() => process.exit(128 + (sig === 'SIGINT' ? 2 : 15)), 10_000).unref();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const code = await runStep(step, {
    argv: process.argv.slice(2),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    signal: stop.signal,
  });
  process.exitCode = code;
  // Work abandoned at the deadline or on a signal may still hold the event loop.
  if (stop.signal.aborted || code === ExitCode.failed) setTimeout(() => process.exit(code), 100).unref();
}
