#!/usr/bin/env node
// Generator efficiency of steg load-test against wrk and the plain autocannon CLI, on the same
// target in the same run: nginx (Debian's nginx-light) on a loopback port with a temp config,
// pinned to one core, each generator pinned to the other (taskset), the same connections.
//   node bench/load-test/run.mjs [--seconds 5] [--rounds 3] [--connections 50] [--nice -15] [--write]
// Needs dist/load-test.mjs (npm run build), nginx, wrk, taskset. --write updates RESULTS.md.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const seconds = opt('seconds', 5);
const rounds = opt('rounds', 3);
const connections = opt('connections', 50);
const latencyConnections = opt('latency-connections', 4);
const write = args.includes('--write');
// The VM is shared: a raised priority (root only) keeps other work from deciding the figures.
const nice = opt('nice', process.getuid?.() === 0 ? -15 : 0);
const pin = (core, argv) => ['-n', String(nice), 'taskset', '-c', String(core), ...argv];
// A generator's CPU time (user + system, all its threads) per request does not depend on how
// much of the core the other work on the VM left it, so it is reported next to requests/s.
const timed = (core, argv) => ['-n', String(nice), '/usr/bin/time', '-f', 'STEG_CPU %U %S', 'taskset', '-c', String(core), ...argv];
const cpuOf = (stderr) => {
  const m = /STEG_CPU ([\d.]+) ([\d.]+)/.exec(stderr);
  return m ? Number(m[1]) + Number(m[2]) : NaN;
};
const bundle = join(root, 'dist', 'load-test.mjs');
const autocannonCli = join(root, 'packages', 'load-test', 'node_modules', 'autocannon', 'autocannon.js');
for (const [what, ok] of [['dist/load-test.mjs (npm run build)', existsSync(bundle)], ['autocannon 9 (npm install)', existsSync(autocannonCli)], ['nginx', has('nginx')], ['wrk', has('wrk')], ['taskset', has('taskset')]]) {
  if (!ok) {
    console.error(`bench/load-test: ${what} is missing`);
    process.exit(2);
  }
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

async function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Runs a command to completion (bounded by a timeout) and returns its output. */
function run(cmd, argv, timeoutMs = (seconds + 60) * 1000) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
    child.on('error', reject);
  });
}

