import { defineStep, param } from '@steg/step-kit';

/** The declared params (a separate constant so run.ts can type its context without a cycle). */
export const params = {
  mode: param.enum(['run', 'merge'] as const, { description: 'run: wait for the deployment and run the suite (one shard); merge: merge the shards\' blob reports in the reports dir into one HTML report, JUnit file and summary', default: 'run' }),
  url: param.string({ description: 'Base URL of the deployed app the suite tests (required in mode run); injected as baseURL and BASE_URL', default: '' }),
  'expected-version': param.string({ description: 'Version the environment must report before tests start (empty: only wait until it answers)', default: '' }),
  'version-path': param.string({ description: 'Path that reports the deployed version', default: '/version' }),
  'version-source': param.string({ description: 'Where the version is read: json:FIELD (a dotted field of the JSON body) or header:NAME (a response header)', default: 'json:version' }),
  'ready-path': param.string({ description: 'Readiness path that must answer 2xx before tests start (none: skip)', default: '/readyz' }),
  'wait-timeout': param.duration({ description: 'How long to wait for the version and readiness', default: '5m' }),
  'wait-interval': param.duration({ description: 'How often to poll while waiting', default: '5s', min: '100ms' }),
  suite: param.string({ description: 'Directory holding the app\'s Playwright suite (the workspace with the repo)', default: '.' }),
  config: param.string({ description: 'Playwright config file, relative to suite (empty: found in the suite root, e2e/, tests/ or playwright/)', default: '' }),
  reports: param.string({ description: 'Directory for reports (a workspace); a shard writes into its own subdirectory', default: 'reports' }),
  project: param.list({ description: 'Playwright projects to run (comma-separated; empty: all)', default: [] }),
  grep: param.string({ description: 'Only run tests whose title matches this regular expression', default: '' }),
  'grep-invert': param.string({ description: 'Skip tests whose title matches this regular expression', default: '' }),
  shard: param.string({ description: 'This run\'s shard as index/total, e.g. 2/4 (empty: no sharding)', default: '' }),
  retries: param.string({ description: 'Retries per failed test (empty: the suite config\'s value)', default: '', pattern: /^\d{0,2}$/, patternHint: 'a whole number from 0 to 99, or empty for the suite\'s own value' }),
  workers: param.string({ description: 'Parallel workers (empty: the suite config\'s value)', default: '', pattern: /^([1-9]\d{0,2})?$/, patternHint: 'a whole number from 1 to 999, or empty for the suite\'s own value' }),
  'test-timeout': param.string({ description: 'Timeout per test, e.g. 30s (empty: the suite config\'s value)', default: '' }),
  trace: param.enum(['off', 'on', 'retain-on-failure', 'on-first-retry', 'on-all-retries', 'retain-on-first-failure'] as const, { description: 'Playwright trace policy', default: 'retain-on-failure' }),
  screenshot: param.enum(['off', 'on', 'only-on-failure'] as const, { description: 'Playwright screenshot policy', default: 'only-on-failure' }),
  video: param.enum(['off', 'on', 'retain-on-failure', 'on-first-retry'] as const, { description: 'Playwright video policy', default: 'off' }),
  'fail-on-flaky': param.bool({ description: 'Fail the run when a test only passed on a retry', default: false }),
  quarantine: param.string({ description: 'Quarantine file (YAML/JSON), relative to suite: tests listed there run and are reported but cannot fail the run until their expiry date (empty: none)', default: '' }),
  'secrets-dir': param.string({ description: 'Directory of mounted Secret files; each file becomes an environment variable of the suite (e2e-password as E2E_PASSWORD), masked in all output (empty: none)', default: '' }),
  'chromium-path': param.string({ description: 'The Chromium executable (the image carries /usr/bin/chromium; nothing is downloaded)', default: '/usr/bin/chromium' }),
};

/** The declared results. */
export const results = {
  passed: { description: 'Tests that passed on the first attempt' },
  failed: { description: 'Tests that failed and count against the run (quarantined ones excluded)' },
  flaky: { description: 'Tests that failed first and passed on a retry' },
  skipped: { description: 'Tests skipped' },
  duration: { description: 'Wall time of the test run, in seconds (e.g. 72.4s)' },
  'report-path': { description: 'Directory with the HTML report (html/), junit.xml, summary.json and failure traces and screenshots (test-results/)' },
  summary: { description: 'One line: counts, duration, and the failed and flaky tests' },
};

/** e2e-runner: waits for the deployed version, runs the app's Playwright suite in Chromium, reports. */
export const step = defineStep({
  name: 'e2e-runner',
  description: 'Waits until the test environment runs the expected version, runs the app\'s Playwright suite in Chromium, and reports failures and flaky tests (JUnit, HTML, JSON summary, Tekton results)',
  deadline: '1h',
  params,
  results,
  exitCodes: {
    1: 'a test failed (or a flaky test with --fail-on-flaky), the suite could not load, or the environment never reported the expected version',
  },
  examples: [
    'steg-e2e-runner --url https://step-counter.test.example.com --expected-version 1.4.0 --suite . --reports /workspace/reports',
    'steg-e2e-runner --url http://127.0.0.1:3000 --shard 2/4 --retries 2 --secrets-dir /secrets/e2e',
    'steg-e2e-runner --mode merge --reports /workspace/reports',
  ],
  async run(ctx): Promise<number> {
    const { runE2E } = await import('./run.ts');
    return runE2E(ctx);
  },
});
