// Runs the Playwright suite (e2e/) in Chromium against the app on a real, seeded database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { testdir } from '@steg/test-support';
import { seededDatabase, startApp } from './helpers.ts';

const chromium = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE ?? '/usr/bin/chromium';
const config = new URL('../e2e/playwright.config.ts', import.meta.url).pathname;
const cli = join(dirname(createRequire(import.meta.url).resolve('@playwright/test/package.json')), 'cli.js');

test('the Playwright suite passes in Chromium against the app', async () => {
  assert.ok(existsSync(chromium), `Chromium is needed at ${chromium} (npm test provisions it; never playwright install)`);
  await using db = await seededDatabase();
  await using app = await startApp(db.url);
  await using out = testdir({}, 'step-counter-e2e-');
  const child = spawn(process.execPath, [cli, 'test', '-c', config, '--reporter', 'line'], {
    env: { ...process.env, BASE_URL: app.url, PLAYWRIGHT_OUTPUT_DIR: out.path, CI: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 0, output);
  assert.match(output, /4 passed/, output);
});
