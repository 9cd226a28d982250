// The server's configuration, read once from the environment. A bad value stops the
// server at start with a message naming the variable; the database URL is never echoed.
import { readFileSync } from 'node:fs';
import pkg from '../package.json' with { type: 'json' };

export interface Config {
  databaseUrl: string;
  host: string;
  port: number;
  logFormat: 'json' | 'text';
  /** How long in-flight requests may take to finish after SIGTERM. */
  shutdownTimeoutMs: number;
  poolMax: number;
  version: string;
  commit: string;
}

/** A configuration problem; the CLI exits 2 with this message. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The environment variables the server reads, for --help and the README. */
export const ENV_DOC: [string, string][] = [
  ['DATABASE_URL', 'PostgreSQL connection URL (required; or DATABASE_URL_FILE, a file holding it, e.g. a mounted Secret)'],
  ['PORT', 'TCP port to listen on (default 8080; 0 picks a free port)'],
  ['HOST', 'address to listen on (default 0.0.0.0)'],
  ['LOG_FORMAT', 'json (ECS lines, default) or text'],
  ['LOG_LEVEL', 'info (default) or debug (also logs /healthz and /readyz requests)'],
  ['SHUTDOWN_TIMEOUT_MS', 'how long in-flight requests may run after SIGTERM (default 10000)'],
  ['DB_POOL_MAX', 'maximum database connections (default 10)'],
  ['APP_VERSION', `version reported by /version (default: STEG_IMAGE_VERSION, else package.json at build time, now ${pkg.version})`],
  ['APP_COMMIT', 'git commit reported by /version (default: STEG_IMAGE_REVISION baked into the image, else "unknown")'],
];

/** Reads the configuration from env (a test passes its own). */
export function readConfig(env: NodeJS.ProcessEnv = process.env, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): Config {
  let databaseUrl = env.DATABASE_URL?.trim();
  if (!databaseUrl && env.DATABASE_URL_FILE) {
    try {
      databaseUrl = readFile(env.DATABASE_URL_FILE).trim();
    } catch (err) {
      throw new ConfigError(`DATABASE_URL_FILE: cannot read ${env.DATABASE_URL_FILE}: ${(err as Error).message}`);
    }
  }
  if (!databaseUrl) throw new ConfigError('DATABASE_URL is required (or DATABASE_URL_FILE): the PostgreSQL URL, e.g. postgresql://user:password@host:5432/db');
  let parsed: URL;
  try {
    parsed = new URL(databaseUrl);
  } catch {
    throw new ConfigError('DATABASE_URL is not a valid URL (expected postgresql://user:password@host:5432/db)');
  }
  if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:') throw new ConfigError(`DATABASE_URL must start with postgresql:// (got ${parsed.protocol}//)`);
  const logFormat = env.LOG_FORMAT ?? 'json';
  if (logFormat !== 'json' && logFormat !== 'text') throw new ConfigError(`LOG_FORMAT must be json or text (got ${logFormat})`);
  return {
    databaseUrl,
    host: env.HOST || '0.0.0.0',
    port: int(env, 'PORT', 8080, 0, 65535),
    logFormat,
    shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    poolMax: int(env, 'DB_POOL_MAX', 10, 1, 1000),
    // STEG_IMAGE_*: what an image build may bake in (see README); APP_* set at start win.
    version: env.APP_VERSION || env.STEG_IMAGE_VERSION || pkg.version,
    commit: env.APP_COMMIT || env.STEG_IMAGE_REVISION || 'unknown',
  };
}

/** The password inside a database URL, so the logger can mask it. */
export function urlPassword(url: string): string | undefined {
  try {
    const p = new URL(url).password;
    return p ? decodeURIComponent(p) : undefined;
  } catch {
    return undefined;
  }
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw == null || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got ${raw})`);
  return Number(raw);
}
