import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { configRemote, git, remoteTagList, repoWithRemote, run, scratch, shallowClone } from './git-fixture.ts';
import { startGitHttpServer } from './git-http-server.ts';

const CANARY = 'canary-Tok3n-9f27c1e0';
const USER = 'ci-bot';

/** A `git` first on PATH that records every argv the step gives git, then runs the real git. */
function gitArgvRecorder(dir: string): { path: string; log: string } {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const log = join(dir, 'argv.log');
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  writeFileSync(join(bin, 'git'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(join(bin, 'git'), 0o755);
  writeFileSync(log, '');
  return { path: `${bin}:${process.env.PATH}`, log };
}

function assertNoLeak(where: Record<string, string>): void {
  for (const [name, text] of Object.entries(where)) {
    assert.ok(!text.includes(CANARY), `the secret leaked into ${name}`);
    assert.ok(!text.includes(Buffer.from(`${USER}:${CANARY}`).toString('base64')), `the secret leaked (base64) into ${name}`);
  }
}

describe('git over HTTP with Basic auth (git http-backend behind node:http)', () => {
  it('uses a token from the git-token workspace for ls-remote, deepening and the tag push; the token never shows', async () => {
    using s = scratch();
    const { url: fileUrl } = repoWithRemote(s.path, [{ msg: 'feat: a', tag: 'v1.0.0' }, 'feat: b']);
    await using server = await startGitHttpServer(s.path, USER, CANARY);
    const dir = shallowClone(fileUrl, join(s.path, 'ci'));
    git(dir, ['remote', 'set-url', 'origin', `${server.url}/remote.git`]);
    mkdirSync(join(s.path, 'token-ws'));
    writeFileSync(join(s.path, 'token-ws', 'token'), `${CANARY}\n`);
    const rec = gitArgvRecorder(s.path);
    const env = { ...s.env, PATH: rec.path };
    const r = await run(['--dir', dir, '--mode', 'apply', '--git-token-dir', join(s.path, 'token-ws'), '--git-token-user', USER], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.results.version, '1.1.0');
    assert.equal(remoteTagList(join(s.path, 'remote.git'))['v1.1.0'], git(dir, ['rev-parse', 'HEAD']));
    assert.ok(server.requests.some((q) => q.authorized && q.path.endsWith('git-receive-pack')), 'the push went through the authenticated server');
    assertNoLeak({ stdout: r.stdout, stderr: r.stderr, results: JSON.stringify(r.results), argv: readFileSync(rec.log, 'utf8'), gitconfig: readFileSync(join(dir, '.git/config'), 'utf8') });
  });

  it('--dry-run needs no push rights: a read-only token computes everything, and nothing is pushed', async () => {
    using s = scratch();
    const { url: fileUrl } = repoWithRemote(s.path, [{ msg: 'feat: a', files: { 'package.json': '{"version": "0.0.0"}\n' }, tag: 'v1.0.0' }, 'fix: b']);
    await using server = await startGitHttpServer(s.path, USER, CANARY, { readOnly: true });
    const dir = shallowClone(fileUrl, join(s.path, 'ci'));
    git(dir, ['remote', 'set-url', 'origin', `${server.url}/remote.git`]);
    const env = { ...s.env, STEG_GIT_TOKEN: CANARY, STEG_GIT_TOKEN_USER: USER };
    const dry = await run(['--dir', dir, '--mode', 'apply', '--files', 'package.json', '--dry-run'], env);
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(dry.results.version, '1.0.1');
    assert.match(dry.stderr, /would create and push tag v1\.0\.1/);
    assert.ok(!server.requests.some((q) => q.path.endsWith('git-receive-pack')), 'a dry run never talks to receive-pack');
    assert.equal(readFileSync(join(dir, 'package.json'), 'utf8'), '{"version": "0.0.0"}\n');
    // The same run for real is refused by the server: exit 4, no tag, nothing written.
    const real = await run(['--dir', dir, '--mode', 'apply', '--files', 'package.json'], env);
    assert.equal(real.code, 4, real.stderr);
    assert.deepEqual(Object.keys(remoteTagList(join(s.path, 'remote.git'))), ['v1.0.0']);
    assert.equal(readFileSync(join(dir, 'package.json'), 'utf8'), '{"version": "0.0.0"}\n');
    assertNoLeak({ stdout: dry.stdout + real.stdout, stderr: dry.stderr + real.stderr });
  });

  it('fails with exit 4 on a wrong token, without printing either token', async () => {
    using s = scratch();
    const { url: fileUrl } = repoWithRemote(s.path, [{ msg: 'feat: a', tag: 'v1.0.0' }, 'feat: b']);
    await using server = await startGitHttpServer(s.path, USER, 'the-right-one');
    const dir = shallowClone(fileUrl, join(s.path, 'ci'));
    git(dir, ['remote', 'set-url', 'origin', `${server.url}/remote.git`]);
    const r = await run(['--dir', dir, '--mode', 'apply', '--git-token-user', USER], { ...s.env, STEG_GIT_TOKEN: CANARY });
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /ls-remote .*failed .*(Authentication failed|could not read)/i);
    assertNoLeak({ stdout: r.stdout, stderr: r.stderr });
    assert.deepEqual(Object.keys(remoteTagList(join(s.path, 'remote.git'))), ['v1.0.0']);
  });

  it('uses the basic-auth workspace (.git-credentials + .gitconfig) for the config write-back', async () => {
    using s = scratch();
    configRemote(s.path);
    await using server = await startGitHttpServer(s.path, USER, CANARY);
    const ws = join(s.path, 'basic-auth');
    mkdirSync(ws);
    writeFileSync(join(ws, '.git-credentials'), `${server.url.replace('http://', `http://${USER}:${CANARY}@`)}\n`);
    writeFileSync(join(ws, '.gitconfig'), '[credential]\n\thelper = store\n');
    const rec = gitArgvRecorder(s.path);
    const r = await run(
      ['--mode', 'config-update', '--config-url', `${server.url}/config.git`, '--config-file', 'apps/step-counter/overlays/test/kustomization.yaml', '--config-image-name', 'nexus.example.com/steg/step-counter', '--config-tag', '1.4.0', '--app', 'step-counter', '--environment', 'test', '--basic-auth-dir', ws],
      { ...s.env, PATH: rec.path },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.results['config-commit-sha'], git(join(s.path, 'config.git'), ['rev-parse', 'main']));
    assertNoLeak({ stdout: r.stdout, stderr: r.stderr, results: JSON.stringify(r.results), argv: readFileSync(rec.log, 'utf8') });
  });

  it('moves credentials written into config-url out of the URL: they reach neither argv nor the log', async () => {
    using s = scratch();
    const { remote } = configRemote(s.path);
    await using server = await startGitHttpServer(s.path, USER, CANARY);
    const rec = gitArgvRecorder(s.path);
    const r = await run(
      ['--mode', 'config-update', '--config-url', `${server.url.replace('http://', `http://${USER}:${CANARY}@`)}/config.git`, '--config-file', 'apps/step-counter/overlays/test/kustomization.yaml', '--config-image-name', 'nexus.example.com/steg/step-counter', '--config-tag', '1.5.0', '--app', 'step-counter', '--environment', 'test'],
      { ...s.env, PATH: rec.path },
    );
    assert.equal(r.code, 0, r.stderr);
    assertNoLeak({ stdout: r.stdout, stderr: r.stderr, results: JSON.stringify(r.results), argv: readFileSync(rec.log, 'utf8'), commit: git(remote, ['log', '-1', '--format=%B', 'main']) });
  });
});
