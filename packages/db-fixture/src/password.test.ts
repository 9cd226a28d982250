import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generatePassword, scramVerifier } from './password.ts';

test('generated passwords are long, URL-safe and different', () => {
  const a = generatePassword();
  assert.match(a, /^[A-Za-z0-9_-]{32}$/);
  assert.notEqual(a, generatePassword());
});

test('the SCRAM verifier has PostgreSQL\'s format and never contains the password', () => {
  const v = scramVerifier('secret-pw', Buffer.alloc(16, 1));
  assert.match(v, /^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
  assert.ok(!v.includes('secret-pw'));
  assert.equal(v, scramVerifier('secret-pw', Buffer.alloc(16, 1)));
});
