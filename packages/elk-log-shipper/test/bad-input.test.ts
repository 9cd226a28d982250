import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readdirSync } from 'node:fs';
import { testdir } from '@steg/test-support';
import { ship, startEs } from './helpers.ts';

test('bad input: a clear message naming the param, the value and what was expected; exit 2; nothing written', async () => {
  await using es = await startEs();
  using ws = testdir({ 'build.log': 'hello\n', 'logs/.keep': '' });
  const base = [`--workspace=${ws.path}`, `--url=${es.url}`];
  const cases: [string[], RegExp][] = [
    [['--files=missing.log'], /param files has "missing\.log", expected a readable file \(.*missing\.log: ENOENT\)/],
    [['--files=logs'], /param files has "logs", expected a file \(.* is a directory/],
    [['--files=build.log', '--url=not a url'], /param url \(--url\) is "not a url", expected an absolute URL/],
    [['--files=build.log', '--labels=no-equals-sign'], /param labels has "no-equals-sign", expected key=value/],
    [['--files=build.log', '--exit-code=nope.txt'], /param exit-code is "nope\.txt", expected a readable file/],
    [['--files=build.log', '--ca-file=missing.pem'], /param ca-file is "missing\.pem", expected a readable file/],
    [['--files=build.log', '--index=Bad Index'], /param index \(--index\) is "Bad Index", expected a lower-case index name/],
    [['--input=kubernetes', '--kube-api-url=http://127.0.0.1:9', '--namespace=x'], /param pipeline-run is required with input=kubernetes/],
    [['--files=build.log', '--output=file'], /param output-file is required with output=file/],
  ];
  for (const [args, re] of cases) {
    const r = await ship([...base, ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
  }
  assert.deepEqual(readdirSync(ws.path).sort(), ['build.log', 'logs']);
  if (es.double) assert.equal(es.double.bulks.length, 0);
});

test('a URL that is not Elasticsearch exits 2; credentials in the URL or files are never printed', async () => {
  const server = createServer((_req, res) => res.end('<html>proxy login</html>'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    using ws = testdir({ 'build.log': 'hello\n', key: 'CANARY-key-0a1b2c' });
    const port = (server.address() as { port: number }).port;
    const r = await ship([`--workspace=${ws.path}`, '--files=build.log', `--url=http://elastic:CANARY-pw-3d4e@127.0.0.1:${port}`]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /param url is "http:\/\/127\.0\.0\.1:\d+", expected an Elasticsearch URL/);
    const flag = await ship([`--workspace=${ws.path}`, '--files=build.log', `--url=http://127.0.0.1:${port}`, '--api-key=CANARY-flag-value']);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /param api-key is a secret and cannot be given as a flag value/);
    const dead = await ship([`--workspace=${ws.path}`, '--files=build.log', '--url=http://elastic:CANARY-pw-3d4e@127.0.0.1:9', `--api-key-file=${ws.path}/key`, '--retries=0', '--username=', '--strict']);
    assert.equal(dead.code, 4);
    for (const out of [r, flag, dead]) assert.ok(!/CANARY/.test(out.stderr + out.stdout + JSON.stringify(out.results)), out.stderr);
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    for (const f of readdirSync(join(ws.path, '.elk-spool'))) assert.ok(!/CANARY/.test(readFileSync(join(ws.path, '.elk-spool', f), 'utf8')));
  } finally {
    server.close();
  }
});

test('a secret that shows up in a log line or a stack trace is masked before it is shipped or spooled', async () => {
  const trace = [
    'java.lang.IllegalStateException: refused CANARY-key-9z8y', '\tat com.example.A.run(A.java:1) CANARY-key-9z8y', '\tat com.example.B.run(B.java:2)',
    'ERROR: upload with CANARY-key-9z8y failed',
    '[ERROR] Failed to deploy: 401 for CANARY-key-9z8y',
    'npm ERR! code CANARY-key-9z8y',
    'Traceback (most recent call last):', '  File "x.py", line 1, in <module>', 'PermissionError: CANARY-key-9z8y',
    '',
  ].join('\n');
  using ws = testdir({ 'build.log': `curl -H "Authorization: ApiKey CANARY-key-9z8y" https://es\n${trace}`, key: 'CANARY-key-9z8y' });
  const r = await ship([`--workspace=${ws.path}`, '--files=build.log', '--url=http://127.0.0.1:9', `--api-key-file=${ws.path}/key`, '--retries=0']);
  assert.equal(r.code, 0, r.stderr);
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const spool = readdirSync(join(ws.path, '.elk-spool')).map((f) => readFileSync(join(ws.path, '.elk-spool', f), 'utf8')).join('');
  assert.match(spool, /ApiKey \*\*\*/);
  assert.match(spool, /"error.stack_trace":"java.lang.IllegalStateException: refused \*\*\*\\n\\tat com.example.A.run\(A.java:1\) \*\*\*\\n/);
  assert.equal(spool.match(/"error.message":"[^"]*\*\*\*/g)?.length, 5, spool);
  assert.ok(!/CANARY/.test(spool));
});
