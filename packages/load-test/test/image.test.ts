// The load-test image run the way Tekton runs it (arbitrary UID in group 0, read-only root
// filesystem, results at /tekton/results, the source workspace and a Secret mounted), against
// a controllable server on this machine's loopback (the container shares the host network).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildStepImage, runStepImage, testdir } from '@steg/test-support';
import { startTestServer } from './server.ts';

const RELAXED = ['--max-generator-lag=2s', '--max-generator-cpu=400'];

describe('load-test image', () => {
  it('loads with a profile from the workspace, a secret header, reports in the workspace, then merges', async () => {
    const image = await buildStepImage('load-test');
    await using srv = await startTestServer();
    const canary = 'Bearer image-canary-77c1e0';
    await using ws = testdir({ 'load/profile.yaml': 'routes:\n  - name: ok\n    path: /ok\n    weight: 2\n  - name: slow\n    path: /slow?ms=5\nthresholds: ["p(99)<10s", "error_rate<1%"]\n' });
    const run = await runStepImage(image, {
      args: [`--target=${srv.url}`, '--profile=/workspace/source/load/profile.yaml', '--rate=30', '--duration=1s', '--warmup=0', '--report-dir=/workspace/source/reports/run-1', '--auth-header-file=/secrets/auth/authorization', ...RELAXED],
      workspaces: { source: ws.path },
      secrets: { auth: { authorization: canary } },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.results.verdict, 'pass');
    assert.equal(run.results.report, '/workspace/source/reports/run-1/report.html');
    assert.equal(JSON.parse(run.results.summary as string).broken.length, 0);
    assert.equal(srv.lastHeaders?.authorization, canary);
    assert.ok((srv.requests.get('/ok') ?? 0) > 0 && (srv.requests.get('/slow') ?? 0) > 0);
    const files = ['summary.json', 'junit.xml', 'summary.md', 'report.html'].map((f) => join(ws.path, 'reports', 'run-1', f));
    for (const f of files) assert.ok(existsSync(f), f);
    for (const text of [run.stdout, run.stderr, JSON.stringify(run.results), ...files.map((f) => readFileSync(f, 'utf8'))]) {
      assert.ok(!text.includes('image-canary-77c1e0'), 'the secret leaked');
    }

    const merge = await runStepImage(image, {
      args: ['--mode=merge', '--merge-from=/workspace/source/reports', '--report-dir=/workspace/source/reports/merged', '--thresholds=rps>1000000'],
      workspaces: { source: ws.path },
    });
    assert.equal(merge.code, 1, merge.stderr);
    assert.equal(merge.results.verdict, 'fail');
    assert.deepEqual(JSON.parse(merge.results.summary as string).broken, ['rps>1000000']);
  });

  it('refuses a target outside the allow-list with exit 2 and sends nothing', async () => {
    const image = await buildStepImage('load-test');
    await using srv = await startTestServer();
    const r = await runStepImage(image, { args: [`--target=${srv.url}/ok`, '--allowed-hosts=*.test.example.com', '--duration=1s'] });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /param target is "http:\/\/127\.0\.0\.1:\d+", whose host is not in allowed-hosts \(\*\.test\.example\.com\)/);
    assert.equal(srv.total(), 0);
    assert.deepEqual(r.results, {});
  });
});
