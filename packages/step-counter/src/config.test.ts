import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, readConfig, urlPassword } from './config.ts';

const url = 'postgresql://app:s3cret%21@db:5432/steps';

test('defaults apply when only DATABASE_URL is set', () => {
  const c = readConfig({ DATABASE_URL: url });
  assert.equal(c.port, 8080);
  assert.equal(c.host, '0.0.0.0');
  assert.equal(c.logFormat, 'json');
  assert.equal(c.commit, 'unknown');
  assert.match(c.version, /^\d+\.\d+\.\d+/);
});

test('values come from the environment', () => {
  const c = readConfig({ DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'text', APP_VERSION: '1.2.3', APP_COMMIT: 'abc123', DB_POOL_MAX: '4' });
  assert.deepEqual([c.port, c.host, c.logFormat, c.version, c.commit, c.poolMax], [0, '127.0.0.1', 'text', '1.2.3', 'abc123', 4]);
});

test('an image may bake in version and commit; start-time values win', () => {
  const baked = { DATABASE_URL: url, STEG_IMAGE_VERSION: '2.0.0', STEG_IMAGE_REVISION: 'feedbeef' };
  assert.deepEqual([readConfig(baked).version, readConfig(baked).commit], ['2.0.0', 'feedbeef']);
  const started = readConfig({ ...baked, APP_VERSION: '2.0.1', APP_COMMIT: 'c0ffee' });
  assert.deepEqual([started.version, started.commit], ['2.0.1', 'c0ffee']);
});

test('DATABASE_URL_FILE is read when DATABASE_URL is absent', () => {
  const c = readConfig({ DATABASE_URL_FILE: '/secret/url' }, (p) => (p === '/secret/url' ? `${url}\n` : ''));
  assert.equal(c.databaseUrl, url);
});

test('bad values name the variable and never echo the URL', () => {
  const cases: [NodeJS.ProcessEnv, RegExp][] = [
    [{}, /DATABASE_URL is required/],
    [{ DATABASE_URL: 'not a url s3cret' }, /DATABASE_URL is not a valid URL/],
    [{ DATABASE_URL: 'mysql://u:s3cret@h/db' }, /DATABASE_URL must start with postgresql/],
    [{ DATABASE_URL: url, PORT: '70000' }, /PORT must be/],
    [{ DATABASE_URL: url, PORT: 'eighty' }, /PORT must be/],
    [{ DATABASE_URL: url, LOG_FORMAT: 'xml' }, /LOG_FORMAT must be/],
  ];
  for (const [env, re] of cases) {
    assert.throws(() => readConfig(env), (err: unknown) => err instanceof ConfigError && re.test(err.message) && !err.message.includes('s3cret'));
  }
});

test('urlPassword decodes the password for redaction', () => {
  assert.equal(urlPassword(url), 's3cret!');
  assert.equal(urlPassword('postgresql://app@db/steps'), undefined);
});
