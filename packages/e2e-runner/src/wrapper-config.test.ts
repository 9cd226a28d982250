import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transform } from 'esbuild';
import { testdir } from '@steg/test-support';
import { CHROMIUM_ARGS, renderWrapperConfig } from './wrapper-config.ts';

// Evaluates the generated config the way Playwright would load it (types stripped), over a suite config.
async function load(suite: string, extra: Partial<Parameters<typeof renderWrapperConfig>[0]> = {}) {
  const dir = testdir({ 'e2e/playwright.config.mjs': suite });
  const src = renderWrapperConfig({
    configFile: join(dir.path, 'e2e/playwright.config.mjs'), baseUrl: 'http://app.test', chromiumPath: '/usr/bin/chromium',
    outputDir: '/reports/test-results', reporter: [['list']], trace: 'retain-on-failure', screenshot: 'only-on-failure', video: 'off', ...extra,
  });
  const { code } = await transform(src, { loader: 'ts', format: 'esm' });
  const file = join(dir.path, 'wrapper.mjs');
  writeFileSync(file, code);
  const cfg = (await import(pathToFileURL(file).href)).default;
  return { cfg, dir };
}

test('overrides base URL, browser, policies, output and reporters, in the config and in every project', async () => {
  const { cfg, dir } = await load(`export default {
    testDir: './specs', globalSetup: './setup.ts', webServer: { command: 'npm start' }, retries: 0,
    use: { baseURL: 'http://localhost:3000', launchOptions: { args: ['--lang=sv'] } },
    projects: [{ name: 'chromium', outputDir: 'out', use: { baseURL: 'http://other', viewport: { width: 1, height: 2 } } }],
  };`, { retries: 2, workers: 3 });
  using _ = dir;
  assert.equal(cfg.testDir, join(dir.path, 'e2e/specs'));
  assert.equal(cfg.globalSetup, join(dir.path, 'e2e/setup.ts'));
  assert.equal(cfg.webServer, undefined, 'the deployed app is tested; no server is started');
  assert.deepEqual([cfg.retries, cfg.workers, cfg.outputDir], [2, 3, '/reports/test-results']);
  assert.deepEqual(cfg.reporter, [['list']]);
  for (const use of [cfg.use, cfg.projects[0].use]) {
    assert.equal(use.baseURL, 'http://app.test');
    assert.equal(use.headless, true);
    assert.equal(use.launchOptions.executablePath, '/usr/bin/chromium');
    assert.deepEqual(use.launchOptions.args.slice(-CHROMIUM_ARGS.length), CHROMIUM_ARGS);
    assert.equal(use.trace, 'retain-on-failure');
  }
  assert.deepEqual(cfg.use.launchOptions.args[0], '--lang=sv');
  assert.deepEqual(cfg.projects[0].use.viewport, { width: 1, height: 2 });
  assert.equal(cfg.projects[0].outputDir, undefined, 'artifacts go to the reports workspace');
  assert.equal(cfg.projects[0].retries, 2);
});

test('keeps the suite config\'s own retries and timeout when none are given', async () => {
  const { cfg, dir } = await load('export default { retries: 1, timeout: 5000 };');
  using _ = dir;
  assert.deepEqual([cfg.retries, cfg.timeout, cfg.testDir], [1, 5000, join(dir.path, 'e2e')]);
});
