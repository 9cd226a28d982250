import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runInProcess, testdir } from '@steg/test-support';
import { step } from '../src/step.ts';
import { suiteWorkspace } from './helpers.ts';

test('no suite in the workspace: exit 2 saying where it looked, nothing written', async () => {
  using ws = testdir({ 'README.md': 'an app without e2e tests' });
  const r = await runInProcess(step, ['--url', 'http://127.0.0.1:9', '--suite', ws.path, '--reports', join(ws.path, 'reports')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /param suite is ".*", expected a workspace with a Playwright suite: found no config/);
  assert.equal(existsSync(join(ws.path, 'reports')), false);
});

test('an invalid URL, a bad shard, no browser and a bad grep are all named at once', async () => {
  using ws = suiteWorkspace('mixed');
  const r = await runInProcess(step, ['--url', 'not a url', '--suite', ws.path, '--shard', '3/2', '--chromium-path', '/nonexistent/chromium', '--grep', '(unclosed']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /param url is "not a url", expected an absolute http or https URL/);
  assert.match(r.stderr, /param shard is "3\/2", expected a shard index from 1 to the total/);
  assert.match(r.stderr, /param chromium-path is "\/nonexistent\/chromium", expected an executable Chromium/);
  assert.match(r.stderr, /param grep is "\(unclosed", expected a regular expression/);
});

test('run mode needs a URL; merge mode needs blob reports', async () => {
  using ws = suiteWorkspace('mixed');
  const r = await runInProcess(step, ['--suite', ws.path]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /param url is required in mode run/);
  const m = await runInProcess(step, ['--mode', 'merge', '--reports', join(ws.path, 'reports')]);
  assert.equal(m.code, 2);
  assert.match(m.stderr, /expected a reports directory with the shards' blob reports/);
});

test('a bad version source and a bad test timeout are bad input', async () => {
  using ws = suiteWorkspace('mixed');
  const r = await runInProcess(step, ['--url', 'http://127.0.0.1:9', '--suite', ws.path, '--version-source', 'version', '--test-timeout', 'soon']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /param version-source is "version", expected json:FIELD/);
  assert.match(r.stderr, /param test-timeout is "soon", expected a duration/);
  const retries = await runInProcess(step, ['--url', 'http://127.0.0.1:9', '--suite', ws.path, '--retries', 'x']);
  assert.equal(retries.code, 2);
  assert.match(retries.stderr, /param retries \(--retries\) is "x", expected a whole number from 0 to 99/);
});
