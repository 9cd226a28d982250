import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runInProcess, testdir } from '@steg/test-support';
import { step } from '../src/step.ts';

const RELAXED = ['--max-generator-lag', '2s', '--max-generator-cpu', '400', '--rate', '20', '--duration', '1s', '--warmup', '0', '--thresholds', 'p(95)<10s'];

/** A real https server with a fresh self-signed certificate for 127.0.0.1 (made by openssl), counting requests. */
async function startHttps(dir: string): Promise<{ url: string; requests: () => number; certFile: string } & AsyncDisposable> {
  const key = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', certFile, '-days', '1', '-subj', '/CN=steg-test', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  let n = 0;
  const server = createServer({ key: readFileSync(key), cert: readFileSync(certFile) }, (req, res) => {
    n++;
    req.resume();
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    requests: () => n,
    certFile,
    [Symbol.asyncDispose]: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

describe('load-test against an https target', () => {
  it('refuses an untrusted certificate with exit 2 before any request', async () => {
    await using dir = testdir({});
    await using srv = await startHttps(dir.path);
    const r = await runInProcess(step, ['--target', `${srv.url}/ok`, '--report-dir', 'out', ...RELAXED], { cwd: dir.path });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /TLS certificate is not trusted \(.*SELF_SIGNED|self.signed/i);
    assert.match(r.stderr, /--ca-file/);
    assert.equal(srv.requests(), 0);
  });

  it('loads it when the CA bundle is given, as a file or as a directory holding ca.crt', async () => {
    await using dir = testdir({});
    await using srv = await startHttps(dir.path);
    const r = await runInProcess(step, ['--target', `${srv.url}/ok`, '--ca-file', srv.certFile, '--report-dir', 'out', ...RELAXED], { cwd: dir.path });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(srv.requests() > 0);
    execFileSync('sh', ['-c', `mkdir -p ${dir.path}/ca && cp ${srv.certFile} ${dir.path}/ca/ca.crt`]);
    const d = await runInProcess(step, ['--target', `${srv.url}/ok`, '--ca-file', 'ca', '--report-dir', 'out2', ...RELAXED], { cwd: dir.path });
    assert.equal(d.code, 0, d.stderr);
  });

  it('loads it anyway with --insecure, and says so', async () => {
    await using dir = testdir({});
    await using srv = await startHttps(dir.path);
    const r = await runInProcess(step, ['--target', `${srv.url}/ok`, '--insecure', '--report-dir', 'out', ...RELAXED], { cwd: dir.path });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(srv.requests() > 0);
    assert.match(r.stderr + r.stdout, /--insecure: the certificate of 127\.0\.0\.1:\d+ is not checked/);
  });

  it('an unreadable or non-PEM CA bundle is bad input (exit 2)', async () => {
    await using dir = testdir({ 'not-pem.txt': 'hello' });
    const missing = await runInProcess(step, ['--target', 'https://127.0.0.1:9/ok', '--ca-file', 'nope.pem', '--report-dir', 'out', ...RELAXED], { cwd: dir.path });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /param ca-file: cannot read .*nope\.pem \(ENOENT\)/);
    const junk = await runInProcess(step, ['--target', 'https://127.0.0.1:9/ok', '--ca-file', 'not-pem.txt', '--report-dir', 'out', ...RELAXED], { cwd: dir.path });
    assert.equal(junk.code, 2);
    assert.match(junk.stderr, /holds no PEM certificate/);
  });
});
