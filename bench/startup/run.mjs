#!/usr/bin/env node
// Start-up cost of each step bundle: `node dist/<step>.mjs --help` against bare `node -e 0`,
// in the same run, reported as ratios of medians. Target (issue 2): at most 1.3x bare Node.
// Runs are interleaved (bare, step A, step B, ..., bare, ...) so load on a shared machine hits
// every command alike; wall time is measured around each process with hrtime.
//   node bench/startup/run.mjs [--runs N] [--write]   (--write updates bench/startup/RESULTS.md)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 40;
const TARGET = 1.3;

// Steps only (packages with a step declaration); the step-counter app is not a step.
const bundles = readdirSync(join(root, 'dist'))
  .filter((f) => f.endsWith('.mjs') && existsSync(join(root, 'packages', f.replace(/\.mjs$/, ''), 'src', 'step.ts')))
  .sort();
if (bundles.length === 0) {
  console.error('no step bundles in dist/: run npm run build first');
  process.exit(2);
}
const commands = [['bare node', ['-e', '0']], ...bundles.map((b) => [b.replace(/\.mjs$/, ''), [join(root, 'dist', b), '--help']])];

/** Wall milliseconds of one process run; fails loudly if the command fails. */
function time(argv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { stdio: 'ignore' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`node ${argv.join(' ')} exited ${r.status}`);
  return ms;
}

const samples = commands.map(() => []);
for (let i = 0; i < runs + 3; i++) {
  commands.forEach(([, argv], j) => {
    const ms = time(argv);
    if (i >= 3) samples[j].push(ms); // the first rounds warm the page cache
  });
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const base = median(samples[0]);
const rows = commands.slice(1).map(([name], j) => {
  const ms = median(samples[j + 1]);
  return { name, ms, ratio: ms / base };
});
const lines = [
  `node -e 0: ${base.toFixed(1)} ms median (${runs} interleaved runs, Node ${process.version})`,
  '',
  '| step | --help median (ms) | ratio to node -e 0 | target <= 1.3x |',
  '| --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.name} | ${r.ms.toFixed(1)} | ${r.ratio.toFixed(2)}x | ${r.ratio <= TARGET ? 'met' : 'NOT met'} |`),
];
console.log(lines.join('\n'));
if (args.includes('--write')) {
  const date = new Date().toISOString().slice(0, 10);
  writeFileSync(
    join(root, 'bench', 'startup', 'RESULTS.md'),
    `# Start-up: step bundles against bare Node\n\nMeasured ${date} on a 2-core Debian 12 VM with \`npm run build && node bench/startup/run.mjs --write\`.\n\n${lines.join('\n')}\n`,
  );
}
