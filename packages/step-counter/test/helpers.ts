// Shared setup for the integration tests: a seeded PostgreSQL and the app on a free port.
import { createLogger, Redactor } from '@steg/step-kit';
import type { TextSink } from '@steg/step-kit';
import { startPostgres } from '@steg/test-support';
import type { PostgresHandle } from '@steg/test-support';
import { readConfig } from '../src/config.ts';
import { startServer } from '../src/server.ts';
import type { RunningServer } from '../src/server.ts';
import { migrateAndSeed } from './apply-fixtures.ts';

/** A migrated, seeded database; `await using` stops it. */
export async function seededDatabase(): Promise<PostgresHandle> {
  const db = await startPostgres();
  try {
    await migrateAndSeed(db.url);
    return db;
  } catch (err) {
    await db[Symbol.asyncDispose]();
    throw err;
  }
}

/** The app on 127.0.0.1 and a free port, its log lines collected; `await using` stops it. */
export async function startApp(databaseUrl: string, env: NodeJS.ProcessEnv = {}): Promise<RunningServer & { logs: string[]; [Symbol.asyncDispose](): Promise<void> }> {
  const logs: string[] = [];
  const sink: TextSink = { write: (t: string) => logs.push(t) };
  const config = readConfig({ DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', SHUTDOWN_TIMEOUT_MS: '2000', APP_COMMIT: 'test-commit', ...env });
  const log = createLogger({ format: 'json', sink, redactor: new Redactor(), service: 'step-counter' });
  const app = await startServer(config, log);
  return Object.assign(app, { logs, [Symbol.asyncDispose]: () => app.close() });
}

/** fetch + JSON body. */
export async function call(base: string, path: string, init: RequestInit & { json?: unknown } = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const { json, ...rest } = init;
  const res = await fetch(`${base}${path}`, {
    ...rest,
    ...(json === undefined ? {} : { method: rest.method ?? 'POST', body: JSON.stringify(json), headers: { 'content-type': 'application/json', ...(rest.headers as Record<string, string> | undefined) } }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
}
