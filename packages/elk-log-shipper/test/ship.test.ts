import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { testdir } from '@steg/test-support';
import { ship, startEs } from './helpers.ts';

const LOG = [
  '2024-05-01T10:00:00Z INFO starting build',
  'java.lang.IllegalStateException: boom',
  '\tat com.example.App.run(App.java:10)',
  '\tat com.example.App.main(App.java:5)',
  '{"level":"warn","msg":"json line","time":"2024-05-01T10:00:02Z"}',
  '[ERROR] Failed to execute goal on project demo: There are test failures.',
  '[ERROR] -> [Help 1]',
  'done',
  '',
].join('\n');

const CONTEXT = ['--pipeline-name=build-app', '--pipeline-run=build-app-run-1', '--task-name=build', '--task-run=build-app-run-1-build', '--step-name=mvn', '--vcs-repository=https://gitlab.example.com/team/app', '--vcs-revision=abc123', '--vcs-ref=main'];

test('ships a log into a data stream as ECS documents with the pipeline context, gzip and ndjson', async () => {
  await using es = await startEs();
  using ws = testdir({ 'logs/build.log': LOG });
  const index = es.newIndex();
  const r = await ship([`--workspace=${ws.path}`, '--files=logs/*.log', `--url=${es.url}`, `--index=${index}`, '--mode=setup-and-ship', ...CONTEXT, '--labels=team=platform'], es.authEnv);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.results.shipped, '5');
  assert.equal(r.results.failed, '0');
  assert.equal(r.results.degraded, 'false');
  assert.equal(r.results['errors-found'], '2');
  assert.equal(await es.count(index), 5);
  const docs = await es.sources(index);
  const first = docs.find((d) => d['log.offset'] === 0) as Record<string, unknown>;
  assert.equal(first['@timestamp'], '2024-05-01T10:00:00.000Z');
  assert.equal(first['log.level'], 'info');
  assert.equal(first['ecs.version'], '8.11.0');
  assert.equal(first['event.dataset'], 'steg.build');
  assert.equal(first['service.name'], 'build-app');
  assert.equal(first['cicd.pipeline.name'], 'build-app');
  assert.equal(first['cicd.pipeline.run.id'], 'build-app-run-1');
  assert.equal(first['cicd.pipeline.task.name'], 'build');
  assert.equal(first['cicd.pipeline.task.run.id'], 'build-app-run-1-build');
  assert.equal(first['vcs.ref.head.revision'], 'abc123');
  assert.equal(first['log.file.path'], 'logs/build.log');
  assert.deepEqual(first.labels, { team: 'platform' });
  const stack = docs.find((d) => String(d.message).startsWith('java.lang')) as Record<string, unknown>;
  assert.equal(stack['log.level'], 'error');
  assert.equal(stack['error.message'], 'java.lang.IllegalStateException: boom');
  assert.equal(stack['error.code'], 'java.lang.IllegalStateException');
  assert.match(String(stack['error.stack_trace']), /App\.main/);
  const json = docs.find((d) => d.message === 'json line') as Record<string, unknown>;
  assert.equal(json['log.level'], 'warn');
  assert.equal(json['@timestamp'], '2024-05-01T10:00:02.000Z');
  const maven = docs.find((d) => String(d.message).startsWith('[ERROR] Failed')) as Record<string, unknown>;
  assert.equal(maven['error.type'], 'test-failure');
  if (es.double) {
    const bulk = es.double.bulks[0];
    assert.equal(bulk?.gzip, true);
    assert.equal(bulk?.contentType, 'application/x-ndjson');
    assert.ok(es.double.templates.size === 1);
    assert.equal(es.double.indices.get(index)?.dataStream, true);
  }
});

test('a second run gives the same ids: Elasticsearch answers 409 and nothing is duplicated', async () => {
  await using es = await startEs();
  using ws = testdir({ 'build.log': LOG });
  const index = es.newIndex();
  const args = [`--workspace=${ws.path}`, '--files=build.log', `--url=${es.url}`, `--index=${index}`, ...CONTEXT];
  const a = await ship(args, es.authEnv);
  const b = await ship(args, es.authEnv);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(b.results.shipped, '5');
  assert.match(b.stderr, /5 were already there/);
  assert.equal(await es.count(index), 5);
});

test('a failed step gets one summary document with exit code, reason and the last lines', async () => {
  await using es = await startEs();
  using ws = testdir({ 'build.log': LOG, 'exit': '3\n' });
  const index = es.newIndex();
  const r = await ship([`--workspace=${ws.path}`, '--files=build.log', `--url=${es.url}`, `--index=${index}`, '--exit-code=exit', '--tail-lines=3', ...CONTEXT], es.authEnv);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.results['errors-found'], '3');
  const summary = (await es.sources(index)).find((d) => d['event.action'] === 'step-failed') as Record<string, unknown>;
  assert.equal(summary['process.exit_code'], 3);
  assert.equal(summary['event.outcome'], 'failure');
  // The most specific error of the step wins over the generic stack trace before it.
  assert.equal(summary['error.type'], 'test-failure');
  assert.equal(summary['error.message'], 'Failed to execute goal on project demo: There are test failures.');
  assert.equal(summary['error.stack_trace'], '[ERROR] Failed to execute goal on project demo: There are test failures.\n[ERROR] -> [Help 1]\ndone');
});

