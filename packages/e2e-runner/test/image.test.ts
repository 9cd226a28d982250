// The e2e-runner image run as Tekton runs it (arbitrary UID in group 0, read-only root fs,
// HOME=/tmp, workspaces and a Secret mounted): one small run of step-counter's suite against
// step-counter on PostgreSQL, reached over --network host. Building the Chromium image is slow
// on 2 cores, so this is the only image run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildStepImage, dockerAvailable, runStepImage, testdir } from '@steg/test-support';
import { seededDatabase, startApp } from '../../step-counter/test/helpers.ts';

const stepCounter = new URL('../../step-counter/', import.meta.url).pathname;
const CANARY = 'canary-image-9c41d';

test('the image runs step-counter\'s suite in its own Chromium against the app: results, reports, no secret in output', { timeout: 900_000 }, async () => {
  assert.ok(dockerAvailable(), 'a Docker engine is needed (npm test provisions it)');
  const image = await buildStepImage('e2e-runner');
  await using db = await seededDatabase();
  await using app = await startApp(db.url);
  const version = ((await (await fetch(`${app.url}/version`)).json()) as { version: string }).version;
  await using source = testdir({}, 'steg-e2e-img-src-');
  cpSync(join(stepCounter, 'e2e'), join(source.path, 'e2e'), { recursive: true });
  cpSync(join(stepCounter, 'package.json'), join(source.path, 'package.json'));
  await using reports = testdir({}, 'steg-e2e-img-reports-');

  const r = await runStepImage(image, {
    args: [
      '--url', app.url, '--expected-version', version, '--wait-interval', '500ms',
      '--suite', '/workspace/source', '--reports', '/workspace/reports', '--secrets-dir', '/secrets/e2e-credentials',
      // One test keeps the image run small; the whole suite runs in step-counter.test.ts.
      '--grep', 'invalid step count',
    ],
    workspaces: { source: source.path, reports: reports.path },
    secrets: { 'e2e-credentials': { 'e2e-password': CANARY } },
    timeoutMs: 300_000,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual([r.results.passed, r.results.failed, r.results.flaky, r.results.skipped], ['1', '0', '0', '0'], r.stderr);
  assert.equal(r.results['report-path'], '/workspace/reports');
  assert.match(r.results.summary ?? '', /^passed: 1 passed, 0 failed/);
  assert.match(r.stderr, /@playwright\/test 1\.65\.1; Chromium \/usr\/bin\/chromium/);
  assert.match(readFileSync(join(reports.path, 'junit.xml'), 'utf8'), /tests="1" failures="0"/);
  assert.ok(existsSync(join(reports.path, 'html', 'index.html')));
  assert.deepEqual(readdirSync(source.path).sort(), ['e2e', 'package.json'], 'the source workspace is only read');
  for (const text of [r.stdout, r.stderr, ...Object.values(r.results)]) assert.ok(!text.includes(CANARY));
});
