import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execSync } from './exec.ts';
import { Redactor } from './redact.ts';

test('execSync returns the exit code and output with secrets masked, like exec', () => {
  const redactor = new Redactor();
  redactor.add('canary-0b7e');
  const r = execSync(process.execPath, ['-e', "console.log('out canary-0b7e'); console.error('err canary-0b7e'); process.exit(3)"], { redactor });
  assert.deepEqual(r, { code: 3, stdout: 'out ***\n', stderr: 'err ***\n' });
});

test('execSync names a program that cannot run, masked', () => {
  const redactor = new Redactor();
  redactor.add('secret-dir-91');
  assert.throws(() => execSync('/nonexistent/secret-dir-91/prog', [], { redactor }), (e: Error) => /cannot run \/nonexistent\/\*\*\*\/prog/.test(e.message));
});
