import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commit, git, remoteTagList, repoWithRemote, run, scratch, shallowClone } from './git-fixture.ts';

const pkgJson = '{\n  "name": "app",\n  "version": "0.0.0-dev",\n  "private": true\n}\n';
const chart = '# the chart\napiVersion: v2\nname: app\nversion: 0.0.0 # bumped by the pipeline\nappVersion: "0.0.0"\n';
const values = 'image:\n  repository: reg/app\n  tag: latest # replaced at release\n';

function appRepo(root: string) {
  return repoWithRemote(root, [
    { msg: 'feat: app', files: { 'package.json': pkgJson, 'charts/app/Chart.yaml': chart, 'deploy/values.yaml': values, VERSION: '0.0.0\n' }, tag: 'v1.3.0' },
    'feat: login',
    'fix: typo',
  ]);
}

const applyArgs = ['--mode', 'apply', '--files', 'package.json,charts/app/Chart.yaml,VERSION', '--yaml-paths', 'deploy/values.yaml:image.tag'];

describe('apply: files and tag', () => {
  it('writes the version into files keeping their comments, and pushes an annotated tag on HEAD', async () => {
    using s = scratch();
    const { remote, url } = appRepo(s.path);
    const dir = shallowClone(url, join(s.path, 'ci'));
    const head = git(dir, ['rev-parse', 'HEAD']);
    const r = await run(['--dir', dir, ...applyArgs], s.env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.results.version, '1.4.0');
    assert.equal(r.results.tag, 'v1.4.0');
    assert.equal(readFileSync(join(dir, 'package.json'), 'utf8'), pkgJson.replace('0.0.0-dev', '1.4.0'));
    assert.equal(readFileSync(join(dir, 'charts/app/Chart.yaml'), 'utf8'), chart.replace('version: 0.0.0', 'version: 1.4.0').replace('"0.0.0"', '"1.4.0"'));
    assert.equal(readFileSync(join(dir, 'deploy/values.yaml'), 'utf8'), values.replace('tag: latest', 'tag: 1.4.0'));
    assert.equal(readFileSync(join(dir, 'VERSION'), 'utf8'), '1.4.0\n');
    assert.equal(remoteTagList(remote)['v1.4.0'], head);
    assert.equal(git(remote, ['cat-file', '-t', 'v1.4.0']), 'tag');
    // Re-running (a Tekton retry on the same workspace) is safe and gives the same outcome.
    const again = await run(['--dir', dir, ...applyArgs], s.env);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.results.version, '1.4.0');
    assert.match(again.stderr, /already carries v1\.4\.0/);
    assert.deepEqual(Object.keys(remoteTagList(remote)).sort(), ['v1.3.0', 'v1.4.0']);
  });

  it('--dry-run reports everything and writes, tags and pushes nothing', async () => {
    using s = scratch();
    const { remote, url } = appRepo(s.path);
    const dir = shallowClone(url, join(s.path, 'ci'));
    // A read-only remote: the dry run must not need push rights.
    git(remote, ['config', 'receive.denyNonFastForwards', 'true']);
    const r = await run(['--dir', dir, ...applyArgs, '--dry-run'], s.env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.results.version, '1.4.0');
    assert.match(r.stderr, /would create and push tag v1\.4\.0/);
    assert.match(r.stderr, /would write charts\/app\/Chart\.yaml/);
    assert.equal(git(dir, ['status', '--porcelain']), '');
    assert.deepEqual(Object.keys(remoteTagList(remote)), ['v1.3.0']);
  });

  it('two runs at once on successive commits end with distinct versions and no orphan tag', async () => {
    using s = scratch();
    const { remote, url, work } = appRepo(s.path);
    const a = shallowClone(url, join(s.path, 'a'));
    commit(work, ['fix: another']);
    git(work, ['push', '-q', 'origin', 'main']);
    const b = shallowClone(url, join(s.path, 'b'));
    const [ra, rb] = await Promise.all([run(['--dir', a, '--mode', 'apply'], s.env), run(['--dir', b, '--mode', 'apply'], s.env)]);
    assert.equal(ra.code, 0, ra.stderr);
    assert.equal(rb.code, 0, rb.stderr);
    assert.notEqual(ra.results.version, rb.results.version);
    const tags = remoteTagList(remote);
    assert.equal(tags[ra.results.tag as string], git(a, ['rev-parse', 'HEAD']));
    assert.equal(tags[rb.results.tag as string], git(b, ['rev-parse', 'HEAD']));
    // Every tagged commit is on the remote's main branch.
    for (const c of Object.values(tags)) git(remote, ['merge-base', '--is-ancestor', c, 'main']);
  });

  it('two runs at once on the same commit agree on one tag', async () => {
    using s = scratch();
    const { remote, url } = appRepo(s.path);
    const a = shallowClone(url, join(s.path, 'a'));
    const b = shallowClone(url, join(s.path, 'b'));
    const [ra, rb] = await Promise.all([run(['--dir', a, '--mode', 'apply'], s.env), run(['--dir', b, '--mode', 'apply'], s.env)]);
    assert.equal(ra.code, 0, ra.stderr);
    assert.equal(rb.code, 0, rb.stderr);
    assert.equal(ra.results.version, '1.4.0');
    assert.equal(rb.results.version, '1.4.0');
    assert.deepEqual(Object.keys(remoteTagList(remote)).sort(), ['v1.3.0', 'v1.4.0']);
  });

  it('never tags a commit that is not on the remote (exit 6, no orphan)', async () => {
    using s = scratch();
    const { remote, url } = appRepo(s.path);
    const dir = shallowClone(url, join(s.path, 'ci'));
    commit(dir, ['feat: local only']);
    const r = await run(['--dir', dir, '--mode', 'apply'], s.env);
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /is not on the remote origin/);
    assert.deepEqual(Object.keys(remoteTagList(remote)), ['v1.3.0']);
    assert.equal(git(dir, ['tag', '--list', 'v1.4.0']), '');
  });

  it('refuses bad input with exit 2 and writes, tags and pushes nothing', async () => {
    using s = scratch();
    const { remote, url } = appRepo(s.path);
    const dir = shallowClone(url, join(s.path, 'ci'));
    const cases: [string[], RegExp, (() => void)?][] = [
      [['--yaml-paths', 'deploy/values.yaml:image.digest'], /deploy\/values.yaml has no image\.digest; nothing was written, tagged or pushed/],
      [['--yaml-paths', 'deploy/values.yaml'], /param yaml-paths is "deploy\/values.yaml", expected FILE:PATH/],
      [['--files', 'setup.py'], /unknown kind of version file/],
      [['--version', 'one'], /param version is "one"/],
      [['--bump', 'sideways'], /param bump/],
      [['--tag-pattern', '{name}-{version}'], /param tag-pattern/],
      [[], /has uncommitted changes in README\.md/, () => writeFileSync(join(dir, 'README.md'), 'dirty')],
    ];
    git(dir, ['commit', '-q', '--allow-empty', '-m', 'chore: x']);
    git(dir, ['reset', '-q', '--hard', 'HEAD~1']);
    writeFileSync(join(dir, 'README.md'), 'clean');
    git(dir, ['add', 'README.md']);
    git(dir, ['-c', 'user.name=x', '-c', 'user.email=x@x', 'commit', '-q', '-m', 'docs: readme']);
    git(dir, ['push', '-q', 'origin', 'HEAD:main']);
    for (const [args, re, setup] of cases) {
      setup?.();
      const r = await run(['--dir', dir, ...applyArgs, ...args], s.env);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.deepEqual(Object.keys(remoteTagList(remote)), ['v1.3.0']);
      assert.equal(readFileSync(join(dir, 'package.json'), 'utf8'), pkgJson);
      assert.equal(readFileSync(join(dir, 'VERSION'), 'utf8'), '0.0.0\n');
    }
  });

  it('fails with exit 4 and a clear message when the remote is unreachable', async () => {
    using s = scratch();
    const { url } = appRepo(s.path);
    const dir = shallowClone(url, join(s.path, 'ci'));
    git(dir, ['remote', 'set-url', 'origin', 'http://127.0.0.1:9/nowhere.git']);
    const r = await run(['--dir', dir, ...applyArgs], s.env);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /git ls-remote --tags origin .*failed/);
    assert.equal(readFileSync(join(dir, 'VERSION'), 'utf8'), '0.0.0\n');
  });
});
