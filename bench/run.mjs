#!/usr/bin/env node
// Runs the benchmarks: `npm run bench` lists them, `npm run bench -- <name> [args]` runs one
// (bench/<name>/run.mjs). Each compares a step with the peer tool in the same run and prints ratios.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const here = new URL('.', import.meta.url).pathname;
const names = readdirSync(here).filter((n) => existsSync(join(here, n, 'run.mjs'))).sort();
const [name, ...rest] = process.argv.slice(2);
if (!name) {
  console.log(`benchmarks: ${names.join(', ')}\nrun one: npm run bench -- <name>   (figures: BENCHMARKS.md)`);
  process.exit(0);
}
if (!names.includes(name)) {
  console.error(`no benchmark "${name}"; there are: ${names.join(', ')}`);
  process.exit(2);
}
process.exit(spawnSync(process.execPath, [join(here, name, 'run.mjs'), ...rest], { stdio: 'inherit' }).status ?? 1);
