// The app's image (images/Containerfile pattern) run the way OpenShift runs it: an arbitrary
// UID in group 0, read-only root filesystem, /tmp as tmpfs; against a PostgreSQL container.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { promisify } from 'node:util';
import { buildStepImage, testdir } from '@steg/test-support';
import { freePort } from '../../../scripts/demo/free-port.ts';
import { call, seededDatabase } from './helpers.ts';

const run = promisify(execFile);
const docker = async (...args: string[]): Promise<string> => (await run('docker', args, { maxBuffer: 10 * 1024 * 1024 })).stdout.trim();

test('the image serves the API as an arbitrary UID on a read-only root filesystem, and stops cleanly on SIGTERM', async () => {
  const image = await buildStepImage('step-counter');
  await using db = await seededDatabase();
  const port = await freePort();
  const name = `steg-step-counter-${randomBytes(4).toString('hex')}`;
  const url = `http://127.0.0.1:${port}`;
  // The URL goes in through an env file, so the password is not on a command line either.
  await using env = testdir({ 'app.env': `DATABASE_URL=${db.url}\nPORT=${port}\nHOST=127.0.0.1\nAPP_COMMIT=0123456789abcdef\n` });
  await docker(
    'run', '-d', '--name', name,
    '--network', 'host', '--user', `${randomInt(100_000, 2_000_000_000)}:0`,
    '--read-only', '--tmpfs', '/tmp:rw,mode=1777', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges',
    '--env-file', `${env.path}/app.env`,
    image,
  );
  try {
    let ready = false;
    for (let i = 0; i < 150 && !ready; i++) {
      ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
      if (!ready) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(ready, `the app became ready:\n${await docker('logs', name).catch(String)}`);

    assert.deepEqual((await call(url, '/healthz')).body, { status: 'ok', database: 'ok' });
    const version = await call(url, '/version');
    assert.equal(version.body.commit, '0123456789abcdef');
    const posted = await call(url, '/api/entries', { json: { user: 'image-test', team: 'image-team', date: '2026-11-20', steps: 6543 } });
    assert.equal(posted.status, 201);
    const summary = await call(url, '/api/summary?user=image-test&from=2026-11-16&to=2026-11-22');
    assert.equal(summary.body.total, 6543);
    const board = await call(url, '/api/leaderboard?team=fjallravar&from=2026-11-16&to=2026-11-22');
    assert.ok((board.body.leaders as unknown[]).length > 0);
    assert.equal((await call(url, '/api/entries', { json: { user: 'image-test', date: 'nope', steps: 1 } })).body.field, 'date');

    await docker('stop', '-t', '10', name);
    assert.equal(await docker('inspect', '-f', '{{.State.ExitCode}}', name), '0', 'SIGTERM stops it with exit code 0');
    const logs = await docker('logs', name);
    assert.match(logs, /"message":"stopped"/);
    assert.ok(!logs.includes('steg-test-password'), 'the database password is not logged');
  } finally {
    await docker('rm', '-f', name).catch(() => undefined);
  }
});
