// The server process: config errors exit 2, SIGTERM lets an in-flight request finish,
// and the database password never reaches the log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { once } from 'node:events';
import { seededDatabase } from './helpers.ts';

const cli = new URL('../src/cli.ts', import.meta.url).pathname;

function startCli(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', cli], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, output: () => out, exited };
}

test('a missing DATABASE_URL exits 2 with a message naming it', async () => {
  const p = startCli({});
  assert.equal(await p.exited, 2);
  assert.match(p.output(), /DATABASE_URL is required/);
});

test('SIGTERM finishes the in-flight request, then the process exits 0', async () => {
  await using db = await seededDatabase();
  const p = startCli({ DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json' });
  try {
    while (!/listening on/.test(p.output())) {
      if (p.child.exitCode != null) assert.fail(`server exited: ${p.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const url = /listening on (http:\/\/[^\s"]+)/.exec(p.output())![1]!;
    // Start a POST and hold back half its body: the request is in flight when SIGTERM arrives.
    const body = JSON.stringify({ user: 'shutdown-test', date: '2026-11-20', steps: 4321 });
    const req = request(`${url}/api/entries`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
    const response = once(req, 'response');
    req.write(body.slice(0, 10));
    await new Promise((r) => setTimeout(r, 200));
    p.child.kill('SIGTERM');
    while (!/SIGTERM/.test(p.output())) await new Promise((r) => setTimeout(r, 20));
    // New connections are refused once shutdown began…
    await assert.rejects(fetch(`${url}/version`));
    // …but the request already in flight completes.
    req.end(body.slice(10));
    const [res] = (await response) as [IncomingMessage];
    let text = '';
    for await (const chunk of res) text += String(chunk);
    assert.equal(res.statusCode, 201, text);
    assert.equal(JSON.parse(text).steps, 4321);
    assert.equal(await p.exited, 0, p.output());
    assert.ok(!p.output().includes('steg-test-password'), 'the database password is not logged');
    assert.match(p.output(), /"message":"stopped"/);
  } finally {
    p.child.kill('SIGKILL');
  }
});
