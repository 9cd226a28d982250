// step-counter's browser suite. e2e-runner injects BASE_URL (the deployed app) and may wrap
// this config; locally: BASE_URL=http://127.0.0.1:8080 npx playwright test -c packages/step-counter/e2e/playwright.config.ts
// Only a type import from @playwright/test, so loading this file needs nothing at run time.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlaywrightTestConfig } from '@playwright/test';

/** Chromium in a container: no sandbox (no user namespaces), small /dev/shm, no GPU, nothing fetched from the network. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const config: PlaywrightTestConfig = {
  testDir: '.',
  testMatch: '**/*.spec.ts',
  // Every test uses its own users and team, so tests may run in any order, sharded or retried.
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 30_000,
  // Pipeline agents are often busy; 10 s keeps slow page loads from failing as missing rows.
  expect: { timeout: 10_000 },
  reporter: [['list']],
  // Artefacts stay out of the source tree (which may be read-only in a pipeline).
  outputDir: process.env.PLAYWRIGHT_OUTPUT_DIR ?? join(tmpdir(), 'step-counter-e2e-results'),
  use: {
    baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:8080',
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
};

export default config;
