import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgv } from './argv.ts';
import { BadInputError } from './errors.ts';
import { param } from './params.ts';
import type { ParamDef } from './params.ts';
import { readParams } from './read-params.ts';
import { Redactor } from './redact.ts';

const dir = mkdtempSync(join(tmpdir(), 'steg-params-'));
writeFileSync(join(dir, 'token'), 'file-secret\n');
writeFileSync(join(dir, 'a-file'), 'x');

const defs: Record<string, ParamDef> = {
  name: param.string({ description: 'a name', default: 'world' }),
  count: param.int({ description: 'a count', default: 3, min: 1, max: 10 }),
  ratio: param.number({ description: 'a ratio', default: 0.5 }),
  verbose: param.bool({ description: 'talk', default: false }),
  wait: param.duration({ description: 'wait', default: '30s', max: '1h' }),
  level: param.enum(['low', 'high'], { description: 'level', default: 'low' }),
  tags: param.list({ description: 'tags', default: [] }),
  target: param.url({ description: 'target' }),
  file: param.path({ description: 'file', mustExist: true, type: 'file' }),
  token: param.secret({ description: 'token' }),
};

function read(argv: string[], env: NodeJS.ProcessEnv = {}, redactor = new Redactor()): Record<string, unknown> {
  const flags = parseArgv(argv, (n) => defs[n]?.kind === 'bool');
  return readParams(defs, flags, env, dir, redactor);
}

function problems(argv: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    read(argv, env);
  } catch (e) {
    assert.ok(e instanceof BadInputError, 'bad input is a BadInputError (exit 2)');
    return e.message;
  }
  assert.fail('expected a BadInputError');
}

test('uses defaults when nothing is given', () => {
  const v = read([]);
  assert.deepEqual(
    { ...v },
    { name: 'world', count: 3, ratio: 0.5, verbose: false, wait: 30_000, level: 'low', tags: [], target: undefined, file: undefined, token: undefined },
  );
});

test('a flag wins over the env var, which wins over the default', () => {
  assert.equal(read(['--name', 'flag'], { STEG_NAME: 'env' }).name, 'flag');
  assert.equal(read([], { STEG_NAME: 'env' }).name, 'env');
  assert.equal(read([], { STEG_NAME: '' }).name, 'world', 'an empty value (an unset Tekton param) means the default');
});

test('parses every kind', () => {
  const v = read(['--count=7', '--ratio', '1.25', '--verbose', '--wait', '5m', '--level', 'high', '--tags', 'a, b', '--tags', 'c', '--target', 'https://x.test/a', '--file', 'a-file']);
  assert.equal(v.count, 7);
  assert.equal(v.ratio, 1.25);
  assert.equal(v.verbose, true);
  assert.equal(v.wait, 300_000);
  assert.equal(v.level, 'high');
  assert.deepEqual(v.tags, ['a', 'b', 'c']);
  assert.equal(v.target, 'https://x.test/a');
  assert.equal(v.file, join(dir, 'a-file'));
});

test('names the param, the value and what was expected for each bad value, all at once', () => {
  const msg = problems(['--count', '11', '--ratio', 'abc', '--verbose=maybe', '--wait', '2h', '--level', 'mid', '--target', 'ftp://x', '--file', 'nope']);
  assert.match(msg, /param count \(--count\) is "11", expected a whole number from 1 to 10/);
  assert.match(msg, /param ratio \(--ratio\) is "abc", expected a number/);
  assert.match(msg, /param verbose \(--verbose\) is "maybe", expected true or false/);
  assert.match(msg, /param wait \(--wait\) is "2h", expected a duration of at most 1h/);
  assert.match(msg, /param level \(--level\) is "mid", expected one of low, high/);
  assert.match(msg, /param target \(--target\) is "ftp:\/\/x", expected a URL with protocol http or https/);
  assert.match(msg, /param file \(--file\) is "nope", expected an existing file/);
});

test('names the env var when the bad value came from the environment', () => {
  assert.match(problems([], { STEG_COUNT: 'x' }), /param count \(STEG_COUNT\) is "x"/);
});

test('refuses unknown flags and suggests a near name', () => {
  assert.match(problems(['--nmae', 'x']), /unknown param --nmae \(did you mean --name\?\)/);
  assert.match(problems(['--cont', '1']), /did you mean --count\?/);
});

test('reads a secret from a file or env, strips the trailing newline, and registers it for redaction', () => {
  const r = new Redactor();
  assert.equal(read(['--token-file', 'token'], {}, r).token, 'file-secret');
  assert.equal(r.redact('x file-secret y'), 'x *** y');
  assert.equal(read([], { STEG_TOKEN_FILE: join(dir, 'token') }).token, 'file-secret');
  assert.equal(read([], { STEG_TOKEN: 'env-secret' }).token, 'env-secret');
});

test('refuses a secret given as a flag value without echoing it', () => {
  const msg = problems(['--token', 'canary-0xdeadbeef']);
  assert.match(msg, /param token is a secret and cannot be given as a flag value/);
  assert.equal(msg.includes('canary-0xdeadbeef'), false);
});

test('an unreadable secret file names the param and the path', () => {
  assert.match(problems(['--token-file', 'missing']), /param token: cannot read secret file .*missing \(ENOENT\)/);
});

test('required params are reported when missing', () => {
  const req = { must: param.string({ description: 'needed', required: true }), key: param.secret({ description: 'k', required: true }) };
  assert.throws(() => readParams(req, new Map(), {}, dir, new Redactor()), (e: Error) => /param must is required \(--must or STEG_MUST\)/.test(e.message) && /param key is required/.test(e.message));
});

test('a secret file flag may name a directory holding a file named after the param, and empty means absent', () => {
  mkdirSync(join(dir, 'creds'), { recursive: true });
  writeFileSync(join(dir, 'creds', 'token'), 'dir-secret\n');
  assert.equal(read(['--token-file', 'creds']).token, 'dir-secret');
  assert.equal(read(['--token-file=']).token, undefined, 'an unbound optional workspace path is empty');
});
