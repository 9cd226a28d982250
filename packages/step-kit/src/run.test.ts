import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadInputError, CheckFailedError } from './errors.ts';
import { exec } from './exec.ts';
import { param } from './params.ts';
import { runStep } from './run.ts';
import { defineStep } from './step.ts';

const CANARY = 'canary-s3cr3t-7f1e';

class Sink {
  text = '';
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

let sideEffects = 0;
const step = defineStep({
  name: 'demo',
  description: 'A step for testing the contract.',
  params: {
    mode: param.enum(['ok', 'check-fail', 'bad', 'crash', 'big', 'leak', 'child', 'slow'], { description: 'what to do', default: 'ok' }),
    count: param.int({ description: 'how many', default: 1, min: 0 }),
    token: param.secret({ description: 'an API token' }),
  },
  results: {
    version: { description: 'a version' },
    summary: { description: 'a summary', type: 'json' },
  },
  async run(ctx) {
    sideEffects++;
    const mode = ctx.params.mode;
    ctx.log.info(`working with token ${ctx.params.token}`);
    if (mode === 'check-fail') {
      ctx.setResult('version', '1.2.3');
      throw new CheckFailedError('3 tests failed');
    }
    if (mode === 'bad') throw new BadInputError('the profile has no routes');
    if (mode === 'crash') throw new Error(`boom with ${ctx.params.token}`);
    if (mode === 'big') ctx.setResult('summary', { blob: 'x'.repeat(5000) });
    if (mode === 'leak') ctx.setResult('version', `v-${ctx.params.token}`);
    if (mode === 'child') {
      await exec(process.execPath, ['-e', `console.log('child says ${ctx.params.token}'); console.error('child err ${ctx.params.token}')`], { log: ctx.log, redactor: ctx.redactor });
    }
    if (mode === 'slow') await new Promise((r) => setTimeout(r, 5000));
    if (mode === 'ok') {
      ctx.setResult('version', '1.2.3\n');
      ctx.setResult('summary', { passed: ctx.params.count, names: ['a'] });
    }
  },
});

async function run(argv: string[], env: NodeJS.ProcessEnv = {}, tekton = true) {
  const stdout = new Sink();
  const stderr = new Sink();
  const dir = mkdtempSync(join(tmpdir(), 'steg-run-'));
  const resultsDir = join(dir, 'results');
  if (tekton) mkdirSync(resultsDir);
  const code = await runStep(step, {
    argv,
    env: { STEG_TOKEN: CANARY, ...env },
    stdout,
    stderr,
    cwd: dir,
    tektonResultsDir: tekton ? resultsDir : join(dir, 'absent'),
  });
  const results: Record<string, string> = {};
  if (existsSync(resultsDir)) for (const f of readdirSync(resultsDir)) results[f] = readFileSync(join(resultsDir, f), 'utf8');
  rmSync(dir, { recursive: true, force: true });
  return { code, stdout: stdout.text, stderr: stderr.text, results };
}

test('writes results with no trailing newline and compact JSON, exit 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'steg-run-'));
  mkdirSync(join(dir, 'results'));
  const stdout = new Sink();
  const code = await runStep(step, { argv: ['--count', '4'], env: {}, stdout, stderr: new Sink(), cwd: dir, tektonResultsDir: join(dir, 'results') });
  assert.equal(code, 0);
  assert.equal(readFileSync(join(dir, 'results', 'version'), 'utf8'), '1.2.3');
  assert.equal(readFileSync(join(dir, 'results', 'summary'), 'utf8'), '{"passed":4,"names":["a"]}');
  assert.equal(stdout.text, '', 'in Tekton, results go to files, not stdout');
  rmSync(dir, { recursive: true, force: true });
});

test('prints results when run outside Tekton', async () => {
  const r = await run(['--count', '2'], {}, false);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /results:\n {2}version: 1\.2\.3\n {2}summary: \{"passed":2,"names":\["a"\]\}/);
});

