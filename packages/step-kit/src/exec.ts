import { spawn, spawnSync } from 'node:child_process';
import type { Logger } from './logger.ts';
import type { Redactor } from './redact.ts';

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Text written to the child's stdin. */
  input?: string;
  /** Relays each output line to this logger (masked) as it arrives. */
  log?: Logger;
  /** Masks secrets in captured output and error messages. */
  redactor?: Redactor;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A child process that exited non-zero; its message carries the command and masked stderr. */
export class ExecError extends Error {
  constructor(readonly result: ExecResult, readonly command: string) {
    super(`${command} exited with ${result.code}${result.stderr.trim() ? `: ${result.stderr.trim().split('\n').slice(-5).join('\n')}` : ''}`);
    this.name = 'ExecError';
  }
}

/** Runs a program (no shell), captures its output with secrets masked, and relays lines to the log. */
export function exec(cmd: string, args: readonly string[], o: ExecOptions = {}): Promise<ExecResult> {
  const mask = (s: string): string => (o.redactor ? o.redactor.redact(s) : s);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: o.cwd,
      env: o.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      signal: o.signal,
      timeout: o.timeoutMs,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const relay = (chunks: Buffer[], level: 'info' | 'debug') => {
      let partial = '';
      return (b: Buffer): void => {
        chunks.push(b);
        if (!o.log) return;
        const text = partial + b.toString('utf8');
        const lines = text.split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) o.log[level](line);
      };
    };
    child.stdout.on('data', relay(out, 'info'));
    child.stderr.on('data', relay(err, 'info'));
    child.on('error', (e) => reject(new Error(mask(`cannot run ${cmd}: ${e.message}`))));
    child.on('close', (code, sig) => {
      resolve({
        code: code ?? (sig ? 128 + 15 : 1),
        stdout: mask(Buffer.concat(out).toString('utf8')),
        stderr: mask(Buffer.concat(err).toString('utf8')),
      });
    });
    if (o.input != null) child.stdin.end(o.input);
    else child.stdin.end();
  });
}

/** Like exec, but rejects with an ExecError when the exit code is not 0. */
export async function execOk(cmd: string, args: readonly string[], o: ExecOptions = {}): Promise<ExecResult> {
  const r = await exec(cmd, args, o);
  if (r.code !== 0) throw new ExecError(r, [cmd, ...args.slice(0, 2)].join(' '));
  return r;
}

/**
 * Like exec, but synchronous and without the log relay or stdin: for short local queries, where
 * spawnSync's lack of stream set-up saves about 2 ms per process. The timeout holds; no signal.
 */
export function execSync(cmd: string, args: readonly string[], o: Omit<ExecOptions, 'input' | 'log' | 'signal'> = {}): ExecResult {
  const mask = (s: string): string => (o.redactor ? o.redactor.redact(s) : s);
  const r = spawnSync(cmd, args, { cwd: o.cwd, env: o.env ?? process.env, encoding: 'utf8', maxBuffer: Infinity, timeout: o.timeoutMs });
  if (r.error && r.status == null && !r.signal) throw new Error(mask(`cannot run ${cmd}: ${r.error.message}`));
  return { code: r.status ?? (r.signal ? 128 + 15 : 1), stdout: mask(r.stdout), stderr: mask(r.stderr) };
}
