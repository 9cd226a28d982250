import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderJUnit } from './junit.ts';
import { toRunReport } from './report.ts';
import { buildSummary, compactSummary } from './summary.ts';
import { decide } from './verdict.ts';

const result = (status: string, retry: number, message?: string) => ({
  status,
  duration: 100,
  retry,
  errors: message ? [{ message: `\u001b[31m${message}\u001b[39m` }] : [],
  attachments: status === 'failed' ? [{ name: 'trace', path: '/r/test-results/x/trace.zip', contentType: 'application/zip' }] : [],
  stdout: [],
});
const spec = (title: string, line: number, status: string, results: ReturnType<typeof result>[]) => ({
  title, file: 'home.spec.ts', line, tests: [{ projectName: 'chromium', status, expectedStatus: 'passed', results }],
});
// The shape of Playwright's JSON reporter output: file suite > describe suite > specs.
const pw = {
  config: { rootDir: '/suite/e2e' },
  stats: { startTime: '2026-11-26T10:00:00.000Z', duration: 1234.5 },
  errors: [],
  suites: [{
    title: 'home.spec.ts', file: 'home.spec.ts', specs: [],
    suites: [{
      title: 'home', file: 'home.spec.ts',
      specs: [
        spec('loads', 3, 'expected', [result('passed', 0)]),
        spec('breaks', 7, 'unexpected', [result('failed', 0, 'Error: boom <b>'), result('failed', 1, 'Error: boom <b>')]),
        spec('wobbles', 11, 'flaky', [result('failed', 0, 'Error: first try'), result('passed', 1)]),
        spec('later', 15, 'skipped', [result('skipped', 0)]),
      ],
    }],
  }],
};

test('flattens the report: title paths, outcomes, errors without colours, failure artifacts', () => {
  const r = toRunReport(pw as never);
  assert.deepEqual(r.tests.map((t) => [t.titlePath.join(' › '), t.outcome, t.attempts]), [
    ['home › loads', 'passed', 1], ['home › breaks', 'failed', 2], ['home › wobbles', 'flaky', 2], ['home › later', 'skipped', 1],
  ]);
  assert.equal(r.tests[1]?.error, 'Error: boom <b>');
  assert.deepEqual(r.tests[1]?.artifacts, [{ name: 'trace', path: '/r/test-results/x/trace.zip' }]);
  assert.equal(r.durationMs, 1235);
});

test('a failure fails the run; a flaky test only with failOnFlaky', () => {
  const r = toRunReport(pw as never);
  const v = decide(r, { quarantine: [], failOnFlaky: false });
  assert.deepEqual([v.passed, v.failed, v.flaky, v.skipped, v.exitCode], [1, 1, 1, 1, 1]);
  const onlyFlaky = { ...r, tests: r.tests.filter((t) => t.outcome !== 'failed') };
  assert.equal(decide(onlyFlaky, { quarantine: [], failOnFlaky: false }).exitCode, 0);
  const strict = decide(onlyFlaky, { quarantine: [], failOnFlaky: true });
  assert.equal(strict.exitCode, 1);
  assert.match(strict.reasons.join(), /1 flaky test \(--fail-on-flaky\)/);
});

test('an active quarantine entry keeps a failure from failing the run; an expired one does not', () => {
  const r = toRunReport(pw as never);
  const today = new Date('2026-11-26T12:00:00Z');
  const active = decide(r, { quarantine: [{ test: 'home › breaks', expires: '2026-11-26' }], failOnFlaky: false, today });
  assert.deepEqual([active.failed, active.quarantined.length, active.exitCode], [0, 1, 0]);
  const expired = decide(r, { quarantine: [{ test: 'home › breaks', expires: '2026-11-25' }, { test: 'gone', expires: '2030-01-01' }], failOnFlaky: false, today });
  assert.deepEqual([expired.failed, expired.quarantined.length, expired.exitCode, expired.expired.length], [1, 0, 1, 1]);
  assert.deepEqual(expired.unmatched.map((e) => e.test), ['gone']);
});

test('JUnit: failure, skipped, and a flaky pass that says it is flaky; XML is escaped', () => {
  const r = toRunReport(pw as never);
  const v = decide(r, { quarantine: [], failOnFlaky: false });
  const xml = renderJUnit(r, v, { name: 'e2e', attachmentBase: '/r' });
  assert.match(xml, /<testsuites name="e2e" tests="4" failures="1" skipped="1" errors="0"/);
  assert.match(xml, /<testcase name="home › breaks" classname="home.spec.ts"[^>]*>[\s\S]*?<failure message="Error: boom &lt;b&gt;" type="FAILURE">/);
  assert.match(xml, /<testcase name="home › wobbles"[\s\S]*?<property name="flaky" value="true"\/>[\s\S]*?<flakyFailure message="Error: first try"[\s\S]*?<system-out>FLAKY: passed on attempt 2 after failing: Error: first try/);
  assert.doesNotMatch(xml.split('home › wobbles')[1]?.split('</testcase>')[0] ?? '', /<failure/);
  assert.match(xml, /<testcase name="home › later"[\s\S]*?<skipped\/>/);
  assert.match(xml, /\[\[ATTACHMENT\|test-results\/x\/trace.zip\]\]/);
});

test('summary and its one-line form', () => {
  const r = toRunReport(pw as never);
  const v = decide(r, { quarantine: [], failOnFlaky: false });
  const s = buildSummary(r, v, { reportDir: '/r', files: { html: 'h', junit: 'j', json: 'x' } });
  assert.equal(s.status, 'failed');
  assert.deepEqual(s.failures[0]?.artifacts, [{ name: 'trace', path: 'test-results/x/trace.zip' }]);
  assert.equal(compactSummary(s), 'failed: 1 passed, 1 failed, 1 flaky, 1 skipped in 1.2s; failed: home › breaks (home.spec.ts:7); flaky: home › wobbles');
  const many = { ...s, failures: Array.from({ length: 100 }, (_, i) => ({ ...s.failures[0]!, title: `test ${i}` })) };
  assert.ok(compactSummary(many).length <= 600);
  assert.match(compactSummary(many), /…$/);
});
