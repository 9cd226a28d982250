// The set-version image run as Tekton runs it (arbitrary UID in group 0, read-only root fs,
// HOME=/tmp, the source workspace and a token Secret mounted), against a real git HTTP server
// with Basic auth on 127.0.0.1 (reached over --network host): apply on a depth-1 clone without
// tags, then the config write-back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildStepImage, dockerAvailable, runStepImage } from '@steg/test-support';
import { configRemote, git, remoteTagList, repoWithRemote, scratch, shallowClone } from './git-fixture.ts';
import { startGitHttpServer } from './git-http-server.ts';

const CANARY = 'canary-image-T0ken-51d8';
const USER = 'ci-bot';

test('the image tags a depth-1 clone and writes the version back to the config repository, over authenticated HTTP', { timeout: 900_000 }, async () => {
  assert.ok(dockerAvailable(), 'a Docker engine is needed (npm test provisions it)');
  const image = await buildStepImage('set-version');
  using s = scratch();
  const pkg = '{\n  "name": "app",\n  "version": "0.0.0"\n}\n';
  const { url } = repoWithRemote(s.path, [{ msg: 'feat: app', files: { 'package.json': pkg }, tag: 'v2.4.1' }, 'fix: a', 'feat: b']);
  const { remote: configBare } = configRemote(s.path);
  await using server = await startGitHttpServer(s.path, USER, CANARY);
  const source = shallowClone(url, join(s.path, 'source'));
  git(source, ['remote', 'set-url', 'origin', `${server.url}/remote.git`]);
  const head = git(source, ['rev-parse', 'HEAD']);

  const apply = await runStepImage(image, {
    args: ['--mode', 'apply', '--dir', '/workspace/source', '--files', 'package.json', '--git-token-user', USER, '--git-token-file', '/secrets/git/token'],
    workspaces: { source },
    secrets: { git: { token: CANARY } },
  });
  assert.equal(apply.code, 0, apply.stderr);
  assert.equal(apply.results.version, '2.5.0');
  assert.equal(apply.results.tag, 'v2.5.0');
  assert.equal(apply.results['commit-sha'], head);
  assert.equal(apply.results.released, 'true');
  assert.equal(apply.results['config-commit-sha'], '');
  assert.match(apply.stderr, /deepened the shallow clone/);
  assert.equal(remoteTagList(join(s.path, 'remote.git'))['v2.5.0'], head);
  assert.equal(readFileSync(join(source, 'package.json'), 'utf8'), pkg.replace('0.0.0', '2.5.0'));

  const update = await runStepImage(image, {
    args: [
      '--mode', 'config-update', '--config-url', `${server.url}/config.git`,
      '--config-file', 'apps/step-counter/overlays/test/kustomization.yaml', '--config-image-name', 'nexus.example.com/steg/step-counter',
      '--config-tag', apply.results['image-tag'] as string, '--app', 'step-counter', '--environment', 'test', '--source-commit', head,
      '--git-token-user', USER,
    ],
    env: { STEG_GIT_TOKEN_FILE: '/secrets/git/token' },
    secrets: { git: { token: CANARY } },
  });
  assert.equal(update.code, 0, update.stderr);
  assert.equal(update.results['config-commit-sha'], git(configBare, ['rev-parse', 'main']));
  assert.match(git(configBare, ['show', 'main:apps/step-counter/overlays/test/kustomization.yaml']), /newTag: "2\.5\.0"/);
  for (const r of [apply, update]) for (const text of [r.stdout, r.stderr, ...Object.values(r.results)]) assert.ok(!text.includes(CANARY), 'the token leaked');
});
