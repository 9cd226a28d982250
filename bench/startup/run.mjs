#!/usr/bin/env node
// Start-up cost of each step bundle: `node dist/<step>.mjs --help` against bare `node -e 0`,
// measured with hyperfine in the same run, reported as a ratio of medians.
// Target (issue 2): at most 1.3x bare Node for every step.
//   node bench/startup/run.mjs [--runs N] [--write]   (--write updates bench/startup/RESULTS.md)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 40;
const TARGET = 1.3;

try {
  execFileSync('hyperfine', ['--version'], { stdio: 'ignore' });
} catch {
  console.error('bench/startup needs hyperfine (Debian: apt-get install -y hyperfine)');
  process.exit(2);
}
// Steps only (packages with a step declaration); the step-counter app is not a step.
const bundles = readdirSync(join(root, 'dist'))
  .filter((f) => f.endsWith('.mjs') && existsSync(join(root, 'packages', f.replace(/\.mjs$/, ''), 'src', 'step.ts')))
  .sort();
if (bundles.length === 0) {
  console.error('no bundles in dist/: run npm run build first');
  process.exit(2);
}

const tmp = mkdtempSync(join(tmpdir(), 'steg-bench-'));
const node = process.execPath;
const commands = [`${node} -e 0`, ...bundles.map((b) => `${node} ${join(root, 'dist', b)} --help`)];
const out = join(tmp, 'hyperfine.json');
execFileSync('hyperfine', ['-N', '--warmup', '5', '--runs', String(runs), '--export-json', out, ...commands], { stdio: ['ignore', 'ignore', 'inherit'] });
const { results } = JSON.parse(readFileSync(out, 'utf8'));
rmSync(tmp, { recursive: true, force: true });

const base = results[0].median;
const rows = results.slice(1).map((r, i) => {
  const ratio = r.median / base;
  return { step: bundles[i].replace(/\.mjs$/, ''), ms: r.median * 1000, ratio, ok: ratio <= TARGET };
});
const lines = [
  `node -e 0: ${(base * 1000).toFixed(1)} ms median (${runs} runs, ${process.version})`,
  '| step | --help median (ms) | ratio to node -e 0 | target <= 1.3x |',
  '| --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.step} | ${r.ms.toFixed(1)} | ${r.ratio.toFixed(2)}x | ${r.ok ? 'met' : 'NOT met'} |`),
];
console.log(lines.join('\n'));
if (args.includes('--write')) {
  const date = new Date().toISOString().slice(0, 10);
  writeFileSync(
    join(root, 'bench', 'startup', 'RESULTS.md'),
    `# Start-up: step bundles against bare Node\n\nMeasured ${date} on a 2-core Debian 12 VM with \`npm run build && node bench/startup/run.mjs --write\` (hyperfine, ${runs} runs each after 5 warm-ups, medians).\n\n${lines.join('\n')}\n`,
  );
}
