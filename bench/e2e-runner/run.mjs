#!/usr/bin/env node
// e2e-runner's overhead against a bare `playwright test` of the same suite (hyperfine), and the
// time from "new version live" to "tests start" (at most one poll interval is the target).
//   npm run build && node bench/e2e-runner/run.mjs [--runs N]
// Writes bench/e2e-runner/RESULTS.md.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

const here = import.meta.dirname;
const root = join(here, '..', '..');
const bundle = join(root, 'dist', 'e2e-runner.mjs');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 10;
if (process.argv.includes('--help')) {
  console.log('usage: npm run build && node bench/e2e-runner/run.mjs [--runs N]   (writes bench/e2e-runner/RESULTS.md)');
  process.exit(0);
}
if (!existsSync(bundle)) {
  console.error(`${bundle} is missing: run npm run build first`);
  process.exit(2);
}
const cli = join(dirname(createRequire(join(root, 'packages', 'e2e-runner', 'package.json')).resolve('@playwright/test/package.json')), 'cli.js');

let version = '1.0.0';
const server = createServer((req, res) => {
  if (req.url === '/version') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ version }));
  } else if (req.url === '/readyz') {
    res.end('ok');
  } else {
    const n = /\/page\/(\d+)/.exec(req.url ?? '')?.[1] ?? '0';
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>Page ${n}</title><h1>Page ${n}</h1>`);
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}`;

// The suite in a workspace of its own, as in a pipeline; both commands run the same files.
const work = mkdtempSync(join(tmpdir(), 'steg-bench-e2e-'));
cpSync(join(here, 'suite'), join(work, 'suite'), { recursive: true });
// The bare run resolves @playwright/test from the repo, as a developer's checkout would.
const env = { ...process.env, BASE_URL: url, NODE_PATH: join(root, 'node_modules'), CI: 'true', FORCE_COLOR: '0' };

function sh(cmd, args, o = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'], ...o });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${out.slice(-2000)}`))));
  });
}

