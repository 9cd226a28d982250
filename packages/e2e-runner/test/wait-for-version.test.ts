import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, Redactor } from '@steg/step-kit';
import { Collector } from '@steg/test-support';
import { waitForVersion } from '../src/wait-for-version.ts';
import { startFixtureServer } from './fixture-server.ts';

const logger = (sink: Collector) => createLogger({ format: 'text', sink, redactor: new Redactor(), service: 'e2e-runner' });

test('waits while the old version runs and returns once the new one is live and ready', async () => {
  await using app = await startFixtureServer({ version: '1.3.9', ready: false });
  const switched = setTimeout(() => {
    app.setVersion('1.4.0');
    app.setReady(true);
  }, 1500);
  const log = new Collector();
  try {
    const out = await waitForVersion({
      baseUrl: app.url, expected: '1.4.0', source: { kind: 'json', path: '/version', field: 'version' }, readyPath: '/readyz',
      intervalMs: 200, timeoutMs: 30_000, log: logger(log),
    });
    assert.equal(out.version, '1.4.0');
    assert.ok(out.polls > 1, 'it polled more than once');
    assert.match(log.text, /waiting: reports 1.3.9, expected 1.4.0; \/readyz answered HTTP 503/);
  } finally {
    clearTimeout(switched);
  }
});

test('reads the version from a header', async () => {
  await using app = await startFixtureServer({ version: '2.0.0' });
  const out = await waitForVersion({
    baseUrl: app.url, expected: '2.0.0', source: { kind: 'header', path: '/version', header: 'x-app-version' },
    intervalMs: 100, timeoutMs: 5000, log: logger(new Collector()),
  });
  assert.equal(out.version, '2.0.0');
});

test('an environment that never switches times out with the specific message', async () => {
  await using app = await startFixtureServer({ version: '1.3.9' });
  await assert.rejects(
    waitForVersion({
      baseUrl: app.url, expected: '1.4.0', source: { kind: 'json', path: '/version', field: 'version' }, readyPath: '/readyz',
      intervalMs: 250, timeoutMs: 1000, log: logger(new Collector()),
    }),
    (err: Error & { exitCode?: number }) => err.message === 'test environment still reports 1.3.9, expected 1.4.0, after 1 s' && err.exitCode === 1,
  );
});

test('an app that does not answer at all is named with the reason', async () => {
  const app = await startFixtureServer();
  const url = app.url;
  await app.close();
  await assert.rejects(
    waitForVersion({ baseUrl: url, expected: '1.0.0', source: { kind: 'json', path: '/version', field: 'version' }, intervalMs: 100, timeoutMs: 300, log: logger(new Collector()) }),
    /did not report version 1.0.0 after \d+ s: cannot reach http:\/\/127\.0\.0\.1:\d+\/version \(ECONNREFUSED\)/,
  );
});
