import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInProcess, testdir } from '@steg/test-support';
import { step } from '../src/step.ts';
import type { RunSummary } from '../src/summary.ts';
import { decodeHistogram, mergeHistograms, percentileMs } from '../src/histogram.ts';
import { startTestServer } from './server.ts';

// Short, gentle runs: the suite shares 2 cores, so nothing here depends on throughput.
// The generator checks are relaxed (except where saturation is the point) so a busy
// machine cannot turn a verdict into INCONCLUSIVE.
const RELAXED = ['--max-generator-lag', '2s', '--max-generator-cpu', '400'];

function readSummary(dir: string): RunSummary {
  return JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RunSummary;
}

describe('load-test against a local server', () => {
  it('evaluates every kind of threshold, per route too, and reports each as a JUnit case', async () => {
    await using srv = await startTestServer();
    await using dir = testdir({
      'profile.yaml': [
        'routes:',
        '  - name: fast',
        '    path: /ok',
        '    headers: { accept: application/json }',
        '    weight: 3',
        '    thresholds: ["min<60ms", "error_rate<1%"]',
        '  - name: slow',
        '    path: /slow?ms=60',
        '    thresholds: ["p(50)>=60ms", "max<60ms", "avg<60ms"]',
        'thresholds: ["rps>20", "rps>1000", "p(99.9)<30s", "med<1us"]',
        '',
      ].join('\n'),
    });
    const r = await runInProcess(step, ['--target', srv.url, '--profile', 'profile.yaml', '--rate', '80', '--duration', '1s', '--warmup', '0', '--report-dir', 'out', ...RELAXED], { cwd: dir.path });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.results.verdict, 'fail');
    const s = readSummary(join(dir.path, 'out'));
    const byName = Object.fromEntries(s.thresholds.map((t) => [`${t.route ?? 'all'} ${t.threshold}`, t.ok]));
    assert.deepEqual(byName, {
      'fast min<60ms': true,
      'fast error_rate<1%': true,
      'slow p(50)>=60ms': true,
      'slow max<60ms': false,
      'slow avg<60ms': false,
      'all rps>20': true,
      'all rps>1000': false,
      'all p(99.9)<30s': true,
      'all med<1us': false,
    });
    // The weights shape the mix: three fast requests for each slow one.
    assert.ok(s.routes.fast!.requests > s.routes.slow!.requests * 2, JSON.stringify([s.routes.fast!.requests, s.routes.slow!.requests]));
    assert.equal(srv.lastHeaders?.accept ?? 'application/json', 'application/json');
    const junit = readFileSync(join(dir.path, 'out', 'junit.xml'), 'utf8');
    assert.equal((junit.match(/<testcase classname="load-test.thresholds"/g) ?? []).length, 9);
    assert.equal((junit.match(/<failure /g) ?? []).length, 4);
    assert.match(junit, /name="slow: max&lt;60ms"/);
    const md = readFileSync(join(dir.path, 'out', 'summary.md'), 'utf8');
    assert.match(md, /## Load test: FAIL/);
    const html = readFileSync(join(dir.path, 'out', 'report.html'), 'utf8');
    assert.match(html, /<svg[^>]*aria-label="Latency over time"/);
    assert.match(html, /<svg[^>]*aria-label="Latency distribution"/);
    assert.doesNotMatch(html, /<script|<link|<img|src=|href=|url\(/i, 'the report is self-contained: nothing is fetched');
    assert.deepEqual(JSON.parse(r.results.summary as string).broken.sort(), ['med<1us', 'rps>1000', 'slow: avg<60ms', 'slow: max<60ms']);
  });

  it('passes when every threshold holds, single URL from params', async () => {
    await using srv = await startTestServer();
    await using dir = testdir();
    const r = await runInProcess(step, ['--target', `${srv.url}/slow?ms=5`, '--thresholds', 'p(95)<20s,error_rate<1%', '--rate', '40', '--duration', '1s', '--warmup', '0', '--report-dir', 'out', ...RELAXED], { cwd: dir.path });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.results.verdict, 'pass');
    assert.equal(r.results.report, join(dir.path, 'out', 'report.html'));
    assert.ok((srv.requests.get('/slow') ?? 0) > 0);
    assert.match(r.stderr, /verdict: PASS/);
  });

  it('classifies errors: non-2xx by status, timeouts, connection errors', async () => {
    await using srv = await startTestServer();
    await using dir = testdir({
      'profile.json': {
        routes: [
          { name: 'ok', path: '/ok', weight: 2 },
          { name: 'fail', path: '/fail' },
          { name: 'missing', path: '/missing' },
          { name: 'hang', path: '/hang' },
          { name: 'close', path: '/close' },
        ],
        thresholds: ['error_rate<1%'],
      },
    });
    const r = await runInProcess(step, ['--target', srv.url, '--profile', 'profile.json', '--rate', '60', '--connections', '20', '--timeout', '300ms', '--duration', '1s', '--warmup', '0', '--report-dir', 'out', ...RELAXED], { cwd: dir.path });
    assert.equal(r.code, 1, r.stderr);
    const s = readSummary(join(dir.path, 'out'));
    const { ok, fail, missing, hang, close } = s.routes as Record<string, RunSummary['overall']>;
    assert.equal(ok!.errors, 0);
    assert.ok(ok!.requests > 0);
    assert.deepEqual(Object.keys(fail!.status), ['500']);
    assert.equal(fail!.errors, fail!.requests);
    assert.deepEqual(Object.keys(missing!.status), ['404']);
    assert.ok(hang!.timeouts > 0 && hang!.requests === 0, JSON.stringify(hang));
    assert.equal(Object.keys(hang!.connErrors).length, 0);
    const closeErrors = Object.values(close!.connErrors).reduce((a, b) => a + b, 0);
    assert.ok(closeErrors > 0 && close!.requests === 0 && close!.timeouts === 0, JSON.stringify(close));
    assert.equal(s.overall.errors, s.overall.non2xx + s.overall.timeouts + closeErrors);
    assert.equal(s.overall.non2xx, fail!.requests + missing!.requests);
    const md = readFileSync(join(dir.path, 'out', 'summary.md'), 'utf8');
    assert.match(md, /HTTP 404: \d+, HTTP 500: \d+, timeouts: \d+, (ECONNRESET|ECONNCLOSED|EPIPE): \d+/);
  });

  it('fails on a regression against the baseline and keeps the old baseline', async () => {
    await using srv = await startTestServer();
    await using dir = testdir();
    const args = (ms: number): string[] => ['--target', `${srv.url}/slow?ms=${ms}`, '--rate', '30', '--duration', '1s', '--warmup', '0', '--report-dir', `out-${ms}`, '--baseline', 'baselines/summary.json', '--max-regression', '25', ...RELAXED];
    const first = await runInProcess(step, args(10), { cwd: dir.path });
    assert.equal(first.code, 0, first.stderr);
    const baseline = join(dir.path, 'baselines', 'summary.json');
    assert.ok(existsSync(baseline), 'a passing run writes the baseline for next time');
    const before = readFileSync(baseline, 'utf8');
    const second = await runInProcess(step, args(150), { cwd: dir.path });
    assert.equal(second.code, 1, second.stderr);
    const s = readSummary(join(dir.path, 'out-150'));
    const p50 = s.baseline?.checks.find((c) => c.metric === 'p50 latency');
    assert.ok(p50 && !p50.ok && p50.changePct > 25, JSON.stringify(s.baseline));
    assert.match(second.stderr, /REGRESSED baseline p50 latency/);
    assert.equal(readFileSync(baseline, 'utf8'), before, 'a failed run must not become the new baseline');
    assert.match(readFileSync(join(dir.path, 'out-150', 'junit.xml'), 'utf8'), /<testcase classname="load-test.baseline" name="baseline p50 latency"[^>]*><failure/);
  });

  it('is INCONCLUSIVE (exit 3) when the asked rate cannot be reached', async () => {
    await using srv = await startTestServer();
    await using dir = testdir();
    const r = await runInProcess(step, ['--target', `${srv.url}/slow?ms=50`, '--thresholds', 'p(95)<10s', '--rate', '2000', '--connections', '2', '--duration', '1s', '--warmup', '0', '--report-dir', 'out', '--max-generator-lag', '2s', '--max-generator-cpu', '400'], { cwd: dir.path });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.results.verdict, 'inconclusive');
    const s = readSummary(join(dir.path, 'out'));
    assert.match(s.saturation.join('\n'), /sent [\d.]+ req\/s of the 2000 req\/s asked for; \d+ requests waited for a free connection/);
    // Open model: the requests that waited count from when they were due, so latency is not hidden.
    assert.ok(s.overall.latencyMs.p95 > 200, `p95 ${s.overall.latencyMs.p95}`);
    assert.match(readFileSync(join(dir.path, 'out', 'junit.xml'), 'utf8'), /<error message="inconclusive: /);
  });

  it('is INCONCLUSIVE when the generator\'s event loop is blocked', async () => {
    await using srv = await startTestServer();
    await using dir = testdir();
    const r = await runInProcess(step, ['--target', `${srv.url}/block?ms=250`, '--rate', '10', '--duration', '1s', '--warmup', '0', '--report-dir', 'out', '--max-generator-cpu', '400'], { cwd: dir.path });
    assert.equal(r.code, 3, r.stderr);
    assert.match(readSummary(join(dir.path, 'out')).saturation.join('\n'), /event loop lagged/);
  });

  it('leaves warm-up requests out and opens a connection per request without keep-alive', async () => {
    await using srv = await startTestServer();
    await using dir = testdir();
    const r = await runInProcess(step, ['--target', `${srv.url}/ok`, '--rate', '40', '--connections', '4', '--duration', '1s', '--warmup', '500ms', '--keep-alive', 'false', '--report-dir', 'out', ...RELAXED], { cwd: dir.path });
    assert.equal(r.code, 0, r.stderr);
    const s = readSummary(join(dir.path, 'out'));
    const served = srv.requests.get('/ok') ?? 0;
    assert.ok(s.overall.requests < served - 10, `measured ${s.overall.requests} of ${served} served`);
    assert.ok(srv.connections >= served - 4, `${srv.connections} connections for ${served} requests`);
  });

  it('keeps connections alive by default', async () => {
    await using srv = await startTestServer();
    await using dir = testdir();
    const r = await runInProcess(step, ['--target', `${srv.url}/ok`, '--connections', '3', '--duration', '1s', '--warmup', '0', '--report-dir', 'out', ...RELAXED], { cwd: dir.path });
    assert.equal(r.code, 0, r.stderr);
    assert.ok((srv.requests.get('/ok') ?? 0) > 20);
    assert.ok(srv.connections <= 3, `${srv.connections} connections`);
  });

  it('sends the secret auth header and never shows it', async () => {
    await using srv = await startTestServer();
    const canary = 'Bearer canary-5e1f0c2d9a';
    await using dir = testdir({ 'secret/authorization': `${canary}\n` });
    const r = await runInProcess(step, ['--target', `${srv.url}/ok`, '--auth-header-file', 'secret/authorization', '--rate', '20', '--duration', '1s', '--warmup', '0', '--report-dir', 'out', '--thresholds', 'p(95)<10s', ...RELAXED], { cwd: dir.path, env: { STEG_DEBUG: 'true' } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(srv.lastHeaders?.authorization, canary);
    const outputs = [r.stdout, r.stderr, JSON.stringify(r.results), ...['summary.json', 'junit.xml', 'summary.md', 'report.html'].map((f) => readFileSync(join(dir.path, 'out', f), 'utf8'))];
    for (const text of outputs) assert.ok(!text.includes('canary-5e1f0c2d9a'), 'the secret leaked');
  });

  it('merges the histograms of parallel runs exactly into one verdict and report', async () => {
    await using srv = await startTestServer();
    await using dir = testdir({ 'profile.yaml': 'routes:\n  - name: a\n    path: /slow?ms=5\n  - name: b\n    path: /ok\n    thresholds: ["p(99)<10s"]\nthresholds: ["error_rate<1%"]\n' });
    const shard = (n: number): Promise<{ code: number; stderr: string }> =>
      runInProcess(step, ['--target', srv.url, '--profile', 'profile.yaml', '--rate', '40', '--duration', '1s', '--warmup', '0', '--report-dir', `reports/shard-${n}`, ...RELAXED], { cwd: dir.path });
    const runs = await Promise.all([shard(1), shard(2)]);
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    const parts = [1, 2].map((n) => readSummary(join(dir.path, 'reports', `shard-${n}`)));
    const r = await runInProcess(step, ['--mode', 'merge', '--merge-from', 'reports', '--report-dir', 'reports/merged', '--thresholds', 'rps>1000000'], { cwd: dir.path });
    assert.equal(r.code, 1, r.stderr);
    const m = readSummary(join(dir.path, 'reports', 'merged'));
    assert.equal(m.runs, 2);
    assert.equal(m.overall.requests, parts[0]!.overall.requests + parts[1]!.overall.requests);
    assert.equal(m.routes.a!.requests, parts[0]!.routes.a!.requests + parts[1]!.routes.a!.requests);
    const exact = mergeHistograms(parts.map((p) => decodeHistogram(p.overall.histogram)));
    for (const p of [50, 95, 99, 100]) assert.equal(percentileMs(decodeHistogram(m.overall.histogram), p), percentileMs(exact, p));
    assert.equal(m.overall.latencyMs.p99, Math.round(percentileMs(exact, 99) * 1000) / 1000);
    // The runs' own thresholds are checked again on the merged data, plus the merge's own.
    assert.deepEqual(m.thresholds.map((t) => [t.route ?? 'all', t.threshold, t.ok]), [['b', 'p(99)<10s', true], ['all', 'error_rate<1%', true], ['all', 'rps>1000000', false]]);
    assert.equal(m.generator.length, 2);
    assert.ok(existsSync(join(dir.path, 'reports', 'merged', 'report.html')));
    // The merged output sits beside the inputs; merging again must not count it twice.
    const again = await runInProcess(step, ['--mode', 'merge', '--merge-from', 'reports', '--report-dir', 'reports/merged'], { cwd: dir.path });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(readSummary(join(dir.path, 'reports', 'merged')).overall.requests, m.overall.requests);
  });
});

describe('bad input: exit 2 and not a single request', () => {
  const cases: [string, (url: string) => string[], RegExp][] = [
    ['a malformed threshold', (u) => ['--target', `${u}/ok`, '--thresholds', 'p95<200ms'], /param thresholds: threshold "p95<200ms" is malformed, expected one like p\(95\)<200ms/],
    ['a target outside the allow-list', () => ['--target', 'https://prod.example.com/api'], /param target is "https:\/\/prod.example.com", whose host is not in allowed-hosts \(localhost, 127.0.0.1, \[::1\]\)/],
    ['a target on another port than allowed', (u) => ['--target', `${u}/ok`, '--allowed-hosts', '127.0.0.1:1'], /whose host is not in allowed-hosts \(127.0.0.1:1\)/],
    ['an unreadable profile', (u) => ['--target', u, '--profile', 'missing.yaml'], /param profile: cannot read .*missing.yaml \(ENOENT\), expected a readable JSON or YAML load profile/],
    ['a malformed profile', (u) => ['--target', u, '--profile', 'bad.yaml'], /param profile: .*bad.yaml: route a: path is "api", expected a path starting with "\/"/],
    ['a threshold for a route the profile lacks', (u) => ['--target', u, '--profile', 'good.yaml', '--thresholds', 'other: p(95)<1s'], /names route "other", expected one of a/],
    ['a duration over the cap', (u) => ['--target', u, '--duration', '2h'], /param duration \(--duration\) is "2h", expected a duration of at least 1s of at most 30m/],
    ['too many connections', (u) => ['--target', u, '--connections', '5000'], /param connections \(--connections\) is "5000", expected a whole number from 1 to 1000/],
    ['a corrupt baseline', (u) => ['--target', `${u}/ok`, '--baseline', 'bad.yaml'], /param baseline: .*bad.yaml is not a readable summary/],
  ];
  for (const [what, args, message] of cases) {
    it(`refuses ${what}`, async () => {
      await using srv = await startTestServer();
      await using dir = testdir({ 'bad.yaml': 'routes:\n  - name: a\n    path: api\n', 'good.yaml': 'routes:\n  - name: a\n    path: /ok\n' });
      const r = await runInProcess(step, [...args(srv.url), '--duration', args(srv.url).includes('--duration') ? args(srv.url)[args(srv.url).indexOf('--duration') + 1]! : '1s', '--report-dir', 'out'], { cwd: dir.path });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(srv.total(), 0, 'no request may reach the target');
      assert.equal(srv.connections, 0);
      assert.ok(!existsSync(join(dir.path, 'out')), 'nothing is written');
      assert.deepEqual(r.results, {});
    });
  }

  it('refuses merge mode without summaries', async () => {
    await using dir = testdir({ 'empty/.keep': '' });
    const r = await runInProcess(step, ['--mode', 'merge', '--merge-from', 'empty'], { cwd: dir.path });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /param merge-from is "empty", expected summary files or directories holding \*\/summary.json; none were found/);
  });

  it('starts no load when the target is unreachable, and says so (exit 4)', async () => {
    await using dir = testdir();
    writeFileSync(join(dir.path, '.keep'), '');
    const r = await runInProcess(step, ['--target', 'http://127.0.0.1:9/', '--rate', '20', '--duration', '1s', '--warmup', '0', '--report-dir', 'out', ...RELAXED], { cwd: dir.path });
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /could not be reached: ECONNREFUSED/);
  });
});
