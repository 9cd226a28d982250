// step-counter's own Playwright suite, run through e2e-runner against a running step-counter on
// a real, seeded PostgreSQL (started the way step-counter's own tests start it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInProcess, testdir } from '@steg/test-support';
import { seededDatabase, startApp } from '../../step-counter/test/helpers.ts';
import { step } from '../src/step.ts';

const stepCounter = new URL('../../step-counter/', import.meta.url).pathname;

test("step-counter's suite passes against step-counter on PostgreSQL: results and reports say so", async () => {
  await using db = await seededDatabase();
  await using app = await startApp(db.url);
  const version = (await (await fetch(`${app.url}/version`)).json()) as { version: string };
  // The app repo as a pipeline's workspace has it: the suite, no node_modules.
  await using ws = testdir({}, 'steg-e2e-step-counter-');
  cpSync(join(stepCounter, 'e2e'), join(ws.path, 'e2e'), { recursive: true });
  cpSync(join(stepCounter, 'package.json'), join(ws.path, 'package.json'));
  const reports = join(ws.path, 'reports');

  const r = await runInProcess(step, ['--url', app.url, '--expected-version', version.version, '--suite', ws.path, '--reports', reports, '--wait-interval', '200ms']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual([r.results.passed, r.results.failed, r.results.flaky, r.results.skipped], ['4', '0', '0', '0'], r.stderr);
  assert.match(r.results.summary ?? '', /^passed: 4 passed, 0 failed, 0 flaky, 0 skipped in [\d.]+s$/);
  assert.match(r.stderr, new RegExp(`reports version ${version.version.replace(/\./g, '\\.')} and is ready`));

  const junit = readFileSync(join(reports, 'junit.xml'), 'utf8');
  assert.match(junit, /<testsuites name="e2e" tests="4" failures="0" skipped="0" errors="0"/);
  assert.doesNotMatch(junit, /<failure/);
  const summary = JSON.parse(readFileSync(join(reports, 'summary.json'), 'utf8'));
  assert.deepEqual([summary.status, summary.passed, summary.version], ['passed', 4, version.version]);
  assert.ok(existsSync(join(reports, 'html', 'index.html')));
});
