// load-test against the real app: step-counter on a migrated, seeded PostgreSQL, loaded with
// its own profile (packages/step-counter/load/profile.yaml) for a couple of seconds.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInProcess, testdir } from '@steg/test-support';
import { step } from '../src/step.ts';
import type { RunSummary } from '../src/summary.ts';
import { seededDatabase, startApp } from '../../step-counter/test/helpers.ts';

const profile = new URL('../../step-counter/load/profile.yaml', import.meta.url).pathname;

describe('load-test against step-counter', () => {
  it('loads every route of the profile without errors and checks all its thresholds', async () => {
    await using db = await seededDatabase();
    await using app = await startApp(db.url);
    await using dir = testdir();
    // A gentle open-model rate: the app, its database and the generator share this machine.
    const r = await runInProcess(step, ['--target', app.url, '--profile', profile, '--rate', '40', '--connections', '8', '--duration', '2s', '--warmup', '500ms', '--report-dir', 'out', '--progress-interval', '1s', '--max-generator-lag', '2s', '--max-generator-cpu', '400'], { cwd: dir.path });
    const s = JSON.parse(readFileSync(join(dir.path, 'out', 'summary.json'), 'utf8')) as RunSummary;
    assert.deepEqual(Object.keys(s.routes), ['summary', 'leaderboard', 'entries', 'record', 'version']);
    for (const [name, route] of Object.entries(s.routes)) {
      assert.ok(route.requests > 0, `route ${name} got no requests`);
      assert.equal(route.errors, 0, `route ${name}: ${JSON.stringify({ status: route.status, timeouts: route.timeouts, conn: route.connErrors })}`);
    }
    // Weights 5:3:2:1:1 give the summary route the largest share.
    assert.ok(s.routes.summary!.requests > s.routes.record!.requests * 2);
    assert.deepEqual(s.thresholds.map((t) => `${t.route ?? 'all'} ${t.threshold}`), ['summary p(99)<300ms', 'leaderboard p(99)<300ms', 'record p(99)<500ms', 'all p(95)<200ms', 'all error_rate<1%']);
    // Whatever this machine's speed, the exit code follows the thresholds (and, when they hold,
    // whether the asked rate was actually sent).
    const allOk = s.thresholds.every((t) => t.ok);
    const limited = s.limited.generator.length + s.limited.connections.length > 0;
    const expected = !allOk ? 1 : limited ? 3 : 0;
    assert.equal(r.code, expected, r.stderr);
    assert.equal(r.results.verdict, ['pass', 'fail', '', 'inconclusive'][expected]);
    assert.match(r.stderr, /^1(\.\d+)?s\/2s: \d+ req\/s, 0 errors, p99 so far [\d.]+m?s$/m, 'a progress line while loading');
  });
});
