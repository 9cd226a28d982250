import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { Redactor } from '@steg/step-kit';
import { testdir } from '@steg/test-support';
import { gitEnv, registerUrlSecrets, sshCommand } from './credentials.ts';

const SECRET = 'canary-unit-S3cret';
const base = { userName: 'steg', userEmail: 'steg@localhost' };

describe('git credentials', () => {
  it('puts a token only in the helper environment, never in git config values (which show in argv of helpers)', () => {
    const r = new Redactor();
    const env = gitEnv({ PATH: '/usr/bin' }, { ...base, token: SECRET, tokenUser: 'oauth2' }, r);
    assert.equal(env.STEG_GIT_HELPER_TOKEN, SECRET);
    for (let i = 0; i < Number(env.GIT_CONFIG_COUNT); i++) assert.ok(!String(env[`GIT_CONFIG_VALUE_${i}`]).includes(SECRET));
    assert.equal(r.redact(`x ${SECRET} y`), 'x *** y');
    assert.equal(env.GIT_TERMINAL_PROMPT, '0');
  });
  it('registers the passwords of a basic-auth workspace and uses it as a credential store', () => {
    using d = testdir({ '.git-credentials': `https://bot:${encodeURIComponent(SECRET + '/x')}@gitlab.example.com\n`, '.gitconfig': '[credential]\n\thelper = store\n' });
    const r = new Redactor();
    const env = gitEnv({}, { ...base, basicAuthDir: d.path }, r);
    const values = Array.from({ length: Number(env.GIT_CONFIG_COUNT) }, (_, i) => env[`GIT_CONFIG_VALUE_${i}`]);
    assert.ok(values.includes(`store --file=${d.path}/.git-credentials`));
    assert.equal(r.redact(`${SECRET}/x`), '***');
    assert.ok(!r.redact(`https://bot:${encodeURIComponent(SECRET + '/x')}@h`).includes(SECRET));
  });
  it('registers URL passwords in raw and decoded forms', () => {
    const r = new Redactor();
    registerUrlSecrets('https://u:p%40ss@h/x.git', r);
    assert.equal(r.redact('p@ss p%40ss'), '*** ***');
  });
  it('copies an SSH key from a Secret mount to a 0600 file and pins known_hosts', () => {
    using d = testdir({ id_ed25519: 'KEY', known_hosts: 'gitlab.example.com ssh-ed25519 AAAA\n' });
    const cmd = sshCommand(d.path);
    const key = /-i (\S+)/.exec(cmd)?.[1] as string;
    assert.ok(key && !key.startsWith(d.path));
    assert.equal(statSync(key).mode & 0o777, 0o600);
    assert.match(cmd, /StrictHostKeyChecking=yes/);
    assert.match(cmd, new RegExp(`UserKnownHostsFile=${d.path}/known_hosts`));
  });
});