const dir = mkdtempSync(join(tmpdir(), 'steg-bench-load-'));
const port = await freePort();
const url = `http://127.0.0.1:${port}/`;
writeFileSync(join(dir, 'nginx.conf'), `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:${port};
    location / { default_type text/plain; return 200 'ok'; }
  }
}
`);
// For the percentiles: a server that answers after 20 ms (nginx-light has no delay; its
// limit_rate works in whole seconds). Against 20 ms the generators' own per-request cost is small,
// so at moderate load they should measure the same latencies.
const slowPort = await freePort();
const slowUrl = `http://127.0.0.1:${slowPort}/`;
const slowServer = spawn('nice', pin(1, [process.execPath, '-e', `require('node:http').createServer((q, s) => setTimeout(() => s.end('ok'), 20)).listen(${slowPort}, '127.0.0.1')`]), { stdio: 'ignore' });
const nginx = spawn('nice', pin(1, ['nginx', '-p', dir, '-c', join(dir, 'nginx.conf')]), { stdio: 'ignore' });
const stopNginx = () => {
  if (nginx.exitCode == null) nginx.kill('SIGTERM');
  if (slowServer.exitCode == null) slowServer.kill('SIGTERM');
};
process.on('exit', () => {
  stopNginx();
  rmSync(dir, { recursive: true, force: true });
});
for (const u of [url, slowUrl]) {
  for (let i = 0; i < 50; i++) {
    if (await fetch(u).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const parseWrkLatency = (text) => {
  const unit = { us: 0.001, ms: 1, s: 1000 };
  const p = {};
  for (const m of text.matchAll(/^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)$/gm)) p[m[1]] = Number(m[2]) * unit[m[3]];
  return p;
};

const tools = {
  async wrk(c, target = url) {
    const r = await run('nice', timed(0, ['wrk', '-t1', `-c${c}`, `-d${seconds}s`, '--latency', target]));
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(r.out)?.[1]);
    const total = Number(/(\d+) requests in/.exec(r.out)?.[1]);
    return { rps, perCpu: total / cpuOf(r.err), latency: parseWrkLatency(r.out) };
  },
  async autocannon(c, target = url) {
    const r = await run('nice', timed(0, [process.execPath, autocannonCli, '-c', String(c), '-d', String(seconds), '-j', target]));
    const j = JSON.parse(r.out.trim().split('\n').at(-1));
    return { rps: j.requests.total / j.duration, perCpu: j.requests.total / cpuOf(r.err), latency: { 50: j.latency.p50, 90: j.latency.p90, 99: j.latency.p99 } };
  },
  async 'load-test'(c, target = url) {
    const reports = join(dir, `lt-${Math.random().toString(36).slice(2)}`);
    const r = await run('nice', timed(0, [process.execPath, bundle, '--target', target, '--connections', String(c), '--duration', `${seconds}s`, '--warmup', '0', '--report-dir', reports, '--max-generator-cpu', '400', '--max-generator-lag', '10s', '--progress-interval', '5m']));
    const s = JSON.parse(readFileSync(join(reports, 'summary.json'), 'utf8'));
    return { rps: s.overall.rps, perCpu: s.overall.requests / cpuOf(r.err), latency: { 50: s.overall.latencyMs.p50, 90: s.overall.latencyMs.p90, 99: s.overall.latencyMs.p99 } };
  },
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rps = { wrk: [], autocannon: [], 'load-test': [] };
const perCpu = { wrk: [], autocannon: [], 'load-test': [] };
try {
  console.log(`nginx on core 1 at ${url}; generators on core 0; ${connections} connections, ${seconds}s per run, ${rounds} rounds (interleaved)`);
  for (let r = 1; r <= rounds; r++) {
    for (const name of Object.keys(tools)) {
      const res = await tools[name](connections);
      rps[name].push(res.rps);
      perCpu[name].push(res.perCpu);
      console.log(`round ${r} ${name.padEnd(10)} ${Math.round(res.rps)} req/s, ${Math.round(res.perCpu)} requests per CPU-second`);
    }
  }
  const m = Object.fromEntries(Object.entries(rps).map(([k, v]) => [k, median(v)]));
  const vsWrk = m['load-test'] / m.wrk;
  const acVsWrk = m.autocannon / m.wrk;
  const overhead = (1 - m['load-test'] / m.autocannon) * 100;
  const e = Object.fromEntries(Object.entries(perCpu).map(([k, v]) => [k, median(v)]));
  const cpuVsWrk = e['load-test'] / e.wrk;
  const cpuOverhead = (e.autocannon / e['load-test'] - 1) * 100;

  console.log(`\nlatency at moderate load: ${latencyConnections} connections on ${slowUrl} (a node:http server answering after 20 ms, on core 1)`);
  const lat = {};
  for (const name of ['wrk', 'load-test']) {
    const runs = [];
    for (let r = 0; r < rounds; r++) runs.push((await tools[name](latencyConnections, slowUrl)).latency);
    lat[name] = Object.fromEntries(['50', '90', '99'].map((p) => [p, median(runs.map((x) => x[p]))]));
    console.log(`${name.padEnd(10)} p50 ${lat[name][50]}ms p90 ${lat[name][90]}ms p99 ${lat[name][99]}ms`);
  }
  const diff = Object.fromEntries(['50', '90', '99'].map((p) => [p, ((lat['load-test'][p] - lat.wrk[p]) / lat.wrk[p]) * 100]));

  const lines = [
    `requests/s (median of ${rounds}): wrk ${Math.round(m.wrk)}, autocannon CLI ${Math.round(m.autocannon)}, load-test ${Math.round(m['load-test'])}`,
    `load-test / wrk: ${vsWrk.toFixed(3)}x (target >= 0.45x); autocannon / wrk: ${acVsWrk.toFixed(3)}x`,
    `load-test overhead over the autocannon CLI: ${overhead.toFixed(1)}% (target <= 5%)`,
    `requests per CPU-second (median): wrk ${Math.round(e.wrk)}, autocannon CLI ${Math.round(e.autocannon)}, load-test ${Math.round(e['load-test'])}; load-test / wrk ${cpuVsWrk.toFixed(3)}x; CPU per request over autocannon ${cpuOverhead.toFixed(1)}%`,
    `latency vs wrk at ${latencyConnections} connections: p50 ${fmt(diff[50])}, p90 ${fmt(diff[90])}, p99 ${fmt(diff[99])} (target within 10%)`,
  ];
  console.log(`\n${lines.join('\n')}`);
  if (write) {
    const date = new Date().toISOString().slice(0, 10);
    const body = `# load-test benchmark

Measured ${date} on the project's 2-core VM (shared with other work while it ran; load average
at the start: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}), Node ${process.version}, nginx from Debian (nginx-light),
wrk from Debian, autocannon 9.0.0 (the CLI) and dist/load-test.mjs.

\`\`\`
npm run build && node bench/load-test/run.mjs --seconds ${seconds} --rounds ${rounds} --connections ${connections} --latency-connections ${latencyConnections} --write
\`\`\`

nginx (\`worker_processes 1\`, \`return 200 'ok'\`) runs on core 1, each generator on core 0
(\`taskset\`, both at nice ${nice} so the other work on the VM does not decide the figures), one after the other, ${connections} keep-alive connections, ${seconds} s per run, ${rounds}
interleaved rounds; the medians are compared.

| generator | requests/s (runs) | median |
| --- | --- | --- |
| wrk -t1 | ${rps.wrk.map((x) => Math.round(x)).join(', ')} | ${Math.round(m.wrk)} |
| autocannon CLI | ${rps.autocannon.map((x) => Math.round(x)).join(', ')} | ${Math.round(m.autocannon)} |
| steg load-test | ${rps['load-test'].map((x) => Math.round(x)).join(', ')} | ${Math.round(m['load-test'])} |

- **load-test / wrk: ${vsWrk.toFixed(3)}x** (target at least 0.45x; autocannon / wrk: ${acVsWrk.toFixed(3)}x)
- **Overhead over the autocannon CLI: ${overhead.toFixed(1)} %** (target at most 5 %)

CPU cost, which the other work on the VM does not distort the way it distorts requests/s
(user + system time of the generator process, all threads, from \`/usr/bin/time\`):

| generator | requests per CPU-second (runs) | median |
| --- | --- | --- |
| wrk -t1 | ${perCpu.wrk.map((x) => Math.round(x)).join(', ')} | ${Math.round(e.wrk)} |
| autocannon CLI | ${perCpu.autocannon.map((x) => Math.round(x)).join(', ')} | ${Math.round(e.autocannon)} |
| steg load-test | ${perCpu['load-test'].map((x) => Math.round(x)).join(', ')} | ${Math.round(e['load-test'])} |

- **load-test / wrk per CPU-second: ${cpuVsWrk.toFixed(3)}x**; autocannon / wrk: ${(e.autocannon / e.wrk).toFixed(3)}x
- **CPU per request over the autocannon CLI: ${cpuOverhead.toFixed(1)} %**

## Percentiles against wrk at moderate load
${latencyConnections} connections (closed model) against a node:http server on core 1 that answers after
20 ms (nginx-light has no delay module, and its limit_rate works in whole seconds), so the load is moderate and the generators' own per-request cost is small;
medians of ${rounds} runs, ms:

| generator | p50 | p90 | p99 |
| --- | --- | --- | --- |
| wrk | ${lat.wrk[50]} | ${lat.wrk[90]} | ${lat.wrk[99]} |
| load-test | ${lat['load-test'][50]} | ${lat['load-test'][90]} | ${lat['load-test'][99]} |
| difference | ${fmt(diff[50])} | ${fmt(diff[90])} | ${fmt(diff[99])} |

Target: within 10 %.
`;
    // A busy VM measures the scheduler, not the generators: say so next to the figures.
    const load = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
    const busy = load > 2
      ? `\n## Caveat: a busy machine\nThe load average was ${load} on 2 cores while this ran (wrk reached ${Math.round(m.wrk)} req/s here against\nabout 136k on a quiet machine, ENVIRONMENT.md). Every generator was starved in turn, so these\nratios say little about the targets; rerun the command on a quiet machine to judge them.\nThe requests per CPU-second figures also carry Node's start-up CPU, which is large against\nthe few requests a starved run completes.\n`
      : '';
    writeFileSync(join(root, 'bench', 'load-test', 'RESULTS.md'), body + busy);
    console.log('wrote bench/load-test/RESULTS.md');
  }
} finally {
  stopNginx();
}

function fmt(v) {
  return `${v >= 0 ? '+' : ''}${v.toFixed(1)}%`;
}