try {
  const bare = `node ${cli} test -c ${join(work, 'suite/e2e/playwright.config.ts')}`;
  const runner = `node ${bundle} --url ${url} --suite ${join(work, 'suite')} --reports ${join(work, 'reports')} --results-dir ${join(work, 'results')} --trace off --screenshot off`;
  const exportFile = join(work, 'hyperfine.json');
  console.log(`hyperfine: ${runs} runs each, 1 warm-up`);
  await sh('hyperfine', ['--warmup', '1', '--runs', String(runs), '--export-json', exportFile, '-n', 'bare playwright test', bare, '-n', 'e2e-runner', runner], { cwd: work });
  const hf = JSON.parse(readFileSync(exportFile, 'utf8')).results;
  const [b, r] = hf;
  const overhead = (r.mean / b.mean - 1) * 100;
  console.log(`bare ${b.mean.toFixed(2)} s ± ${b.stddev.toFixed(2)}, e2e-runner ${r.mean.toFixed(2)} s ± ${r.stddev.toFixed(2)}: overhead ${overhead.toFixed(1)} %`);
  console.log(`CPU: bare ${(b.user + b.system).toFixed(2)} s, e2e-runner ${(r.user + r.system).toFixed(2)} s`);

  // hyperfine runs all of one command, then all of the other: on a machine shared with other
  // work, load drifts between the two blocks. Interleaved pairs (AB, BA, ...) see the same load,
  // so the median of the per-pair ratios is the figure that holds up under noise.
  const timed = async (cmd) => {
    const t0 = performance.now();
    await sh('sh', ['-c', cmd], { cwd: work });
    return (performance.now() - t0) / 1000;
  };
  const pairs = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      const tb = await timed(bare);
      const tr = await timed(runner);
      pairs.push({ tb, tr });
    } else {
      const tr = await timed(runner);
      const tb = await timed(bare);
      pairs.push({ tb, tr });
    }
  }
  const median = (xs) => {
    const s = [...xs].sort((x, y) => x - y);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const pairRatio = median(pairs.map((p) => p.tr / p.tb));
  const pairDiff = median(pairs.map((p) => p.tr - p.tb));
  console.log(`interleaved pairs: median ratio ${pairRatio.toFixed(3)} (overhead ${((pairRatio - 1) * 100).toFixed(1)} %), median difference ${pairDiff.toFixed(2)} s`);

  // Version switch: the runner waits for 2.0.0 polling every second; the bench switches at a
  // random moment and notes when the runner says the tests start.
  const intervalMs = 1000;
  const latencies = [];
  for (let i = 0; i < 5; i++) {
    version = '1.0.0';
    const child = spawn(process.execPath, [bundle, '--url', url, '--expected-version', '2.0.0', '--wait-interval', `${intervalMs}ms`, '--suite', join(work, 'suite'), '--reports', join(work, `reports-switch-${i}`), '--results-dir', join(work, `results-switch-${i}`), '--trace', 'off', '--screenshot', 'off'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let switchedAt = 0;
    let startedAt = 0;
    createInterface({ input: child.stderr }).on('line', (line) => {
      if (!startedAt && /starting the tests/.test(line)) startedAt = performance.now();
    });
    await new Promise((r) => setTimeout(r, 1500 + Math.random() * 1000));
    version = '2.0.0';
    switchedAt = performance.now();
    await new Promise((res, rej) => child.on('close', (c) => (c === 0 ? res() : rej(new Error(`runner exited ${c}`)))));
    latencies.push(startedAt - switchedAt);
  }
  const maxLatency = Math.max(...latencies);
  console.log(`version live -> tests start: ${latencies.map((l) => `${Math.round(l)} ms`).join(', ')} (interval ${intervalMs} ms)`);

  const date = new Date().toISOString().slice(0, 10);
  const hfv = (await sh('hyperfine', ['--version'])).trim();
  const md = `# e2e-runner benchmark

Measured ${date} on the project's 2-core VM (shared with other work while it ran), Node ${process.version}, ${hfv}, Chromium from /usr/bin/chromium, @playwright/test 1.65.1.

\`\`\`
npm run build && node bench/e2e-runner/run.mjs --runs ${runs}
\`\`\`

## Overhead against a bare \`playwright test\` of the same suite
The suite: bench/e2e-runner/suite (6 page tests, 1 worker) against a loopback page server.
Bare: \`node node_modules/@playwright/test/cli.js test -c suite/e2e/playwright.config.ts\` (list reporter).
e2e-runner: \`node dist/e2e-runner.mjs --url URL --suite suite --reports DIR --trace off --screenshot off\`
(version and readiness check, wrapper config, list + JSON + HTML reporters, JUnit and summary).

| command | mean | stddev | min | max |
| --- | --- | --- | --- | --- |
| bare playwright test | ${b.mean.toFixed(3)} s | ${b.stddev.toFixed(3)} s | ${b.min.toFixed(3)} s | ${b.max.toFixed(3)} s |
| e2e-runner | ${r.mean.toFixed(3)} s | ${r.stddev.toFixed(3)} s | ${r.min.toFixed(3)} s | ${r.max.toFixed(3)} s |

CPU time (user + system, all processes: Node, Playwright's workers, Chromium), which load on the
shared machine disturbs far less than wall time: bare ${(b.user + b.system).toFixed(2)} s, e2e-runner
${(r.user + r.system).toFixed(2)} s, **CPU overhead ${(((r.user + r.system) / (b.user + b.system) - 1) * 100).toFixed(1)} %**.

hyperfine wall time (all bare runs, then all e2e-runner runs): mean ratio ${(r.mean / b.mean).toFixed(3)}
(${overhead.toFixed(1)} %), min ratio ${(r.min / b.min).toFixed(3)} (${((r.min / b.min - 1) * 100).toFixed(1)} %).

Interleaved pairs (${pairs.length}, alternating which runs first, so both see the same load):
bare ${pairs.map((p) => p.tb.toFixed(2)).join(', ')} s; e2e-runner ${pairs.map((p) => p.tr.toFixed(2)).join(', ')} s.

Wall-time overhead: ${((pairRatio - 1) * 100).toFixed(1)} % (median per-pair ratio ${pairRatio.toFixed(3)}, median
difference ${pairDiff.toFixed(2)} s; target at most 10 %).

## New version live to tests start
The runner waits for version 2.0.0 with \`--wait-interval 1s\`; the bench switches the server's
/version from 1.0.0 to 2.0.0 at a random moment and measures until the runner logs
"starting the tests". ${latencies.length} runs: ${latencies.map((l) => `${Math.round(l)} ms`).join(', ')}.

**Worst: ${Math.round(maxLatency)} ms against a poll interval of ${intervalMs} ms** (target: at most one interval).
`;
  writeFileSync(join(here, 'RESULTS.md'), md);
  console.log(`wrote ${join(here, 'RESULTS.md')}`);
} finally {
  server.close();
  rmSync(work, { recursive: true, force: true });
}
