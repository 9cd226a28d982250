// The benchmark's suite: shaped like step-counter's (BASE_URL, system Chromium), so a bare
// `playwright test` runs it as is, and e2e-runner runs the same files.
import type { PlaywrightTestConfig } from '@playwright/test';

const config: PlaywrightTestConfig = {
  testDir: '.',
  fullyParallel: true,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:9',
    headless: true,
    launchOptions: { executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
};

export default config;
