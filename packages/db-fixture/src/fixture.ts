import type pg from 'pg';
import { BadInputError, ExitCode, StepError } from '@steg/step-kit';
import type { Logger } from '@steg/step-kit';
import type { Server } from './connect.ts';
import { connect, databaseUrl, describeServer, parseServerUrl } from './connect.ts';
import { CAP_LOCK, lockExclusive, lockShared, tryLockExclusive, unlockExclusive, unlockShared } from './locks.ts';
import type { Marker } from './marker.ts';
import { MARKER_PREFIX, expiresAt, formatMarker, parseMarker } from './marker.ts';
import { migrate } from './migrate.ts';
import { DEFAULT_PREFIX, PREFIX_PATTERN, buildName, fixtureName, groupRoleName, quoteIdent, quoteLiteral, spareName, templateName } from './names.ts';
import { generatePassword, scramVerifier } from './password.ts';
import type { Plan } from './plan.ts';
import { loadPlan, templateHash } from './plan.ts';
import { loadSeedFiles } from './seed.ts';

/** Exit code when the cap on live fixtures is reached. */
export const EXIT_CAP_REACHED = 5;

/** create refused because the server already has max-fixtures fixtures. */
export class CapReachedError extends StepError {
  constructor(message: string) {
    super(message, EXIT_CAP_REACHED);
    this.name = 'CapReachedError';
  }
}

/** How to reach the server and what to build templates from. */
export interface ServerOptions {
  /** Admin connection URL (needs CREATEDB; CREATEROLE for fixture roles). */
  adminUrl: string;
  /** Folder of V<version>__<name>.sql and R__<name>.sql files. */
  migrations?: string;
  /** Folder of .sql, <table>.csv and <table>.json files. */
  seeds?: string;
  /** Name prefix of fixtures, templates and roles (default steg_fx). */
  prefix?: string;
  /** How long to keep trying to connect (default 30 s). */
  connectTimeoutMs?: number;
  log?: Logger;
  signal?: AbortSignal;
}

/** What one create asks for. */
export interface CreateOptions {
  /** PipelineRun name, test name or any id; part of the database name and the marker. */
  runId?: string;
  /** Recorded in the marker (team, pipeline). */
  owner?: string;
  /** Lifetime; gc drops the fixture after it (default 2 h). */
  ttlMs?: number;
  /** Refuse to create when this many fixtures exist on the server (default 50). */
  maxFixtures?: number;
  /** Create a login role with a generated password that owns only this database. */
  role?: boolean;
}

/** What one drop asks for. */
export interface DropOptions {
  /** After dropping, clone the fixture's template until it has this many spares (default 0). */
  spares?: number;
  /** The cap spares respect (default 50). */
  maxFixtures?: number;
}

/** A handed-out database. `connectionString` holds the password: never log it or put it in a result. */
export interface Fixture {
  database: string;
  host: string;
  port: number;
  user: string;
  /** URL without the password. */
  url: string;
  /** Full URL, password included. */
  connectionString: string;
  template: string;
  /** True when this create built the template. */
  templateBuilt: boolean;
  /** True when a spare (cloned ahead of time by a drop) was renamed into this fixture. */
  fromSpare: boolean;
  role?: string;
  durationMs: number;
}

/** What gc removed (or would remove). */
export interface GcSummary {
  fixtures: string[];
  spares: string[];
  templates: string[];
  builds: string[];
  roles: string[];
}

interface MarkedDb {
  name: string;
  marker: Marker | undefined;
  isTemplate: boolean;
}

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

/**
 * One admin connection to a server, with the template plan loaded once. Operations on one
 * instance run one at a time (session advisory locks are per connection); open one per
 * concurrent user.
 */
export class FixtureServer {
  private queue: Promise<unknown> = Promise.resolve();
  private plan: Plan | undefined;
  private templateHashCache: string | undefined;

  private constructor(
    readonly server: Server,
    private readonly admin: pg.Client,
    readonly serverMajor: number,
    private readonly o: ServerOptions,
    readonly prefix: string,
    private readonly log: Logger,
  ) {}

