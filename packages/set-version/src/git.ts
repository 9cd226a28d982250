import { execOk, exec, execSync, ExecError } from '@steg/step-kit';
import type { ExecResult, Logger, Redactor } from '@steg/step-kit';

/** Runs real git in one repository with credentials set up through the environment (never argv). */
export class Git {
  constructor(
    readonly cwd: string,
    private readonly o: { env: NodeJS.ProcessEnv; redactor: Redactor; log?: Logger; signal?: AbortSignal; timeoutMs?: number },
  ) {}

  /** A Git for another directory with the same credentials. */
  at(cwd: string): Git {
    return new Git(cwd, this.o);
  }

  /** Runs git; rejects with a masked GitError when it exits non-zero. */
  async run(args: readonly string[], input?: string): Promise<string> {
    try {
      const r = await execOk('git', args, { cwd: this.cwd, env: this.o.env, redactor: this.o.redactor, signal: this.o.signal, timeoutMs: this.o.timeoutMs, input });
      return r.stdout;
    } catch (err) {
      throw toGitError(err, args, this.o.redactor);
    }
  }

  /** Runs git and returns the exit code and output instead of rejecting. */
  async try(args: readonly string[], input?: string): Promise<ExecResult> {
    return exec('git', args, { cwd: this.cwd, env: this.o.env, redactor: this.o.redactor, signal: this.o.signal, timeoutMs: this.o.timeoutMs, input });
  }

  /** Like try, but synchronous (step-kit's execSync), for short local read-only queries: rev-parse, a log of the commits since a tag. */
  trySync(args: readonly string[]): ExecResult {
    return execSync('git', args, { cwd: this.cwd, env: this.o.env, redactor: this.o.redactor, timeoutMs: this.o.timeoutMs });
  }

  /** Trimmed stdout. */
  async line(args: readonly string[], input?: string): Promise<string> {
    return (await this.run(args, input)).trim();
  }
}

/** A git command that failed; the message names the command (URLs masked) and git's last lines. */
export class GitError extends Error {
  constructor(message: string, readonly stderr: string, readonly code: number) {
    super(message);
    this.name = 'GitError';
  }
}

function toGitError(err: unknown, args: readonly string[], redactor: Redactor): Error {
  if (err instanceof ExecError) {
    const stderr = err.result.stderr;
    const tail = stderr.trim().split('\n').slice(-4).join('; ');
    const cmd = redactor.redact(stripUserinfo(`git ${args.filter((a) => !a.startsWith('-c')).slice(0, 4).join(' ')}`));
    return new GitError(`${cmd} failed (exit ${err.result.code})${tail ? `: ${stripUserinfo(tail)}` : ''}`, stderr, err.result.code);
  }
  return err as Error;
}

/** Removes user:password@ from any URL in a text, for messages. */
export function stripUserinfo(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1');
}