test('setup creates the index template and data stream, and can run again', async () => {
  await using es = await startEs();
  using ws = testdir({});
  const index = es.newIndex();
  for (let i = 0; i < 2; i++) {
    const r = await ship([`--workspace=${ws.path}`, `--url=${es.url}`, `--index=${index}`, '--mode=setup'], es.authEnv);
    assert.equal(r.code, 0, r.stderr);
  }
  if (es.double) {
    const t = [...es.double.templates.values()][0] as { index_patterns: string[]; data_stream: object; template: { mappings: { properties: Record<string, { properties?: Record<string, { type?: string }> }> } } };
    assert.deepEqual(t.index_patterns, [index.replace(/-[^-]+$/, '-*')]);
    assert.ok(t.data_stream);
    const props = t.template.mappings.properties;
    assert.equal(props.error?.properties?.type?.type, 'keyword');
    assert.equal(props.error?.properties?.message?.type, 'text');
    assert.equal(props.cicd?.properties?.pipeline ? 'object' : 'missing', 'object');
    assert.equal(es.double.indices.get(index)?.dataStream, true);
  }
});

test('API key and basic auth are sent; refused credentials exit 2 without printing them', async () => {
  const apiKey = 'CANARY-api-key-7f3e9a';
  const password = 'CANARY-password-1b2c';
  await using es = await startEs({ apiKey, basic: { username: 'shipper', password } });
  if (!es.double) return;
  using ws = testdir({ 'build.log': LOG, 'secrets/api-key': `${apiKey}\n`, 'secrets/password': password, 'secrets/wrong': 'CANARY-wrong-key-99' });
  const base = [`--workspace=${ws.path}`, '--files=build.log', `--url=${es.url}`, `--index=${es.newIndex()}`];
  const ok1 = await ship([...base, `--api-key-file=${ws.path}/secrets/api-key`]);
  assert.equal(ok1.code, 0, ok1.stderr);
  const ok2 = await ship([...base, '--username=shipper', `--password-file=${ws.path}/secrets/password`]);
  assert.equal(ok2.code, 0, ok2.stderr);
  const bad = await ship([...base, `--api-key-file=${ws.path}/secrets/wrong`]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /refused the credentials \(HTTP 401/);
  for (const out of [ok1, ok2, bad]) {
    const all = out.stdout + out.stderr + JSON.stringify(out.results);
    assert.ok(!/CANARY/.test(all), all);
  }
  assert.ok(!existsSync(join(ws.path, '.elk-spool')), 'nothing spooled on bad credentials');
});

test('unreachable Elasticsearch: spools, reports degraded, exits 0; --strict exits 4; a later run ships the spool', async () => {
  using ws = testdir({ 'build.log': LOG });
  const dead = 'http://127.0.0.1:9';
  const args = [`--workspace=${ws.path}`, '--files=build.log', '--retries=1', ...CONTEXT];
  await using es = await startEs();
  const index = es.newIndex();
  const r = await ship([...args, `--url=${dead}`, `--index=${index}`]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.results.degraded, 'true');
  assert.equal(r.results.spooled, '5');
  assert.equal(r.results.shipped, '0');
  assert.match(r.stderr, /unreachable/);
  const strict = await ship([...args, `--url=${dead}`, `--index=${index}`, '--strict']);
  assert.equal(strict.code, 4);
  const spool = join(ws.path, '.elk-spool');
  assert.ok(readdirSync(spool).length >= 1);
  const later = await ship([...args, `--url=${es.url}`, `--index=${index}`], es.authEnv);
  assert.equal(later.code, 0, later.stderr);
  assert.equal(later.results.degraded, 'false');
  assert.deepEqual(readdirSync(spool), []);
  assert.equal(await es.count(index), 5);
});

test('documents Elasticsearch rejects go to the dead-letter file with the reason', async () => {
  await using es = await startEs();
  if (!es.double) return;
  using ws = testdir({ 'build.log': LOG });
  const index = es.newIndex();
  let n = 0;
  es.double.itemFault = () => (n++ === 1 ? 400 : undefined);
  const r = await ship([`--workspace=${ws.path}`, '--files=build.log', `--url=${es.url}`, `--index=${index}`, ...CONTEXT]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.results.failed, '1');
  assert.equal(r.results.shipped, '4');
  const dl = readFileSync(join(ws.path, 'elk-dead-letter.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(dl.length, 1);
  assert.equal(dl[0]?.status, 400);
  assert.match(String(dl[0]?.reason), /document_parsing_exception/);
  assert.equal((dl[0]?.document as Record<string, unknown>)['cicd.pipeline.run.id'], 'build-app-run-1');
  const strict = await ship([`--workspace=${ws.path}`, '--files=build.log', `--url=${es.url}`, `--index=${es.newIndex()}`, '--strict', ...CONTEXT]);
  assert.equal(strict.code, 0, 'no rejection the second time');
});

test('ships to a Logstash HTTP input as NDJSON, and to a file', async () => {
  const { createServer } = await import('node:http');
  const { gunzipSync } = await import('node:zlib');
  const got: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(Buffer.concat(chunks)) : Buffer.concat(chunks);
      if (req.method === 'POST') got.push(...body.toString('utf8').trim().split('\n'));
      assert.ok(req.method !== 'POST' || req.headers['content-type'] === 'application/x-ndjson');
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    using ws = testdir({ 'build.log': LOG });
    const port = (server.address() as { port: number }).port;
    const r = await ship([`--workspace=${ws.path}`, '--files=build.log', '--output=logstash', `--url=http://127.0.0.1:${port}`, ...CONTEXT]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(got.length, 5);
    const docs = got.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(docs.every((d) => typeof d['event.id'] === 'string' && d['cicd.pipeline.run.id'] === 'build-app-run-1'));
    const f = await ship([`--workspace=${ws.path}`, '--files=build.log', '--output=file', '--output-file=out.ndjson', ...CONTEXT]);
    assert.equal(f.code, 0, f.stderr);
    const fileDocs = readFileSync(join(ws.path, 'out.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(fileDocs.map((d) => d['event.id']), docs.map((d) => d['event.id']));
  } finally {
    server.close();
  }
});

test('--line-context ids: plain lines carry only the run, task run and step; errors keep the whole context; ids do not change', async () => {
  using ws = testdir({ 'build.log': LOG });
  const full = await ship([`--workspace=${ws.path}`, '--files=build.log', '--output=file', '--output-file=full.ndjson', ...CONTEXT]);
  assert.equal(full.code, 0, full.stderr);
  const slim = await ship([`--workspace=${ws.path}`, '--files=build.log', '--output=file', '--output-file=ids.ndjson', '--line-context=ids', ...CONTEXT]);
  assert.equal(slim.code, 0, slim.stderr);
  const read = (f: string): Record<string, unknown>[] => readFileSync(join(ws.path, f), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const [a, b] = [read('full.ndjson'), read('ids.ndjson')];
  assert.deepEqual(b.map((d) => d['event.id']), a.map((d) => d['event.id']), 'same documents, same ids');
  const plain = b.find((d) => d.message === 'done') as Record<string, unknown>;
  assert.deepEqual(Object.keys(plain).sort(), ['@timestamp', 'cicd.pipeline.run.id', 'cicd.pipeline.task.run.id', 'cicd.pipeline.task.step.name', 'event.id', 'log.level', 'log.offset', 'message']);
  assert.equal(plain['cicd.pipeline.task.run.id'], 'build-app-run-1-build');
  const errors = b.filter((d) => d['error.type'] != null);
  assert.ok(errors.length >= 2);
  for (const e of errors) {
    assert.equal(e['cicd.pipeline.name'], 'build-app');
    assert.equal(e['vcs.ref.head.revision'], 'abc123');
  }
  assert.ok(readFileSync(join(ws.path, 'ids.ndjson')).length < readFileSync(join(ws.path, 'full.ndjson')).length);
});

test('https with a CA bundle: trusted with ca-file (or ca.crt in auth-dir), refused without it', { skip: process.env.ELASTICSEARCH_URL != null }, async () => {
  const { execFileSync } = await import('node:child_process');
  using ws = testdir({ 'build.log': LOG });
  const key = join(ws.path, 'key.pem');
  const cert = join(ws.path, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const { EsDouble } = await import('./doubles/es-double.ts');
  await using es = await new EsDouble({ tls: { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') }, apiKey: 'k-123' }).start();
  const { writeFileSync, mkdirSync } = await import('node:fs');
  mkdirSync(join(ws.path, 'auth'));
  writeFileSync(join(ws.path, 'auth', 'api-key'), 'k-123');
  writeFileSync(join(ws.path, 'auth', 'ca.crt'), readFileSync(cert));
  const base = [`--workspace=${ws.path}`, '--files=build.log', `--url=${es.url}`, ...CONTEXT];
  const viaFile = await ship([...base, '--ca-file=cert.pem', `--api-key-file=${ws.path}/auth/api-key`]);
  assert.equal(viaFile.code, 0, viaFile.stderr);
  assert.equal(viaFile.results.degraded, 'false');
  const viaDir = await ship([...base, '--auth-dir=auth']);
  assert.equal(viaDir.code, 0, viaDir.stderr);
  assert.match(viaDir.stderr, /5 were already there/);
  const untrusted = await ship([...base, `--api-key-file=${ws.path}/auth/api-key`, '--retries=0']);
  assert.equal(untrusted.results.degraded, 'true');
  assert.match(untrusted.stderr, /SELF_SIGNED_CERT|self.signed|UNABLE_TO_VERIFY/i);
});
