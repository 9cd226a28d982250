import { defineStep, param } from '@steg/step-kit';
import type { StepContext } from '@steg/step-kit';

const params = {
  mode: param.enum(['create', 'drop', 'gc', 'wait'] as const, { description: 'create a fixture, drop one, gc expired ones, or wait for the server', default: 'create' }),
  'admin-url': param.secret({
    description: 'admin connection URL postgresql://user:password@host:port/database (CREATEDB; CREATEROLE for fixture-role); from a mounted Secret file',
  }),
  'server-url': param.url({
    description: 'instead of admin-url, for a server that needs no password (a sidecar with trust auth on 127.0.0.1): postgresql://user@host:port/database',
    default: '',
    protocols: ['postgres:', 'postgresql:'],
  }),
  migrations: param.path({ description: 'folder of Flyway-style V<version>__<name>.sql and R__<name>.sql migrations (create)', default: '', mustExist: true, type: 'dir' }),
  seeds: param.path({ description: 'folder of seed files: .sql, <table>.csv (with a header line) and <table>.json (array of objects), in file-name order (create)', default: '', mustExist: true, type: 'dir' }),
  'run-id': param.string({ description: 'PipelineRun name or any id, part of the fixture name and marker (default: env STEG_RUN_ID, else "local")', default: '' }),
  owner: param.string({ description: 'who the fixture is for, recorded in its marker', default: 'steg' }),
  database: param.string({ description: 'the fixture to drop (drop), or the database to wait for (wait; default the admin URL\'s)', default: '', pattern: /^[^\0]{1,63}$/, patternHint: 'a database name of 1 to 63 characters' }),
  'connection-file': param.path({ description: 'file that receives the full connection URL, password included (create writes it; drop reads the database from it and removes it)', default: '' }),
  ttl: param.duration({ description: 'how long a fixture lives before gc removes it', default: '2h', min: '1s' }),
  'template-ttl': param.duration({ description: 'gc removes templates no live fixture uses once they are older than this', default: '24h', min: '0s' }),
  'max-fixtures': param.int({ description: 'create fails when this many fixtures exist on the server', default: 50, min: 1 }),
  spares: param.int({ description: 'drop: then clone the fixture\'s template until it has this many spares, so the next create only renames one (0 turns this off)', default: 1, min: 0, max: 20 }),
  'fixture-role': param.bool({ description: 'create a login role with a generated password that owns only the fixture database', default: false }),
  prefix: param.string({ description: 'name prefix of fixture, template and role names', default: 'steg_fx', pattern: /^[a-z][a-z0-9_]{1,19}$/, patternHint: 'a lower-case identifier of 2 to 20 characters' }),
  'wait-timeout': param.duration({ description: 'how long to wait for the server to accept connections (all modes)', default: '2m', min: '1s' }),
};

const results = {
  database: { description: 'the fixture database name (create, drop), or the database waited for (wait)' },
  host: { description: 'the server host' },
  port: { description: 'the server port' },
  user: { description: 'the user to connect as (the fixture role, or the admin user)' },
  url: { description: 'connection URL without the password (the full one is in connection-file)' },
  template: { description: 'the template database the fixture was cloned from' },
  'duration-ms': { description: 'how long the step took to do its work, in milliseconds' },
};

/** What the step's run receives. */
export type DbFixtureContext = StepContext<typeof params, typeof results>;

/** The db-fixture step: isolated, migrated and seeded PostgreSQL databases for pipeline runs and tests. */
export const step = defineStep({
  name: 'db-fixture',
  description:
    'Hands out an isolated PostgreSQL database, migrated and seeded, cloned from a template database (create); drops it (drop); removes expired fixtures and unused templates (gc); or waits until a server accepts queries (wait).',
  params,
  results,
  deadline: '30m',
  exitCodes: { 5: 'create refused: the server already has max-fixtures fixtures' },
  examples: [
    'STEG_ADMIN_URL_FILE=/secrets/pg/url steg-db-fixture --migrations db/migrations --seeds db/seeds --connection-file /workspace/conn/database-url',
    'STEG_ADMIN_URL_FILE=/secrets/pg/url steg-db-fixture --mode drop --database steg_fx_build_42_k3j9x0qa',
    'STEG_ADMIN_URL_FILE=/secrets/pg/url steg-db-fixture --mode gc',
    'STEG_ADMIN_URL=postgresql://postgres@127.0.0.1:5432/postgres steg-db-fixture --mode wait --wait-timeout 60s',
  ],
  async run(ctx): Promise<number> {
    const { runMode } = await import('./run.ts');
    return runMode(ctx);
  },
});