  /** Connects to the server (retrying while it starts) and reads the migrations and seeds. */
  static async open(o: ServerOptions): Promise<FixtureServer> {
    const prefix = o.prefix ?? DEFAULT_PREFIX;
    if (!PREFIX_PATTERN.test(prefix)) throw new BadInputError(`param prefix is ${JSON.stringify(prefix)}, expected ${PREFIX_PATTERN} (lower-case, 2 to 20 characters)`);
    const server = parseServerUrl(o.adminUrl);
    // Read the folders before connecting: a missing folder is bad input, and nothing is touched.
    const plan = o.migrations || o.seeds ? loadPlan(o.migrations, o.seeds) : loadPlan();
    const log = o.log ?? silent;
    const admin = await connect(server, server.database, { timeoutMs: o.connectTimeoutMs ?? 30_000, signal: o.signal, log });
    const onAbort = (): void => void admin.end().catch(() => undefined);
    o.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const { rows } = await admin.query<{ v: string }>('SHOW server_version_num');
      const fs = new FixtureServer(server, admin, Math.floor(Number(rows[0]?.v ?? 0) / 10000), o, prefix, log);
      fs.plan = plan;
      return fs;
    } catch (err) {
      await admin.end().catch(() => undefined);
      throw err;
    }
  }

  /** The template name for the loaded migrations and seeds on this server. */
  get template(): string {
    this.templateHashCache ??= templateHash(this.plan as Plan, this.serverMajor);
    return templateName(this.prefix, this.templateHashCache);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Hands out a new database cloned from the (possibly just built) template. */
  create(c: CreateOptions = {}): Promise<Fixture> {
    return this.serial(() => this.createNow(c));
  }

  /**
   * Drops a fixture; refuses anything without the fixture marker. Returns false when it was
   * already gone. With `spares`, then clones the fixture's template until it has that many
   * spares, so the next create is a rename; a finally task pays for that, not the next run.
   */
  drop(database: string, o: DropOptions = {}): Promise<boolean> {
    return this.serial(() => this.dropNow(database, o));
  }

  /** Clones the loaded template (building it if needed) until it has n spares; returns how many were made. */
  refill(n: number, maxFixtures = 50): Promise<number> {
    return this.serial(async () => {
      await this.holdTemplate();
      try {
        return await this.cloneSpares(this.template, n, maxFixtures);
      } finally {
        await unlockShared(this.admin, this.template).catch(() => undefined);
      }
    });
  }

  /** Removes expired fixtures, templates no fixture uses that are older than templateTtlMs, stale builds and orphan roles. */
  gc(o: { templateTtlMs?: number; now?: number; dryRun?: boolean } = {}): Promise<GcSummary> {
    return this.serial(() => this.gcNow(o));
  }

  /** Builds the template if it does not exist yet; returns its name and whether this call built it. */
  ensureTemplate(): Promise<{ template: string; built: boolean }> {
    return this.serial(async () => {
      const built = await this.holdTemplate();
      await unlockShared(this.admin, this.template);
      return { template: this.template, built };
    });
  }

  async close(): Promise<void> {
    await this.queue;
    await this.admin.end().catch(() => undefined);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private async marked(name?: string): Promise<MarkedDb[]> {
    const { rows } = await this.admin.query<{ datname: string; comment: string | null; datistemplate: boolean }>(
      `SELECT datname, shobj_description(oid, 'pg_database') AS comment, datistemplate FROM pg_database
        WHERE ${name != null ? 'datname = $1' : `shobj_description(oid, 'pg_database') LIKE ${quoteLiteral(`${MARKER_PREFIX}%`)}`}`,
      name != null ? [name] : [],
    );
    return rows.map((r) => ({ name: r.datname, marker: parseMarker(r.comment), isTemplate: r.datistemplate }));
  }

  /**
   * Returns holding a shared lock on the template, so gc cannot drop it before the clone.
   * The builder holds the exclusive lock for the whole build: concurrent creates wait here.
   */
  private async holdTemplate(): Promise<boolean> {
    const tpl = this.template;
    let built = false;
    for (;;) {
      await lockShared(this.admin, tpl);
      const [row] = await this.marked(tpl);
      if (row) {
        if (row.marker?.kind !== 'template') {
          await unlockShared(this.admin, tpl);
          throw new BadInputError(`database ${tpl} exists but is not a steg-db-fixture template (no marker); rename it or choose another prefix`);
        }
        return built;
      }
      await unlockShared(this.admin, tpl);
      await lockExclusive(this.admin, tpl);
      try {
        const [again] = await this.marked(tpl);
        if (!again) {
          await this.build(tpl);
          built = true;
        }
      } finally {
        await unlockExclusive(this.admin, tpl).catch(() => undefined);
      }
    }
  }

  private async build(tpl: string): Promise<void> {
    const plan = this.plan as Plan;
    const hash = this.templateHashCache as string;
    const bld = buildName(this.prefix, hash);
    const t0 = Date.now();
    this.log.info(`building template ${tpl}: ${plan.migrations.length} migrations, ${plan.seeds.length} seed files`);
    const now = new Date().toISOString();
    // template0 never has connections, so this clone cannot hit "source database is being accessed by other users".
    await this.admin.query(`CREATE DATABASE ${quoteIdent(bld)} TEMPLATE template0`);
    try {
      await this.comment(bld, { v: 1, kind: 'build', owner: 'steg-db-fixture', run: '', created: now, template: tpl, hash });
      const group = await this.ensureGroupRole();
      const c = await connect(this.server, bld, { timeoutMs: 10_000, signal: this.o.signal });
      let rows = 0;
      try {
        const m = await migrate(c, plan.migrations, this.log);
        rows = await loadSeedFiles(c, plan.seeds, this.log);
        if (group) await grantAll(c, group);
        await c.query('ANALYZE');
        this.log.info(`template ${tpl}: ${m.applied.length} migrations applied, ${rows} seed rows copied`);
      } finally {
        await c.end().catch(() => undefined);
      }
      await this.admin.query(`ALTER DATABASE ${quoteIdent(bld)} WITH ALLOW_CONNECTIONS false IS_TEMPLATE true`);
      await this.comment(bld, { v: 1, kind: 'template', owner: 'steg-db-fixture', run: '', created: now, hash });
      // The published name appears only now, complete: nobody ever clones a half-built template.
      await this.admin.query(`ALTER DATABASE ${quoteIdent(bld)} RENAME TO ${quoteIdent(tpl)}`);
      this.log.info(`template ${tpl} built in ${Date.now() - t0} ms`);
    } catch (err) {
      await this.dropDatabase(bld, true).catch((e: Error) => this.log.warn(`could not remove the failed build ${bld}: ${e.message}`));
      throw err;
    }
  }

  private async comment(db: string, m: Marker): Promise<void> {
    await this.admin.query(`COMMENT ON DATABASE ${quoteIdent(db)} IS ${quoteLiteral(formatMarker(m))}`);
  }

  /** The NOLOGIN role template objects are granted to; undefined when the admin may not create roles. */
  private async ensureGroupRole(): Promise<string | undefined> {
    const group = groupRoleName(this.prefix);
    const { rowCount } = await this.admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [group]);
    if (rowCount) return group;
    try {
      await this.admin.query(`CREATE ROLE ${quoteIdent(group)} NOLOGIN`);
      await this.admin.query(`COMMENT ON ROLE ${quoteIdent(group)} IS ${quoteLiteral(`${MARKER_PREFIX}{"v":1,"kind":"group","owner":"steg-db-fixture","run":"","created":"${new Date().toISOString()}"}`)}`);
      return group;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === '42710' || code === '23505') return group; // created by a concurrent build
      if (code === '42501') {
        this.log.warn(`the admin user may not create roles, so fixture roles (fixture-role) will not be available: ${(err as Error).message}`);
        return undefined;
      }
      throw err;
    }
  }

  private async createNow(c: CreateOptions): Promise<Fixture> {
    const t0 = performance.now();
    const ttlMs = c.ttlMs ?? 2 * 3600_000;
    const max = c.maxFixtures ?? 50;
    const built = await this.holdTemplate();
    const tpl = this.template;
    const name = fixtureName(this.prefix, c.runId ?? 'local');
    let role: string | undefined;
    let fromSpare = false;
    let password = this.server.password;
    try {
      await lockExclusive(this.admin, CAP_LOCK);
      let created = false;
      try {
        const all = await this.marked();
        const live = all.filter((d) => d.marker?.kind === 'fixture' || d.marker?.kind === 'spare').length;
        const spare = all.find((d) => d.marker?.kind === 'spare' && d.marker.template === tpl);
        if (!spare && live >= max) {
          throw new CapReachedError(
            `${live} fixture databases already exist on ${this.server.host}:${this.server.port}, the cap is ${max} (max-fixtures); run mode gc to remove expired ones, drop fixtures in a finally task, or raise max-fixtures`,
          );
        }
        const marker: Marker = { v: 1, kind: 'fixture', owner: c.owner ?? 'steg', run: c.runId ?? '', created: new Date().toISOString(), ttl: Math.round(ttlMs / 1000), template: tpl };
        if (c.role) {
          const group = await this.ensureGroupRole();
          if (!group) throw new BadInputError(`param fixture-role is true but ${describeServer(this.server)} may not create roles (it needs CREATEROLE)`);
          role = name;
          password = generatePassword();
          this.o.log?.debug('fixture role password generated');
          const until = new Date(Date.parse(marker.created) + ttlMs).toISOString();
          await this.admin.query(
            `CREATE ROLE ${quoteIdent(role)} LOGIN PASSWORD ${quoteLiteral(scramVerifier(password))} VALID UNTIL ${quoteLiteral(until)} IN ROLE ${quoteIdent(group)}`,
          );
          await this.admin.query(`COMMENT ON ROLE ${quoteIdent(role)} IS ${quoteLiteral(formatMarker({ ...marker, kind: 'role', template: name }))}`);
          marker.role = role;
        }
        if (spare) {
          // Creates hold the cap lock, so no other create claims the same spare.
          await this.admin.query(`ALTER DATABASE ${quoteIdent(spare.name)} RENAME TO ${quoteIdent(name)}`);
          created = true;
          fromSpare = true;
          if (role) await this.admin.query(`ALTER DATABASE ${quoteIdent(name)} OWNER TO ${quoteIdent(role)}`);
        } else {
          await this.admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(tpl)}${role ? ` OWNER ${quoteIdent(role)}` : ''}`);
          created = true;
        }
        await this.comment(name, marker);
        if (role) await this.admin.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${quoteIdent(name)} FROM PUBLIC`);
      } catch (err) {
        if (created) await this.dropDatabase(name, true).catch(() => undefined);
        if (role) await this.admin.query(`DROP ROLE IF EXISTS ${quoteIdent(role)}`).catch(() => undefined);
        throw err;
      } finally {
        await unlockExclusive(this.admin, CAP_LOCK).catch(() => undefined);
      }
    } finally {
      await unlockShared(this.admin, tpl).catch(() => undefined);
    }
    const user = role ?? this.server.user;
    return {
      database: name,
      host: this.server.host,
      port: this.server.port,
      user,
      url: databaseUrl(this.server, name, user),
      connectionString: databaseUrl(this.server, name, user, password),
      template: tpl,
      templateBuilt: built,
      fromSpare,
      ...(role ? { role } : {}),
      durationMs: Math.round(performance.now() - t0),
    };
  }

  private async dropNow(database: string, o: DropOptions = {}): Promise<boolean> {
    const [row] = await this.marked(database);
    if (!row) {
      this.log.info(`database ${database} does not exist; nothing to drop`);
      return false;
    }
    if (!row.marker) {
      throw new BadInputError(`refusing to drop database ${database}: it carries no steg-db-fixture marker (COMMENT ON DATABASE), so this tool did not create it`);
    }
    if (row.marker.kind !== 'fixture') {
      throw new BadInputError(`refusing to drop database ${database}: it is a steg-db-fixture ${row.marker.kind}, not a fixture (mode gc removes unused templates)`);
    }
    await this.dropDatabase(database, false);
    if (row.marker.role) await this.dropRole(row.marker.role);
    this.log.info(`dropped fixture ${database}`);
    const tpl = row.marker.template;
    if (o.spares && tpl) {
      await lockShared(this.admin, tpl);
      try {
        const [t] = await this.marked(tpl);
        if (t?.marker?.kind === 'template') {
          const made = await this.cloneSpares(tpl, o.spares, o.maxFixtures ?? 50);
          if (made) this.log.info(`cloned ${made} spare(s) of ${tpl} for the next create`);
        }
      } finally {
        await unlockShared(this.admin, tpl).catch(() => undefined);
      }
    }
    return true;
  }

  /** Clones tpl until it has n spares, within the cap; the caller holds the template's shared lock. */
  private async cloneSpares(tpl: string, n: number, max: number): Promise<number> {
    let made = 0;
    const hash = parseMarkerHash(tpl);
    // Named with the template's own prefix, whatever prefix this connection was opened with.
    const prefix = tpl.includes('_tpl_') ? tpl.slice(0, tpl.lastIndexOf('_tpl_')) : this.prefix;
    await lockExclusive(this.admin, CAP_LOCK);
    try {
      const all = await this.marked();
      let have = all.filter((d) => d.marker?.kind === 'spare' && d.marker.template === tpl).length;
      let live = all.filter((d) => d.marker?.kind === 'fixture' || d.marker?.kind === 'spare').length;
      while (have < n && live < max) {
        const name = spareName(prefix, hash);
        await this.admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(tpl)}`);
        await this.comment(name, { v: 1, kind: 'spare', owner: 'steg-db-fixture', run: '', created: new Date().toISOString(), template: tpl });
        have++;
        live++;
        made++;
      }
    } finally {
      await unlockExclusive(this.admin, CAP_LOCK).catch(() => undefined);
    }
    return made;
  }

  private async dropRole(role: string): Promise<void> {
    const { rows } = await this.admin.query<{ comment: string | null }>(
      `SELECT shobj_description(oid, 'pg_authid') AS comment FROM pg_roles WHERE rolname = $1`,
      [role],
    );
    if (rows[0] && parseMarker(rows[0].comment)?.kind === 'role') await this.admin.query(`DROP ROLE IF EXISTS ${quoteIdent(role)}`);
  }

  /** Ends every session on the database, then drops it (callers have checked the marker). */
  private async dropDatabase(name: string, template: boolean): Promise<void> {
    if (template) await this.admin.query(`ALTER DATABASE ${quoteIdent(name)} WITH IS_TEMPLATE false`).catch(() => undefined);
    await this.admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    await this.admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  }

  private async gcNow(o: { templateTtlMs?: number; now?: number; dryRun?: boolean }): Promise<GcSummary> {
    const now = o.now ?? Date.now();
    const templateTtl = o.templateTtlMs ?? 24 * 3600_000;
    const out: GcSummary = { fixtures: [], spares: [], templates: [], builds: [], roles: [] };
    const all = await this.marked();
    const liveTemplates = new Set<string>();
    for (const d of all) {
      const m = d.marker;
      if (m?.kind !== 'fixture') continue;
      if (expiresAt(m) <= now) {
        if (!o.dryRun) {
          await this.dropDatabase(d.name, false);
          if (m.role) await this.dropRole(m.role);
        }
        out.fixtures.push(d.name);
      } else if (m.template) {
        liveTemplates.add(m.template);
      }
    }
    for (const d of all) {
      const m = d.marker;
      if (m?.kind === 'build' && m.template) {
        // A builder holds the template's exclusive lock for the whole build; no lock means it died.
        if (!(await tryLockExclusive(this.admin, m.template))) continue;
        try {
          if (!o.dryRun) await this.dropDatabase(d.name, true);
          out.builds.push(d.name);
        } finally {
          await unlockExclusive(this.admin, m.template).catch(() => undefined);
        }
      } else if (m?.kind === 'template' && !liveTemplates.has(d.name) && Date.parse(m.created) + templateTtl <= now) {
        // Creates hold the shared lock from the existence check to the clone; skip when one is under way.
        if (!(await tryLockExclusive(this.admin, d.name))) continue;
        try {
          if (!o.dryRun) await this.dropDatabase(d.name, true);
          out.templates.push(d.name);
        } finally {
          await unlockExclusive(this.admin, d.name).catch(() => undefined);
        }
      }
    }
    // Spares of templates that are gone (just now, or earlier): nobody can claim them any more.
    const templates = new Set(all.filter((d) => d.marker?.kind === 'template' && !out.templates.includes(d.name)).map((d) => d.name));
    const orphans = all.filter((d) => d.marker?.kind === 'spare' && !templates.has(d.marker.template ?? ''));
    if (orphans.length) {
      await lockExclusive(this.admin, CAP_LOCK);
      try {
        for (const d of orphans) {
          if (!o.dryRun) await this.dropDatabase(d.name, false);
          out.spares.push(d.name);
        }
      } finally {
        await unlockExclusive(this.admin, CAP_LOCK).catch(() => undefined);
      }
    }
    // Roles whose fixture is gone (dropped by hand, or a crash between the two drops).
    const { rows } = await this.admin.query<{ rolname: string; comment: string | null }>(
      `SELECT rolname, shobj_description(oid, 'pg_authid') AS comment FROM pg_roles WHERE shobj_description(oid, 'pg_authid') LIKE ${quoteLiteral(`${MARKER_PREFIX}%`)}`,
    );
    const existing = new Set((await this.admin.query<{ datname: string }>('SELECT datname FROM pg_database')).rows.map((r) => r.datname));
    for (const r of rows) {
      const m = parseMarker(r.comment);
      if (m?.kind !== 'role' || (m.template && existing.has(m.template))) continue;
      if (!o.dryRun) await this.admin.query(`DROP ROLE IF EXISTS ${quoteIdent(r.rolname)}`);
      out.roles.push(r.rolname);
    }
    return out;
  }
}

/** The hash part of a template name (for spare names). */
function parseMarkerHash(tpl: string): string {
  return tpl.slice(tpl.lastIndexOf('_') + 1);
}

/** Grants the group role everything in every user schema of the template, so fixture roles can use it. */
async function grantAll(c: pg.Client, group: string): Promise<void> {
  await c.query(`DO $grant$
DECLARE s text;
BEGIN
  FOR s IN SELECT nspname FROM pg_namespace
            WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp%'
  LOOP
    EXECUTE format('GRANT USAGE, CREATE ON SCHEMA %I TO %I', s, ${quoteLiteral(group)});
    EXECUTE format('GRANT ALL ON ALL TABLES IN SCHEMA %I TO %I', s, ${quoteLiteral(group)});
    EXECUTE format('GRANT ALL ON ALL SEQUENCES IN SCHEMA %I TO %I', s, ${quoteLiteral(group)});
    EXECUTE format('GRANT ALL ON ALL ROUTINES IN SCHEMA %I TO %I', s, ${quoteLiteral(group)});
  END LOOP;
END $grant$`);
}

/** Creates one fixture: connects, builds the template if needed, clones it, disconnects. */
export async function createFixture(o: ServerOptions & CreateOptions): Promise<Fixture> {
  const t0 = performance.now();
  const s = await FixtureServer.open(o);
  try {
    const f = await s.create(o);
    return { ...f, durationMs: Math.round(performance.now() - t0) };
  } finally {
    await s.close();
  }
}

/** Drops one fixture by name; refuses databases without the fixture marker. False when it was already gone. */
export async function dropFixture(o: Pick<ServerOptions, 'adminUrl' | 'connectTimeoutMs' | 'log' | 'signal' | 'prefix'> & DropOptions & { database: string }): Promise<boolean> {
  const s = await FixtureServer.open(o);
  try {
    return await s.drop(o.database, o);
  } finally {
    await s.close();
  }
}

/** Removes expired fixtures and unused templates on a server. */
export async function gcFixtures(
  o: Pick<ServerOptions, 'adminUrl' | 'connectTimeoutMs' | 'log' | 'signal' | 'prefix'> & { templateTtlMs?: number; now?: number; dryRun?: boolean },
): Promise<GcSummary> {
  const s = await FixtureServer.open(o);
  try {
    return await s.gc(o);
  } finally {
    await s.close();
  }
}

/** Blocks until the server accepts queries on the database (default: the URL's), or fails after timeoutMs. */
export async function waitForPostgres(o: { url: string; database?: string; timeoutMs?: number; signal?: AbortSignal; log?: Logger }): Promise<number> {
  const t0 = performance.now();
  const server = parseServerUrl(o.url);
  const db = o.database || server.database;
  const deadline = Date.now() + (o.timeoutMs ?? 60_000);
  for (;;) {
    const c = await connect(server, db, { timeoutMs: Math.max(0, deadline - Date.now()), signal: o.signal, log: o.log, waitForDatabase: true });
    try {
      await c.query('SELECT 1');
      return Math.round(performance.now() - t0);
    } catch (err) {
      // Accepted the connection but not the query (shutting down after an init phase): try again.
      if (Date.now() >= deadline) throw new StepError(`${describeServer(server, db)} accepted a connection but not a query: ${(err as Error).message}`, ExitCode.failed);
    } finally {
      await c.end().catch(() => undefined);
    }
  }
}
