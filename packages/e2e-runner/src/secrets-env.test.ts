import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { testdir } from '@steg/test-support';
import { envKey, readSecretsDir } from './secrets-env.ts';

test('each secret file becomes an env var; Kubernetes ..data entries are skipped', () => {
  using dir = testdir({ 'e2e-password': 'pw\n', E2E_USER: 'alice', '..2026_11_26/e2e-password': 'pw' });
  mkdirSync(join(dir.path, 'subdir'));
  symlinkSync('..2026_11_26', join(dir.path, '..data'));
  assert.deepEqual(readSecretsDir(dir.path), { E2E_PASSWORD: 'pw', E2E_USER: 'alice' });
});

test('names that cannot be env vars are refused', () => {
  assert.equal(envKey('api.token'), 'API_TOKEN');
  assert.equal(envKey('1password'), undefined);
  assert.throws(() => readSecretsDir('/nonexistent'), /param secrets-dir is "\/nonexistent", expected a readable directory/);
});
