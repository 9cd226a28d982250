// Logs of real failing builds (produced on this machine with Maven 3.8 / Java 17, npm, tsc,
// node --test, Python and Node; the Go panic is hand-written from Go's output format) must
// give the right error documents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { testdir } from '@steg/test-support';
import { PKG, ship, startEs } from './helpers.ts';

type Doc = Record<string, unknown>;

async function shipFixture(name: string, exitCode = 1): Promise<{ docs: Doc[]; results: Record<string, string> }> {
  await using es = await startEs();
  using ws = testdir({});
  cpSync(join(PKG, 'test/fixtures/real', name), join(ws.path, name));
  const index = es.newIndex();
  const r = await ship([`--workspace=${ws.path}`, `--files=${name}`, `--url=${es.url}`, `--index=${index}`, `--exit-code=${exitCode}`, '--pipeline-run=real-1', '--task-run=real-1-build', '--step-name=build'], es.authEnv);
  assert.equal(r.code, 0, r.stderr);
  return { docs: await es.sources(index), results: r.results };
}

const errors = (docs: Doc[]): Doc[] => docs.filter((d) => d['error.type'] != null && d['event.action'] !== 'step-failed');
const summary = (docs: Doc[]): Doc => docs.find((d) => d['event.action'] === 'step-failed') as Doc;

test('a failing Maven test run: test failures with their assertion stack traces', async () => {
  const { docs } = await shipFixture('maven-test-failure.log');
  const errs = errors(docs);
  const stacks = errs.filter((d) => d['error.code'] === 'org.opentest4j.AssertionFailedError');
  assert.equal(stacks.length, 2);
  assert.equal(stacks[0]?.['error.type'], 'test-failure');
  assert.match(String(stacks[0]?.['error.stack_trace']), /StepsTest\.totalAddsDays\(StepsTest\.java:5\)/);
  assert.equal(stacks[0]?.['error.message'], 'org.opentest4j.AssertionFailedError: expected: <7000> but was: <7001>');
  assert.ok(errs.some((d) => /There are test failures/.test(String(d.message)) && d['error.type'] === 'test-failure'));
  assert.equal(summary(docs)['error.type'], 'test-failure');
  assert.equal(summary(docs)['process.exit_code'], 1);
  // Colour codes are gone.
  assert.ok(!docs.some((d) => String(d.message).includes('\x1b')));
});

test('a Maven compile failure', async () => {
  const { docs } = await shipFixture('maven-compile-failure.log');
  const errs = errors(docs);
  assert.ok(errs.length >= 2);
  assert.ok(errs.every((d) => d['error.type'] === 'compile-error'), JSON.stringify(errs.map((d) => [d['error.type'], d.message])));
  assert.ok(errs.some((d) => /cannot find symbol/.test(String(d['error.stack_trace'])) && /symbol: +method bonus/.test(String(d['error.stack_trace']))));
  assert.equal(summary(docs)['error.type'], 'compile-error');
});

test('a Maven build that cannot resolve its plugins: dependency resolution', async () => {
  const { docs } = await shipFixture('maven-dependency-failure.log');
  const err = errors(docs).find((d) => String(d.message).includes('Failed to execute goal'));
  assert.equal(err?.['error.type'], 'dependency-resolution');
  assert.equal(summary(docs)['error.type'], 'dependency-resolution');
});

test('a failing npm build (tsc) and npm install (E404)', async () => {
  const build = await shipFixture('npm-build-failure.log', 2);
  const tsc = errors(build.docs)[0];
  assert.equal(tsc?.['error.type'], 'compile-error');
  assert.equal(tsc?.['error.code'], 'TS2322');
  assert.equal(summary(build.docs)['process.exit_code'], 2);
  const install = await shipFixture('npm-install-404.log');
  const npm = errors(install.docs);
  assert.equal(npm.length, 1, 'the npm error block is one event');
  assert.equal(npm[0]?.['error.type'], 'dependency-resolution');
  assert.equal(npm[0]?.['error.code'], 'E404');
  assert.match(String(npm[0]?.['error.message']), /404 Not Found - GET https:\/\/registry\.npmjs\.org/);
});

test('a failing node --test run', async () => {
  const { docs, results } = await shipFixture('npm-test-failure.log');
  const errs = errors(docs);
  assert.deepEqual(errs.map((d) => d.message), ['not ok 1 - sums a week of steps', 'not ok 2 - an empty week is zero']);
  assert.ok(errs.every((d) => d['error.type'] === 'test-failure'));
  assert.equal(results['errors-found'], '3');
});

test('a Python traceback, a Node heap OOM and a Go panic', async () => {
  const py = errors((await shipFixture('python-failure.log')).docs);
  assert.equal(py.length, 1);
  assert.equal(py[0]?.['error.message'], "FileNotFoundError: [Errno 2] No such file or directory: '/nonexistent/config.json'");
  assert.equal(py[0]?.['error.code'], 'FileNotFoundError');
  const oom = await shipFixture('node-oom.log', 134);
  assert.ok(errors(oom.docs).some((d) => d['error.type'] === 'out-of-memory'));
  assert.equal(summary(oom.docs)['error.type'], 'out-of-memory');
  const go = errors((await shipFixture('go-panic.log')).docs);
  const panic = go.find((d) => String(d.message).startsWith('panic:'));
  assert.equal(panic?.['log.level'], 'fatal');
  assert.match(String(panic?.['error.stack_trace']), /week_test\.go:9/);
  assert.ok(go.some((d) => String(d.message).startsWith('--- FAIL') || String(d.message).startsWith('FAIL')));
});
