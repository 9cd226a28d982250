import pg from 'pg';
import { BadInputError, ExitCode, StepError, backoffDelay, sleep } from '@steg/step-kit';
import type { Logger } from '@steg/step-kit';

/** The parts of a PostgreSQL URL this tool uses; the password never leaves this object except into the connection file. */
export interface Server {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  /** The database of the URL (default postgres): the admin connection's database, where advisory locks live. */
  database: string;
  /** The URL's query (sslmode and friends), kept for every URL built from this one. */
  search: string;
}

const EXPECTED = 'a PostgreSQL URL postgresql://user:password@host:port/database';

/** Parses an admin URL; errors never repeat the value (it carries the password). */
export function parseServerUrl(raw: string, paramName = 'admin-url'): Server {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new BadInputError(`param ${paramName} is not a URL (value hidden: it may hold a password), expected ${EXPECTED}`);
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new BadInputError(`param ${paramName} has protocol ${JSON.stringify(u.protocol)}, expected ${EXPECTED}`);
  }
  if (!u.hostname) throw new BadInputError(`param ${paramName} has no host, expected ${EXPECTED}`);
  if (!u.username) throw new BadInputError(`param ${paramName} has no user, expected ${EXPECTED}`);
  const port = u.port ? Number(u.port) : 5432;
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres';
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port,
    user: decodeURIComponent(u.username),
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database,
    search: u.search,
  };
}

/** A URL for a database on this server, with the password only when asked for. */
export function databaseUrl(s: Pick<Server, 'host' | 'port' | 'search'>, database: string, user: string, password?: string): string {
  const host = s.host.includes(':') ? `[${s.host}]` : s.host;
  const cred = password != null ? `${encodeURIComponent(user)}:${encodeURIComponent(password)}` : encodeURIComponent(user);
  return `postgresql://${cred}@${host}:${s.port}/${encodeURIComponent(database)}${s.search}`;
}

/** Where errors and logs say we connect to (never a password). */
export function describeServer(s: Pick<Server, 'host' | 'port' | 'user'>, database?: string): string {
  return `${s.user}@${s.host}:${s.port}${database ? `/${database}` : ''}`;
}

type PgError = Error & { code?: string; position?: string; where?: string; detail?: string; hint?: string };

const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', '57P03', '53300']);

/** True for errors worth another attempt: not listening yet, starting up, too many connections. */
export function isTransient(err: unknown, missingDatabaseIsTransient = false): boolean {
  const e = err as PgError;
  if (e?.code && TRANSIENT_CODES.has(e.code)) return true;
  if (missingDatabaseIsTransient && e?.code === '3D000') return true;
  return /timeout|terminated unexpectedly|Connection terminated/i.test(e?.message ?? '');
}

/** Turns a failed connection into the step's error: bad credentials and a missing database are configuration (exit 2). */
export function connectError(err: unknown, s: Server, database: string): StepError {
  const e = err as PgError;
  const where = describeServer(s, database);
  if (e?.code === '28P01' || e?.code === '28000') {
    return new BadInputError(`cannot log in to ${where}: ${e.message} (check the user and password of the admin URL secret)`, { cause: err });
  }
  if (/SASL|password must be a string/i.test(e?.message ?? '')) {
    return new BadInputError(`cannot log in to ${where}: the server asks for a password and the admin URL has none`, { cause: err });
  }
  if (e?.code === '3D000') return new BadInputError(`database ${database} does not exist on ${s.host}:${s.port} (${e.message})`, { cause: err });
  return new StepError(`cannot connect to ${where}: ${e?.code ?? ''} ${e?.message ?? String(err)}`.replace(/\s+/g, ' '), ExitCode.failed, { cause: err });
}

/** Opens one connection, no retries. */
export async function connectOnce(s: Server, database: string, timeoutMs = 10_000): Promise<pg.Client> {
  const client = new pg.Client({
    host: s.host,
    port: s.port,
    user: s.user,
    password: s.password ?? '',
    database,
    application_name: 'steg-db-fixture',
    connectionTimeoutMillis: timeoutMs,
    ssl: sslFrom(s.search),
  });
  // A terminated backend emits 'error' on the client; without a listener that would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  return client;
}

function sslFrom(search: string): pg.ClientConfig['ssl'] {
  const mode = new URLSearchParams(search).get('sslmode');
  if (!mode || mode === 'disable' || mode === 'allow' || mode === 'prefer') return undefined;
  return mode === 'require' ? { rejectUnauthorized: false } : true;
}

export interface ConnectOptions {
  /** Keep trying for this long (connection refused, starting up). */
  timeoutMs?: number;
  signal?: AbortSignal;
  log?: Logger;
  /** In wait mode the database may not exist yet (an image still running its init scripts). */
  waitForDatabase?: boolean;
}

/** Connects, retrying transient failures with backoff until timeoutMs; configuration errors fail at once. */
export async function connect(s: Server, database: string, o: ConnectOptions = {}): Promise<pg.Client> {
  const timeoutMs = o.timeoutMs ?? 30_000;
  const started = Date.now();
  let lastReport = started;
  for (let attempt = 0; ; attempt++) {
    try {
      return await connectOnce(s, database, Math.max(1000, Math.min(10_000, timeoutMs - (Date.now() - started))));
    } catch (err) {
      if (!isTransient(err, o.waitForDatabase)) throw connectError(err, s, database);
      const elapsed = Date.now() - started;
      if (elapsed >= timeoutMs || o.signal?.aborted) {
        const e = err as PgError;
        throw new StepError(
          `${describeServer(s, database)} did not accept connections within ${Math.round(timeoutMs / 1000)} s (last error: ${e.code ?? ''} ${e.message})`.replace(/\s+/g, ' '),
          ExitCode.failed,
          { cause: err },
        );
      }
      if (Date.now() - lastReport > 5000) {
        o.log?.info(`waiting for ${describeServer(s, database)}: ${(err as PgError).code ?? (err as Error).message}`);
        lastReport = Date.now();
      }
      await sleep(Math.min(backoffDelay(Math.min(attempt, 5), { minDelayMs: 100, maxDelayMs: 1000 }), Math.max(0, timeoutMs - elapsed)), o.signal);
    }
  }
}
