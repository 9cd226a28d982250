import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
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

  // The failing test typed the password and put it in a URL: the trace and the HTML report held it.
  const leaks = filesHolding(reports, [CANARY, encodeURIComponent(CANARY), Buffer.from(CANARY).toString('base64').replace(/=+$/, '')]);
  assert.deepEqual(leaks, [], 'the secret leaked into report files');
  const trace = join(reports, summary.failures[0].artifacts.find((a: { name: string }) => a.name === 'trace').path);
  const entries = unzipSync(readFileSync(trace));
  const actions = Object.entries(entries).filter(([n]) => n.endsWith('.trace')).map(([, b]) => Buffer.from(b).toString('utf8')).join('\n');
  assert.ok(actions.length > 0, `the trace has action entries (${Object.keys(entries).join(', ')})`);
  assert.match(actions, /"value":"\*\*\*"/, 'the trace still opens, with the typed password masked');
});

/** Report files (zips and HTML-embedded zips opened, at any depth) whose bytes hold any of the needles. */
function filesHolding(dir: string, needles: string[]): string[] {
  const hits: string[] = [];
  const check = (where: string, data: Uint8Array, name: string): void => {
    const buf = Buffer.from(data);
    if (needles.some((n) => buf.includes(n))) hits.push(where);
    if (name.endsWith('.zip')) {
      for (const [inner, bytes] of Object.entries(unzipSync(data))) check(`${where}!${inner}`, bytes, inner);
    }
    if (name.endsWith('.html')) {
      for (const m of buf.toString('utf8').matchAll(/data:application\/zip;base64,([A-Za-z0-9+/=]+)/g)) check(`${where}!embedded.zip`, Buffer.from(m[1] ?? '', 'base64'), 'embedded.zip');
    }
  };
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else check(p, readFileSync(p), e.name);
    }
  };
  walk(dir);
  return hits;
}

// --fail-on-flaky's verdict is covered by src/verdict.test.ts, quarantine in the merge test below:
// every browser run here costs seconds on a shared 2-core machine.

test('shards: a flaky shard passes, a failing one fails; merge makes one report, and quarantine keeps the failure from failing it', async () => {
  await using app = await startFixtureServer();
  using ws = suiteWorkspace('sharded', {
    files: {
      'e2e/quarantine.yaml': [
        '- test: two › expects a heading that is not there',
        '  expires: 2999-12-31',
        '  reason: STEG-42 heading copy changes',
        '- test: one › shows the heading',
        '  expires: 2020-01-01',
      ].join('\n'),
    },
  });
  const reports = join(ws.path, 'reports');
  const common = ['--url', app.url, '--suite', ws.path, '--reports', reports, '--retries', '1'];
  const one = await runInProcess(step, [...common, '--shard', '1/2']);
  assert.equal(one.code, 0, one.stderr);
  assert.deepEqual([one.results.passed, one.results.failed, one.results.flaky], ['1', '0', '1']);
  assert.equal(one.results['report-path'], join(reports, 'shard-1-of-2'));
  assert.match(one.results.summary ?? '', /^passed: 1 passed, 0 failed, 1 flaky, 0 skipped in [\d.]+s \(shard 1\/2\); flaky: one › passes on retry$/);
  assert.match(readFileSync(join(reports, 'shard-1-of-2', 'junit.xml'), 'utf8'), /<testcase name="one › passes on retry"[\s\S]*?<flakyFailure/);
  const two = await runInProcess(step, [...common, '--shard', '2/2']);
  assert.equal(two.code, 1, two.stderr);
  assert.deepEqual([two.results.passed, two.results.failed], ['0', '1']);

  const merged = await runInProcess(step, ['--mode', 'merge', '--reports', reports]);
  assert.equal(merged.code, 1, merged.stderr);
  assert.deepEqual([merged.results.passed, merged.results.failed, merged.results.flaky], ['1', '1', '1']);
  assert.equal(merged.results['report-path'], reports);
  assert.match(readFileSync(join(reports, 'junit.xml'), 'utf8'), /tests="3" failures="1"/);
  assert.ok(existsSync(join(reports, 'html', 'index.html')));
  assert.equal(JSON.parse(readFileSync(join(reports, 'summary.json'), 'utf8')).failures[0].title, 'two › expects a heading that is not there');

  // The same merge with the quarantine list: the listed failure runs and is reported, but passes the run.
  const q = await runInProcess(step, ['--mode', 'merge', '--reports', reports, '--suite', ws.path, '--quarantine', 'e2e/quarantine.yaml']);
  assert.equal(q.code, 0, q.stderr);
  assert.deepEqual([q.results.passed, q.results.failed, q.results.flaky], ['1', '0', '1']);
  assert.match(q.results.summary ?? '', /1 quarantined/);
  assert.match(q.results.summary ?? '', /1 quarantine entry expired/);
  assert.match(q.stderr, /QUARANTINED two › expects a heading that is not there failed \(until 2999-12-31: STEG-42/);
  assert.match(q.stderr, /quarantine entry for "one › shows the heading" expired on 2020-01-01/);
  assert.match(readFileSync(join(reports, 'junit.xml'), 'utf8'), /<failure message="\[quarantined until 2999-12-31: STEG-42 heading copy changes\] /);
  const summary = JSON.parse(readFileSync(join(reports, 'summary.json'), 'utf8'));
  assert.equal(summary.status, 'passed');
  assert.equal(summary.quarantinedTests[0].title, 'two › expects a heading that is not there');
  assert.equal(summary.expiredQuarantine[0].expires, '2020-01-01');
});
