// The db-fixture image run as Tekton runs it (arbitrary UID in group 0, read-only root fs,
// HOME=/tmp, the admin URL from a mounted Secret, migrations from a workspace): against an
// external PostgreSQL container (steg-db-fixture and -drop), and against PostgreSQL sharing the
// step's network namespace the way a sidecar shares the pod's (steg-db-fixture-sidecar).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { IMAGES, buildStepImage, dockerAvailable, runStepImage, startPostgres, testdir } from '@steg/test-support';
import { CANARY, MIGRATIONS, SEEDS, databases, query } from './helpers.ts';

const run = promisify(execFile);

test('the image creates a fixture from workspace migrations with the admin URL from a Secret, then drops it', { timeout: 600_000 }, async () => {
  assert.ok(dockerAvailable(), 'a Docker engine is needed (npm test provisions it)');
  const image = await buildStepImage('db-fixture');
  await using pgc = await startPostgres({ user: 'admin', password: CANARY, database: 'postgres' });
  await using source = testdir(Object.fromEntries([
    ...Object.entries(MIGRATIONS).map(([k, v]) => [`db/migrations/${k}`, v]),
    ...Object.entries(SEEDS).map(([k, v]) => [`db/seeds/${k}`, v]),
  ]), 'steg-dbfx-img-src-');
  await using connection = testdir({}, 'steg-dbfx-img-conn-');
  const secrets = { 'pg-admin': { 'admin-url': pgc.url } };

  const r = await runStepImage(image, {
    args: ['--mode=create', '--admin-url-file=/secrets/pg-admin/admin-url', '--migrations=/workspace/source/db/migrations', '--seeds=/workspace/source/db/seeds', '--connection-file=/workspace/connection/database-url', '--run-id=image-run'],
    workspaces: { source: source.path, connection: connection.path },
    secrets,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.results.database ?? '', /^steg_fx_image_run_[a-z0-9]{8}$/);
  assert.equal(r.results.url, `postgresql://admin@${pgc.getHost()}:${pgc.getPort()}/${r.results.database}`);
  assert.deepEqual(Object.keys(r.results).sort(), ['database', 'duration-ms', 'host', 'port', 'template', 'url', 'user']);
  for (const text of [r.stdout, r.stderr, ...Object.values(r.results)]) assert.ok(!text.includes(CANARY), 'no admin password in output or results');
  const full = readFileSync(join(connection.path, 'database-url'), 'utf8');
  assert.equal((await query(full, 'SELECT count(*)::int AS n FROM steps'))[0]?.n, 3);
  assert.deepEqual(readdirSync(join(source.path, 'db')).sort(), ['migrations', 'seeds'], 'the source workspace is only read');

  const bad = await runStepImage(image, { args: ['--mode=drop', '--admin-url-file=/secrets/pg-admin/admin-url', '--database=postgres'], secrets });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /refusing to drop database postgres/);

  const d = await runStepImage(image, {
    args: ['--mode=drop', '--admin-url-file=/secrets/pg-admin/admin-url', `--database=${r.results.database}`],
    secrets,
  });
  assert.equal(d.code, 0, d.stderr);
  assert.ok(!(await databases(pgc.url)).includes(r.results.database as string));
});

test('sidecar: wait blocks until PostgreSQL in the shared network namespace accepts queries, then create migrates', { timeout: 600_000 }, async () => {
  assert.ok(dockerAvailable(), 'a Docker engine is needed (npm test provisions it)');
  const image = await buildStepImage('db-fixture');
  const name = `steg-dbfx-sidecar-${randomBytes(4).toString('hex')}`;
  // As in steg-db-fixture-sidecar: trust auth, loopback only, durability off. The local image
  // ignores POSTGRES_HOST_AUTH_METHOD (the official one honours it), so the test initialises the
  // cluster with trust itself; the step sees the same thing: nothing listening, then a server.
  const init = 'set -e; mkdir -p /tmp/pg; chown postgres /tmp/pg; exec setpriv --reuid=postgres --regid=postgres --init-groups sh -c '
    + '"initdb -D /tmp/pg/data -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null && exec postgres -D /tmp/pg/data -k /tmp/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"';
  await run('docker', ['run', '-d', '--name', name, '--label', 'org.testcontainers=true', '--entrypoint', 'sh', IMAGES.postgres, '-c', init]);
  try {
    await using source = testdir(Object.fromEntries(Object.entries(MIGRATIONS).map(([k, v]) => [`migrations/${k}`, v])), 'steg-dbfx-img-sc-');
    const network = `container:${name}`;
    const server = '--server-url=postgresql://postgres@127.0.0.1:5432/postgres';
    // Started right after the server container: it is still running its init phase.
    const w = await runStepImage(image, { args: ['--mode=wait', server, '--wait-timeout=60s'], network });
    assert.equal(w.code, 0, w.stderr);
    assert.equal(w.results.database, 'postgres');
    await using conn = testdir({}, 'steg-dbfx-img-sc-conn-');
    const c = await runStepImage(image, {
      args: ['--mode=create', server, '--migrations=/workspace/source/migrations', '--connection-file=/workspace/conn/database-url'],
      workspaces: { source: source.path, conn: conn.path },
      network,
    });
    assert.equal(c.code, 0, c.stderr);
    assert.equal(c.results.host, '127.0.0.1');
    assert.equal(readFileSync(join(conn.path, 'database-url'), 'utf8'), c.results.url, 'no password: the URL in the file is the result');
  } finally {
    await run('docker', ['rm', '-f', '-v', name]).catch(() => undefined);
  }
});