test('bad input exits 2 before run is called, and names the param and value', async () => {
  const before = sideEffects;
  const r = await run(['--count', '-1', '--mode', 'nope']);
  assert.equal(r.code, 2);
  assert.equal(sideEffects, before, 'run was never called');
  assert.match(r.stderr, /param count \(--count\) is "-1", expected a whole number of at least 0/);
  assert.match(r.stderr, /param mode \(--mode\) is "nope", expected one of ok, check-fail/);
  assert.deepEqual(r.results, {});
});

test('a failed check exits 1 and still writes the results set before it', async () => {
  const r = await run(['--mode', 'check-fail']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /error: 3 tests failed/);
  assert.equal(r.results.version, '1.2.3');
});

test('BadInputError thrown by run exits 2', async () => {
  const r = await run(['--mode', 'bad']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /the profile has no routes/);
});

test('an unexpected error exits 4 with its stack, and the secret is masked in both', async () => {
  const r = await run(['--mode', 'crash']);
  assert.equal(r.code, 4);
  assert.match(r.stderr, /unexpected error: boom with \*\*\*/);
  assert.match(r.stderr, /at .*run\.test\.ts/);
  assert.equal(r.stderr.includes(CANARY), false);
});

test('results over the 4096-byte budget fail with a message naming the result', async () => {
  const r = await run(['--mode', 'big']);
  assert.equal(r.code, 4);
  assert.match(r.stderr, /results are \d+ bytes, over Tekton's 4096-byte budget per step \(summary=\d+\)/);
  assert.deepEqual(r.results, {}, 'no partial results are written');
});

test('the canary secret never appears in logs, child process output, or results', async () => {
  for (const mode of ['ok', 'leak', 'child']) {
    const r = await run(['--mode', mode]);
    assert.equal(r.code, 0, r.stderr);
    const all = r.stdout + r.stderr + JSON.stringify(r.results);
    assert.equal(all.includes(CANARY), false, `${mode}: ${all}`);
    assert.match(all, /\*\*\*/, mode);
  }
  const child = await run(['--mode', 'child']);
  assert.match(child.stderr, /child says \*\*\*/);
  assert.match(child.stderr, /child err \*\*\*/);
});

test('--log-format json gives ECS JSON lines, secrets masked', async () => {
  const r = await run(['--log-format', 'json', '--mode', 'check-fail']);
  const lines = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.ok(lines.length >= 2);
  for (const l of lines) {
    assert.equal(l['ecs.version'], '8.11.0');
    assert.equal(l['service.name'], 'demo');
    assert.equal(typeof l['@timestamp'], 'string');
  }
  assert.equal(lines.at(-1)?.['log.level'], 'error');
  assert.equal(r.stderr.includes(CANARY), false);
  const bad = await run(['--log-format', 'xml']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /param log-format is "xml", expected text or json/);
});

test('the deadline stops a step that runs too long, exit 4', async () => {
  const r = await run(['--mode', 'slow', '--deadline', '200ms']);
  assert.equal(r.code, 4);
  assert.match(r.stderr, /step deadline of 200ms passed/);
  const bad = await run(['--deadline', 'soon']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /param deadline is "soon"/);
});

test('--help prints help derived from the declaration and exits 0 without running', async () => {
  const before = sideEffects;
  const r = await run(['--help']);
  assert.equal(r.code, 0);
  assert.equal(sideEffects, before);
  assert.match(r.stdout, /steg-demo: A step for testing the contract\./);
  assert.match(r.stdout, /--mode ok\|check-fail/);
  assert.match(r.stdout, /--token-file PATH\n {6}an API token; env STEG_TOKEN or STEG_TOKEN_FILE/);
  assert.match(r.stdout, /summary: a summary/);
});

test('--results-dir sends results to that directory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'steg-rd-'));
  const r = await run(['--results-dir', join(dir, 'out/x/..')], {}, false);
  assert.equal(r.code, 0);
  assert.equal(readFileSync(join(dir, 'out', 'version'), 'utf8'), '1.2.3');
  rmSync(dir, { recursive: true, force: true });
});
