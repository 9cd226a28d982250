// CPU cost per request of load-test's generator against plain autocannon, in one Node process
// (no start-up cost in either figure) against the same nginx: the overhead of the open-model
// hooks, per-route and timeline HDR histograms, error classification and progress. CPU time
// per request barely depends on how much of the core other work leaves, so it holds on a busy VM.
//   node --import tsx bench/load-test/overhead.ts [--seconds 5] [--rounds 3]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Collector } from '../../packages/load-test/src/collector.ts';
import { runLoad } from '../../packages/load-test/src/generator.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : dflt);
const seconds = opt('seconds', 5);
const rounds = opt('rounds', 3);
const connections = opt('connections', 50);

const port = await new Promise<number>((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => {
    const { port: p } = s.address() as AddressInfo;
    s.close(() => resolve(p));
  });
});
const dir = mkdtempSync(join(tmpdir(), 'steg-bench-overhead-'));
writeFileSync(join(dir, 'nginx.conf'), `daemon off; worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000; client_body_temp_path ${dir}/b; proxy_temp_path ${dir}/p; fastcgi_temp_path ${dir}/f; uwsgi_temp_path ${dir}/u; scgi_temp_path ${dir}/s;
  server { listen 127.0.0.1:${port}; location / { default_type text/plain; return 200 'ok'; } } }
`);
const nginx = spawn('taskset', ['-c', '1', 'nginx', '-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
const url = `http://127.0.0.1:${port}/`;
try {
  for (let i = 0; i < 50 && !(await fetch(url).then((r) => r.ok, () => false)); i++) await new Promise((r) => setTimeout(r, 100));

  const cpuPerRequest = async (fn: () => Promise<number>): Promise<number> => {
    const before = process.cpuUsage();
    const requests = await fn();
    const used = process.cpuUsage(before);
    return (used.user + used.system) / requests;
  };
  const plain = async (): Promise<number> => {
    const r = (await autocannon({ url, connections, duration: seconds })) as unknown as { requests: { total: number } };
    return r.requests.total;
  };
  const ours = async (): Promise<number> => {
    const c = new Collector(['request'], 1000);
    await runLoad({ target: new URL(url), routes: [{ name: 'request', method: 'GET', path: '/', headers: {}, weight: 1 }], connections, durationMs: seconds * 1000, warmupMs: 0, rate: 0, timeoutMs: 10_000, keepAlive: true, headers: {}, onProgress: () => undefined, progressMs: 5000 }, c);
    return c.routes.reduce((a, r) => a + [...r.status.values()].reduce((x, y) => x + y, 0), 0);
  };
  // One round of each first, not counted: JIT and connection set-up.
  await plain();
  await ours();
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 1; r <= rounds; r++) {
    a.push(await cpuPerRequest(plain));
    b.push(await cpuPerRequest(ours));
    console.log(`round ${r}: autocannon ${a.at(-1)?.toFixed(2)} µs CPU per request, load-test ${b.at(-1)?.toFixed(2)} µs`);
  }
  const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
  console.log(`median: autocannon ${median(a).toFixed(2)} µs, load-test ${median(b).toFixed(2)} µs per request; overhead ${((median(b) / median(a) - 1) * 100).toFixed(1)}% (target <= 5%)`);
} finally {
  nginx.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
