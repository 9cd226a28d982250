// The elk-log-shipper image run the way Tekton runs it (arbitrary UID in group 0, read-only root
// filesystem, results at /tekton/results, a workspace and the Elasticsearch auth Secret mounted),
// shipping to the Elasticsearch double on this machine's loopback (the container shares the host
// network).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildStepImage, runStepImage, testdir } from '@steg/test-support';
import { EsDouble } from './doubles/es-double.ts';
import { PKG } from './helpers.ts';

const CANARY = 'image-canary-api-key-41d9';

describe('elk-log-shipper image', () => {
  it('ships a failed Maven build from the workspace with the auth Secret, then re-runs without duplicates', async () => {
    const image = await buildStepImage('elk-log-shipper');
    await using es = await new EsDouble({ apiKey: CANARY }).start();
    await using ws = testdir({});
    cpSync(join(PKG, 'test/fixtures/real/maven-test-failure.log'), join(ws.path, 'logs', 'mvn.log'), { recursive: true });
    const args = [
      '--files=logs/*.log', '--workspace=/workspace/logs', '--auth-dir=/secrets/es', `--url=${es.url}`, '--mode=setup-and-ship',
      '--pipeline-run=build-app-run-3', '--task-run=build-app-run-3-test', '--step-name=mvn', '--exit-code=1', '--kibana-url=https://kibana.example.com',
    ];
    const run = await runStepImage(image, { args, workspaces: { logs: ws.path }, secrets: { es: { 'api-key': CANARY } } });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.results.degraded, 'false');
    assert.equal(run.results.failed, '0');
    const docs = es.docs('logs-steg.build-default');
    assert.ok(docs.size > 20);
    assert.equal(run.results.shipped, String(docs.size));
    assert.ok(Number(run.results['errors-found']) >= 3);
    assert.match(run.results['kibana-url'] ?? '', /^https:\/\/kibana\.example\.com\/app\/discover#/);
    const again = await runStepImage(image, { args, workspaces: { logs: ws.path }, secrets: { es: { 'api-key': CANARY } } });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(es.docs('logs-steg.build-default').size, docs.size);
    for (const text of [run.stdout, run.stderr, again.stderr, JSON.stringify(run.results)]) assert.ok(!text.includes(CANARY), 'the secret leaked');
  });

  it('bad credentials exit 2 without printing them; an unreachable ELK spools to the workspace and exits 0', async () => {
    const image = await buildStepImage('elk-log-shipper');
    await using es = await new EsDouble({ apiKey: 'the-right-key' }).start();
    await using ws = testdir({ 'build.log': 'npm error code E404\nnpm error 404 Not Found\n' });
    const bad = await runStepImage(image, {
      args: ['--files=build.log', '--workspace=/workspace/logs', `--url=${es.url}`, '--api-key-file=/secrets/es/api-key'],
      workspaces: { logs: ws.path },
      secrets: { es: { 'api-key': CANARY } },
    });
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /refused the credentials \(HTTP 401/);
    assert.ok(!(bad.stdout + bad.stderr).includes(CANARY));
    const down = await runStepImage(image, {
      args: ['--files=build.log', '--workspace=/workspace/logs', '--url=http://127.0.0.1:9', '--retries=0'],
      workspaces: { logs: ws.path },
    });
    assert.equal(down.code, 0, down.stderr);
    assert.equal(down.results.degraded, 'true');
    assert.equal(down.results.spooled, '1');
    assert.equal(readdirSync(join(ws.path, '.elk-spool')).length, 1);
  });
});
