import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { BadInputError } from '@steg/step-kit';
import type { DbFixtureContext } from './step.ts';
import { describeServer, parseServerUrl } from './connect.ts';
import { FixtureServer, waitForPostgres } from './fixture.ts';

type Ctx = DbFixtureContext;

/** Runs the mode the params ask for; every param is checked before the first connection. */
export async function runMode(ctx: Ctx): Promise<number> {
  const p = ctx.params;
  const adminUrl = adminUrlOf(p['admin-url'], p['server-url']);
  const server = parseServerUrl(adminUrl, p['admin-url'] ? 'admin-url' : 'server-url');
  // The URL as a whole is already masked; its password alone and its URL-encoded form too.
  ctx.redactor.add(server.password);
  const t0 = performance.now();
  const common = { adminUrl, connectTimeoutMs: p['wait-timeout'], log: ctx.log, signal: ctx.signal, prefix: p.prefix };

  if (p.mode === 'wait') {
    const db = p.database || server.database;
    ctx.log.info(`waiting up to ${Math.round(p['wait-timeout'] / 1000)} s for ${describeServer(server, db)} to accept queries`);
    const ms = await waitForPostgres({ url: adminUrl, database: db, timeoutMs: p['wait-timeout'], signal: ctx.signal, log: ctx.log });
    ctx.log.info(`${describeServer(server, db)} accepts queries (after ${ms} ms)`);
    setAll(ctx, { database: db, host: server.host, port: String(server.port), user: server.user, 'duration-ms': ms });
    return 0;
  }

  if (p.mode === 'drop') {
    const file = p['connection-file'];
    let db = p.database;
    if (!db && file && existsSync(file)) db = databaseFromFile(file);
    if (!db) throw new BadInputError('param database is required for mode drop (or a connection-file written by create)');
    const s = await FixtureServer.open(common);
    try {
      const dropped = await s.drop(db, { spares: p.spares, maxFixtures: p['max-fixtures'] });
      if (!dropped) ctx.log.info(`${db} was already gone on ${server.host}:${server.port}`);
    } finally {
      await s.close();
    }
    if (file && existsSync(file)) rmSync(file, { force: true });
    setAll(ctx, { database: db, host: server.host, port: String(server.port), user: server.user, 'duration-ms': Math.round(performance.now() - t0) });
    return 0;
  }

  if (p.mode === 'gc') {
    const s = await FixtureServer.open(common);
    try {
      const g = await s.gc({ templateTtlMs: p['template-ttl'] });
      ctx.log.info(
        `gc on ${server.host}:${server.port}: ${g.fixtures.length} expired fixtures, ${g.templates.length} unused templates, ${g.spares.length} spares of removed templates, ${g.builds.length} abandoned builds, ${g.roles.length} orphan roles removed`,
      );
      for (const n of [...g.fixtures, ...g.templates, ...g.spares, ...g.builds]) ctx.log.info(`  dropped database ${n}`);
      for (const n of g.roles) ctx.log.info(`  dropped role ${n}`);
    } finally {
      await s.close();
    }
    setAll(ctx, { host: server.host, port: String(server.port), user: server.user, 'duration-ms': Math.round(performance.now() - t0) });
    return 0;
  }

  const file = p['connection-file'];
  const runId = p['run-id'] || ctx.env.STEG_RUN_ID || 'local';
  const s = await FixtureServer.open({ ...common, migrations: p.migrations || undefined, seeds: p.seeds || undefined });
  try {
    const f = await s.create({ runId, owner: p.owner, ttlMs: p.ttl, maxFixtures: p['max-fixtures'], role: p['fixture-role'] });
    if (f.role) ctx.redactor.add(new URL(f.connectionString).password);
    ctx.log.info(`fixture ${f.database} ready on ${f.host}:${f.port} as ${f.user}, ${f.fromSpare ? 'a spare of' : 'cloned from'} ${f.template}${f.templateBuilt ? ' (built now)' : ''} in ${f.durationMs} ms`);
    if (file) {
      mkdirSync(dirname(file), { recursive: true });
      // Group-readable: the next Task in the pipeline may run as another UID in group 0.
      writeFileSync(file, f.connectionString, { mode: 0o640 });
      ctx.log.info(`full connection URL written to ${file}`);
    }
    setAll(ctx, {
      database: f.database,
      host: f.host,
      port: String(f.port),
      user: f.user,
      url: f.url,
      template: f.template,
      'duration-ms': Math.round(performance.now() - t0),
    });
  } finally {
    await s.close();
  }
  return 0;
}

function databaseFromFile(file: string): string {
  const text = readFileSync(file, 'utf8').trim();
  try {
    return decodeURIComponent(new URL(text).pathname.replace(/^\//, ''));
  } catch {
    throw new BadInputError(`param connection-file: ${file} does not hold a connection URL`);
  }
}

/** The admin URL from the secret, or a password-less server-url (a sidecar); exactly one of them. */
function adminUrlOf(secret: string | undefined, open: string): string {
  if (secret && open) throw new BadInputError('params admin-url and server-url are both given; give one (admin-url for a server with a password)');
  if (secret) return secret;
  if (!open) {
    throw new BadInputError(
      'param admin-url is required: give its file with --admin-url-file PATH or STEG_ADMIN_URL_FILE (a mounted Secret), or its value in STEG_ADMIN_URL; or server-url for a server without a password',
    );
  }
  if (parseServerUrl(open, 'server-url').password != null) {
    throw new BadInputError('param server-url carries a password (value hidden); a password belongs in the admin-url secret, never in a param');
  }
  return open;
}

type ResultName = 'database' | 'host' | 'port' | 'user' | 'url' | 'template' | 'duration-ms';

/** Writes every declared result (empty when a mode has no value), so a Task never lacks one it declares. */
function setAll(ctx: Ctx, values: Partial<Record<ResultName, string | number>>): void {
  for (const name of ['database', 'host', 'port', 'user', 'url', 'template', 'duration-ms'] as const) ctx.setResult(name, values[name] ?? '');
}
