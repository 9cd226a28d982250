#!/usr/bin/env node
// Reads the rows run.sh measured (markdown table rows on stdin, one per run) and prints, per
// command, the median of each column with its range, and for the pino runs the ratio of each
// shipper row to pino-elasticsearch per CPU-second, round by round.
//   node bench/elk-log-shipper/medians.mjs < rows.md
import { readFileSync } from 'node:fs';

const rows = readFileSync(0, 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('| ') && !l.startsWith('| run ') && !l.startsWith('| ---'))
  .map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
const num = (s) => Number(s.replace(/[k,]/g, ''));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const byName = new Map();
for (const r of rows) byName.set(r[0], [...(byName.get(r[0]) ?? []), r]);
console.log('| run | runs | MiB/s (wall), median (range) | lines/s (wall), median | MiB/s per CPU-second, median (range) | wall s, median | CPU s, median | max RSS MiB, highest |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
for (const [name, rs] of byName) {
  const col = (i) => rs.map((r) => num(r[i]));
  const range = (xs) => (xs.length > 1 ? ` (${fmt(Math.min(...xs))}-${fmt(Math.max(...xs))})` : '');
  console.log(`| ${name} | ${rs.length} | ${fmt(median(col(1)))}${range(col(1))} | ${Math.round(median(col(2)))}k | ${fmt(median(col(3)))}${range(col(3))} | ${median(col(4)).toFixed(1)} | ${median(col(5)).toFixed(1)} | ${Math.max(...col(6))} |`);
}
const peer = byName.get('pino-elasticsearch');
if (peer) {
  console.log();
  for (const name of ['steg-pino-plain', 'steg-pino-gzip']) {
    const ours = byName.get(name);
    if (!ours) continue;
    // Round k of each: they ran next to each other, so their ratio cancels most of the VM's drift.
    const ratios = ours.map((r, k) => num(r[3]) / num(peer[k]?.[3] ?? 'NaN')).filter(Number.isFinite);
    console.log(`${name} / pino-elasticsearch per CPU-second, by round: ${ratios.map((x) => `${x.toFixed(2)}x`).join(', ')}; median ${median(ratios).toFixed(2)}x`);
  }
}
