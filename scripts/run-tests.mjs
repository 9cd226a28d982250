#!/usr/bin/env node
// Runs the test suite with Node's own test runner (tsx for TypeScript), so no test
// framework is needed and every Node version we support runs it the same way.
//   node scripts/run-tests.mjs            all tests
//   node scripts/run-tests.mjs --unit     only unit tests (src/**/*.test.ts), no services needed
//   node scripts/run-tests.mjs PATH...    only test files under these paths
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const roots = args.filter((a) => !a.startsWith('--'));
const skipDirs = new Set(['node_modules', 'dist', 'fixtures', '.git', 'e2e', 'test-results', 'playwright-report']);

/** Lists *.test.ts files below dir, skipping dependencies, build output and fixtures. */
function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) {
      if (!skipDirs.has(name)) out.push(...findTests(p));
    } else if (name.endsWith('.test.ts')) {
      out.push(p);
    }
  }
  return out;
}

let files = (roots.length ? roots.map((r) => join(root, r)) : [join(root, 'packages'), join(root, 'test')])
  .flatMap((p) => (statSync(p).isDirectory() ? findTests(p) : [p]));
if (unitOnly) files = files.filter((f) => relative(root, f).split('/').includes('src'));
files.sort();
if (files.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}

const concurrency = Math.max(1, Math.min(4, availableParallelism()));
const env = {
  ...process.env,
  TESTCONTAINERS_RYUK_DISABLED: 'true',
  TESTCONTAINERS_HOST_OVERRIDE: process.env.TESTCONTAINERS_HOST_OVERRIDE ?? 'localhost',
};
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files.map((f) => relative(root, f))],
  { cwd: root, stdio: 'inherit', env },
);
process.exit(res.status ?? 1);
