import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runInProcess, testdir } from '@steg/test-support';
import { step } from '../src/step.ts';
import { startFixtureServer } from './fixture-server.ts';
import { suiteWorkspace } from './helpers.ts';

const CANARY = 'canary-S3cret-7f3a9';

test('a suite with a failing, a flaky and a skipped test: exit 1, counts, JUnit, HTML, summary, traces; the secret never shows', async () => {
  await using app = await startFixtureServer({ version: '1.4.0' });
  // An ES-module suite with no node_modules: @playwright/test must come from the runner.
  using ws = suiteWorkspace('mixed', { esm: true });
  using secrets = testdir({ 'e2e-password': `${CANARY}\n` });
  const reports = join(ws.path, 'reports');
  const r = await runInProcess(step, [
    '--url', app.url, '--expected-version', '1.4.0', '--suite', ws.path, '--reports', reports,
    '--retries', '1', '--secrets-dir', secrets.path, '--wait-interval', '200ms',
  ]);
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual([r.results.passed, r.results.failed, r.results.flaky, r.results.skipped], ['2', '1', '1', '1']);
  assert.equal(r.results['report-path'], reports);
  assert.match(r.results.duration ?? '', /^\d+\.\ds$/);
  assert.match(r.results.summary ?? '', /^failed: 2 passed, 1 failed, 1 flaky, 1 skipped in [\d.]+s; failed: home › shows a heading that is not there @fails \(app.spec.ts:9\); flaky: flaky › passes on retry @flaky$/);
  assert.match(r.stderr, /FAILED home › shows a heading that is not there @fails/);
  assert.match(r.stderr, /password is \*\*\*/, 'the suite printed the secret; the runner masks it');

  const junit = readFileSync(join(reports, 'junit.xml'), 'utf8');
  assert.match(junit, /<testsuites name="e2e" tests="5" failures="1" skipped="1"/);
  assert.match(junit, /<testcase name="flaky › passes on retry @flaky"[\s\S]*?<property name="flaky" value="true"\/>[\s\S]*?<system-out>FLAKY: passed on attempt 2/);
  const summary = JSON.parse(readFileSync(join(reports, 'summary.json'), 'utf8'));
  assert.equal(summary.status, 'failed');
  assert.equal(summary.version, '1.4.0');
  const artifacts = summary.failures[0].artifacts.map((a: { name: string }) => a.name).sort();
  assert.deepEqual(artifacts, ['screenshot', 'trace']);
  for (const a of summary.failures[0].artifacts) assert.ok(existsSync(join(reports, a.path)), `${a.path} exists`);
  assert.ok(existsSync(join(reports, 'html', 'index.html')));

  for (const text of [r.stdout, r.stderr, junit, JSON.stringify(summary), readFileSync(join(reports, 'playwright-report.json'), 'utf8'), ...Object.values(r.results)]) {
    assert.ok(!text.includes(CANARY), 'the secret leaked');
  }
  assert.equal(readdirSync(ws.path).sort().join(), 'e2e,package.json,reports', 'nothing else was written into the workspace');
});

// --fail-on-flaky's verdict is covered by src/verdict.test.ts; a third browser run here would only add time.

test('quarantine: a listed failure cannot fail the run, a flaky test does not either, and an expired entry is reported', async () => {
  await using app = await startFixtureServer();
  using ws = suiteWorkspace('mixed', {
    files: {
      'e2e/quarantine.yaml': [
        '- test: home › shows a heading that is not there @fails',
        '  expires: 2999-12-31',
        '  reason: STEG-42 heading copy changes',
        '- test: home › shows the title @smoke',
        '  expires: 2020-01-01',
      ].join('\n'),
    },
  });
  const reports = join(ws.path, 'reports');
  const r = await runInProcess(step, ['--url', app.url, '--suite', ws.path, '--reports', reports, '--grep', '@fails|@flaky|@smoke', '--retries', '1', '--quarantine', 'e2e/quarantine.yaml', '--workers', '1']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual([r.results.passed, r.results.failed, r.results.flaky], ['1', '0', '1']);
  assert.match(r.results.summary ?? '', /1 quarantined/);
  assert.match(r.results.summary ?? '', /1 quarantine entry expired/);
  assert.match(r.stderr, /QUARANTINED home › shows a heading that is not there @fails failed \(until 2999-12-31: STEG-42/);
  assert.match(r.stderr, /quarantine entry for "home › shows the title @smoke" expired on 2020-01-01/);
  const junit = readFileSync(join(reports, 'junit.xml'), 'utf8');
  assert.match(junit, /<failure message="\[quarantined until 2999-12-31: STEG-42 heading copy changes\] /);
  const summary = JSON.parse(readFileSync(join(reports, 'summary.json'), 'utf8'));
  assert.equal(summary.status, 'passed');
  assert.equal(summary.quarantinedTests[0].title, 'home › shows a heading that is not there @fails');
  assert.equal(summary.expiredQuarantine[0].expires, '2020-01-01');
});

test('shards run into their own directories and merge mode merges them into one report', async () => {
  await using app = await startFixtureServer();
  using ws = suiteWorkspace('sharded');
  const reports = join(ws.path, 'reports');
  const common = ['--url', app.url, '--suite', ws.path, '--reports', reports];
  const one = await runInProcess(step, [...common, '--shard', '1/2']);
  const two = await runInProcess(step, [...common, '--shard', '2/2']);
  assert.deepEqual([one.code, two.code], [0, 1], one.stderr + two.stderr);
  assert.equal(one.results['report-path'], join(reports, 'shard-1-of-2'));
  assert.match(two.results.summary ?? '', /\(shard 2\/2\)/);

  const merged = await runInProcess(step, ['--mode', 'merge', '--reports', reports]);
  assert.equal(merged.code, 1, merged.stderr);
  assert.deepEqual([merged.results.passed, merged.results.failed], ['1', '1']);
  assert.equal(merged.results['report-path'], reports);
  assert.match(readFileSync(join(reports, 'junit.xml'), 'utf8'), /tests="2" failures="1"/);
  assert.ok(existsSync(join(reports, 'html', 'index.html')));
  assert.equal(JSON.parse(readFileSync(join(reports, 'summary.json'), 'utf8')).failures[0].title, 'two › expects a heading that is not there');
});
