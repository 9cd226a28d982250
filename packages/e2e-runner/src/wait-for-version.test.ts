import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinUrl, parseVersionSource, pick, timeoutMessage } from './wait-for-version.ts';

test('version source: json:FIELD or header:NAME', () => {
  assert.deepEqual(parseVersionSource('json:build.version', '/version'), { kind: 'json', path: '/version', field: 'build.version' });
  assert.deepEqual(parseVersionSource('header:X-App-Version', '/'), { kind: 'header', path: '/', header: 'x-app-version' });
  assert.equal(parseVersionSource('version', '/version'), undefined);
  assert.equal(parseVersionSource('header:bad header', '/version'), undefined);
});

test('reads dotted fields and joins paths under a base path', () => {
  assert.equal(pick({ build: { version: '1.4.0' } }, 'build.version'), '1.4.0');
  assert.equal(pick({ build: 'x' }, 'build.version'), undefined);
  assert.equal(joinUrl('https://apps.example.com/step-counter/', '/version'), 'https://apps.example.com/step-counter/version');
});

test('the timeout message says what the environment still reports', () => {
  assert.equal(
    timeoutMessage({ answered: true, version: '1.3.9', ready: true }, { expected: '1.4.0', baseUrl: 'http://x' }, 300),
    'test environment still reports 1.3.9, expected 1.4.0, after 300 s',
  );
  assert.match(timeoutMessage({ answered: false, versionProblem: 'cannot reach http://x/version (ECONNREFUSED)', ready: false }, { expected: '1.4.0', baseUrl: 'http://x' }, 5), /did not report version 1.4.0 after 5 s: cannot reach/);
  assert.match(timeoutMessage({ answered: true, version: '1.4.0', ready: false, readyProblem: '/readyz answered HTTP 503' }, { expected: '1.4.0', baseUrl: 'http://x', readyPath: '/readyz' }, 5), /reports 1.4.0 but is not ready after 5 s: \/readyz answered HTTP 503/);
});
