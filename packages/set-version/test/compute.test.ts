import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { commit, fullClone, git, repoWithRemote, run, scratch, shallowClone } from './git-fixture.ts';
import type { GenCommit } from './fast-import.ts';
import { importHistory } from './fast-import.ts';

describe('compute against real repositories', () => {
  it('gives the same version from a depth-1 clone without tags as from a full clone, and says what it fetched', async () => {
    using s = scratch();
    // 153 commits in one git fast-import, tags v1.0.0 and v1.0.1 (the later one 50 commits deep).
    const history: GenCommit[] = [{ msg: 'feat: start' }, { msg: 'fix: one', tag: 'v1.0.0' }];
    for (let i = 0; i < 150; i++) history.push(i === 100 ? { msg: 'fix: two', tag: 'v1.0.1' } : { msg: `chore: ${i}` });
    history.push({ msg: 'feat: login' }, { msg: 'fix: crash' });
    const remote = join(s.path, 'remote.git');
    git(s.path, ['init', '-q', '--bare', '-b', 'main', remote]);
    importHistory(remote, history);
    const url = `file://${remote}`;
    const full = await run(['--dir', fullClone(url, join(s.path, 'full'))], s.env);
    const shallowDir = shallowClone(url, join(s.path, 'shallow'));
    assert.equal(git(shallowDir, ['rev-parse', '--is-shallow-repository']), 'true');
    const shallow = await run(['--dir', shallowDir], s.env);
    assert.equal(full.code, 0, full.stderr);
    assert.equal(shallow.code, 0, shallow.stderr);
    assert.equal(full.results.version, '1.1.0');
    assert.deepEqual(shallow.results, full.results);
    assert.equal(shallow.results['previous-version'], '1.0.1');
    assert.equal(shallow.results.bump, 'minor');
    assert.match(shallow.stderr, /ls-remote origin: 2 tag ref\(s\)/);
    assert.match(shallow.stderr, /deepened the shallow clone by \d+ commit\(s\) in \d+ fetch\(es\)/);
    // Just enough history: the clone is still shallow and has not got the whole repository.
    assert.equal(git(shallowDir, ['rev-parse', '--is-shallow-repository']), 'true');
    assert.ok(Number(git(shallowDir, ['rev-list', '--count', 'HEAD'])) < 154);
  });

  it('bumps by Conventional Commits, and reports no release when nothing is releasable', async () => {
    using s = scratch();
    const { work } = repoWithRemote(s.path, [{ msg: 'feat: a', tag: 'v1.2.3' }, 'chore: deps', 'docs: readme']);
    let r = await run(['--dir', work], s.env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.results.released, 'false');
    assert.equal(r.results.version, '1.2.3');
    assert.equal(r.results.bump, 'none');
    r = await run(['--dir', work, '--force'], s.env);
    assert.equal(r.results.version, '1.2.4');
    assert.equal(r.results.released, 'true');
    commit(work, ['fix: x']);
    assert.equal((await run(['--dir', work], s.env)).results.version, '1.2.4');
    commit(work, ['feat(api)!: remove v1']);
    const major = await run(['--dir', work], s.env);
    assert.equal(major.results.version, '2.0.0');
    assert.equal(major.results.bump, 'major');
    assert.equal((await run(['--dir', work, '--bump', 'patch'], s.env)).results.version, '1.2.4');
    assert.equal((await run(['--dir', work, '--version', '3.0.0'], s.env)).results.version, '3.0.0');
  });

  it('keeps a breaking change below 1.0.0 to a minor bump unless configured', async () => {
    using s = scratch();
    const { work } = repoWithRemote(s.path, [{ msg: 'feat: a', tag: 'v0.3.1' }, 'fix: b\n\nBREAKING CHANGE: config moved']);
    assert.equal((await run(['--dir', work], s.env)).results.version, '0.4.0');
    assert.equal((await run(['--dir', work, '--breaking-below-1', 'major'], s.env)).results.version, '1.0.0');
  });

  it('uses the first version when there is no tag, and ignores tags that are not semver', async () => {
    using s = scratch();
    const { work } = repoWithRemote(s.path, [{ msg: 'feat: a', light: 'v1.2' }, { msg: 'fix: b', tag: 'vnext' }, { msg: 'fix: c', tag: 'release-9' }]);
    const r = await run(['--dir', work, '--first-version', '1.0.0'], s.env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.results.version, '1.0.0');
    assert.equal(r.results.bump, 'initial');
    assert.equal(r.results['previous-version'], '');
    assert.equal(r.results.released, 'true');
  });

  it('gives monorepo components their own tags and counts only commits touching their path', async () => {
    using s = scratch();
    const { work } = repoWithRemote(s.path, [
      { msg: 'feat: api', files: { 'api/a.ts': '1' }, tag: 'api@1.0.0' },
      { msg: 'feat: web', files: { 'web/a.ts': '1' }, tag: 'web/v2.0.0' },
      { msg: 'feat: web login', files: { 'web/b.ts': '1' } },
      { msg: 'fix: api crash', files: { 'api/b.ts': '1' } },
      { msg: 'feat!: web rewrite', files: { 'web/c.ts': '1' }, light: 'v9.9.9' },
    ]);
    const api = await run(['--dir', work, '--tag-pattern', '{name}@{version}', '--name', 'api', '--path-filter', 'api'], s.env);
    assert.equal(api.code, 0, api.stderr);
    assert.equal(api.results.version, '1.0.1');
    assert.equal(api.results.tag, 'api@1.0.1');
    const web = await run(['--dir', work, '--tag-pattern', '{name}/v{version}', '--name', 'web', '--path-filter', 'web'], s.env);
    assert.equal(web.results.version, '3.0.0');
    assert.equal(web.results.tag, 'web/v3.0.0');
  });

  it('gives merge requests and feature branches prereleases, and separate build-metadata and image-tag forms', async () => {
    using s = scratch();
    const { work } = repoWithRemote(s.path, [{ msg: 'feat: a', tag: 'v1.3.2' }, 'feat: b', 'chore: c', 'fix: d']);
    const sha = git(work, ['rev-parse', 'HEAD']).slice(0, 7);
    const mr = await run(['--dir', work, '--merge-request', '42'], s.env);
    assert.equal(mr.results.version, '1.4.0-mr.42.3');
    assert.equal(mr.results.released, 'false');
    assert.equal(mr.results['build-version'], `1.4.0-mr.42.3+sha.${sha}`);
    assert.equal(mr.results['image-tag'], '1.4.0-mr.42.3');
    const br = await run(['--dir', work, '--branch', 'Feature/Login'], s.env);
    assert.equal(br.results.version, '1.4.0-feature-login.3');
    const main = await run(['--dir', work, '--branch', 'main'], s.env);
    assert.equal(main.results.version, '1.4.0');
    assert.equal(main.results['build-version'], `1.4.0+sha.${sha}`);
    assert.doesNotMatch(main.results['image-tag'] ?? '', /\+/);
  });

  it('takes the highest release tag in HEAD\'s history, not a higher one on another branch, from loose and packed tags alike', async () => {
    using s = scratch();
    const { work } = repoWithRemote(s.path, [{ msg: 'feat: a', tag: 'v1.0.0' }, { msg: 'fix: b', tag: 'v1.0.1' }]);
    git(work, ['checkout', '-q', '-b', 'next']);
    commit(work, [{ msg: 'feat!: c', tag: 'v2.0.0' }]);
    git(work, ['checkout', '-q', 'main']);
    commit(work, ['fix: d', 'chore: e']);
    git(work, ['remote', 'remove', 'origin']);
    const loose = await run(['--dir', work], s.env);
    assert.equal(loose.code, 0, loose.stderr);
    assert.equal(loose.results.version, '1.0.2');
    assert.equal(loose.results['previous-version'], '1.0.1');
    git(work, ['pack-refs', '--all']);
    assert.deepEqual((await run(['--dir', work], s.env)).results, loose.results);
    // A tag on HEAD itself is this release; the one below it is the previous version.
    git(work, ['tag', '-a', '-m', 'r', 'v1.0.2']);
    git(work, ['pack-refs', '--all']);
    const tagged = await run(['--dir', work], s.env);
    assert.equal(tagged.results.version, '1.0.2');
    assert.equal(tagged.results['previous-version'], '1.0.1');
  });

  it('reports the tag on HEAD as this release when it is re-run on a tagged commit', async () => {
    using s = scratch();
    const { work } = repoWithRemote(s.path, [{ msg: 'feat: a', tag: 'v1.0.0' }, { msg: 'feat: b', tag: 'v1.1.0' }]);
    const r = await run(['--dir', work], s.env);
    assert.equal(r.results.version, '1.1.0');
    assert.equal(r.results['previous-version'], '1.0.0');
    assert.equal(r.results.released, 'true');
    const shallow = await run(['--dir', shallowClone(`file://${join(s.path, 'remote.git')}`, join(s.path, 'sh'))], s.env);
    assert.deepEqual(shallow.results, r.results);
  });

  it('refuses bad input with exit 2 naming the param', async () => {
    using s = scratch();
    const { work } = repoWithRemote(s.path, [{ msg: 'feat: a', tag: 'v1.0.0' }, 'fix: b']);
    const cases: [string[], RegExp][] = [
      [['--version', '1.2'], /param version is "1\.2", expected a release version/],
      [['--version', 'v1.2.0'], /param version is "v1\.2\.0"/],
      [['--version', '0.9.0'], /expected a version greater than the latest release 1\.0\.0/],
      [['--version', '1.0.0'], /tag v1\.0\.0 already exists on commit/],
      [['--bump', 'huge'], /param bump \(--bump\) is "huge", expected one of auto, major, minor, patch, none/],
      [['--tag-pattern', 'release-'], /param tag-pattern is "release-", expected a pattern containing \{version\}/],
      [['--merge-request', 'abc'], /param merge-request is "abc"/],
      [['--dir', s.home], /param dir is .*expected a git working tree/],
    ];
    for (const [args, re] of cases) {
      const r = await run(['--dir', work, ...args], s.env);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.deepEqual(r.results, {});
    }
  });
});
