// Runs step-counter (dist/step-counter.mjs) on the demo's database, on a free port, and
// waits until /readyz answers; its log goes to a file so stage output stays readable.
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

export interface DemoApp {
  url: string;
  logFile: string;
  stop(): Promise<void>;
}

/** Starts the app and resolves once it is ready (schema migrated, database reachable). */
export async function startDemoApp(o: { root: string; workDir: string; databaseUrl: string; timeoutMs?: number }): Promise<DemoApp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = join(o.workDir, 'step-counter.log');
  const logStream = createWriteStream(logFile);
  const child = spawn(process.execPath, [join(o.root, 'dist', 'step-counter.mjs')], {
    cwd: o.root,
    env: { ...process.env, DATABASE_URL: o.databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_FORMAT: 'text', APP_COMMIT: gitCommit(o.root) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(logStream);
  child.stderr.pipe(logStream);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (): Promise<void> => {
    if (child.exitCode != null || child.signalCode != null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (o.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode != null) throw new Error(`step-counter exited with ${child.exitCode}:\n${tail(logFile)}`);
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`step-counter was not ready within ${o.timeoutMs ?? 30_000} ms:\n${tail(logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, logFile, stop };
}

function gitCommit(root: string): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
