import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { configRemote, git, run, scratch } from './git-fixture.ts';

const IMAGE = 'nexus.example.com/steg/step-counter';
const testOverlay = 'apps/step-counter/overlays/test/kustomization.yaml';

function args(url: string, extra: string[] = []): string[] {
  return ['--mode', 'config-update', '--config-url', url, '--config-file', testOverlay, '--config-image-name', IMAGE, '--app', 'step-counter', '--environment', 'test', ...extra];
}

const show = (remote: string, file: string): string => git(remote, ['show', `main:${file}`]);

describe('config-update: GitOps write-back', () => {
  it('sets the overlay image tag, keeps comments, and commits with app, version, environment and source commit', async () => {
    using s = scratch();
    const { remote, url } = configRemote(s.path);
    const before = show(remote, testOverlay);
    const r = await run(args(url, ['--config-tag', '1.4.0', '--source-commit', 'abc1234def']), s.env);
    assert.equal(r.code, 0, r.stderr);
    const head = git(remote, ['rev-parse', 'main']);
    assert.equal(r.results['config-commit-sha'], head);
    assert.equal(show(remote, testOverlay), before.replace('newTag: "1.3.0"', 'newTag: "1.4.0"'));
    const msg = git(remote, ['log', '-1', '--format=%B', 'main']);
    assert.match(msg, /^deploy\(step-counter\): 1\.4\.0 to test/);
    assert.match(msg, /Source-Commit: abc1234def/);
    assert.match(msg, /Environment: test/);
    // Staging and prod are untouched (promoted by hand).
    assert.match(show(remote, 'apps/step-counter/overlays/staging/kustomization.yaml'), /newTag: "1\.2\.0"/);
  });

  it('is idempotent: no commit when the file already holds the version', async () => {
    using s = scratch();
    const { remote, url } = configRemote(s.path);
    const first = await run(args(url, ['--config-tag', '1.4.0']), s.env);
    const count = git(remote, ['rev-list', '--count', 'main']);
    const second = await run(args(url, ['--config-tag', '1.4.0']), s.env);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.results['config-commit-sha'], first.results['config-commit-sha']);
    assert.equal(git(remote, ['rev-list', '--count', 'main']), count);
    assert.match(second.stderr, /already holds 1\.4\.0; nothing to commit/);
  });

  it('writes a digest, and a Helm values key path', async () => {
    using s = scratch();
    const { remote, url } = configRemote(s.path);
    const digest = `sha256:${'b'.repeat(64)}`;
    const d = await run(args(url, ['--config-tag', '1.4.0', '--config-digest', digest]), s.env);
    assert.equal(d.code, 0, d.stderr);
    assert.match(show(remote, testOverlay), new RegExp(`digest: ${digest}`));
    const h = await run(['--mode', 'config-update', '--config-url', url, '--config-file', 'helm/step-counter/values-test.yaml', '--config-format', 'yaml', '--config-key-path', 'image.tag', '--config-tag', '1.4.0', '--app', 'step-counter', '--environment', 'test'], s.env);
    assert.equal(h.code, 0, h.stderr);
    const values = show(remote, 'helm/step-counter/values-test.yaml');
    assert.match(values, /tag: "1\.4\.0"/);
    assert.match(values, /# set by steg-config-update/);
  });

  it('two write-backs at once both land (the loser redoes its edit on the new head)', async () => {
    using s = scratch();
    const { remote, url } = configRemote(s.path);
    const base = Number(git(remote, ['rev-list', '--count', 'main']));
    const [a, b] = await Promise.all([
      run(args(url, ['--config-tag', '1.4.0']), s.env),
      run([...args(url, ['--config-tag', '1.2.1']).map((x) => (x === testOverlay ? 'apps/step-counter/overlays/staging/kustomization.yaml' : x === 'test' ? 'staging' : x))], s.env),
    ]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(Number(git(remote, ['rev-list', '--count', 'main'])), base + 2);
    assert.match(show(remote, testOverlay), /newTag: "1\.4\.0"/);
    assert.match(show(remote, 'apps/step-counter/overlays/staging/kustomization.yaml'), /newTag: "1\.2\.1"/);
    const heads = [a.results['config-commit-sha'], b.results['config-commit-sha']];
    for (const c of heads) git(remote, ['merge-base', '--is-ancestor', c as string, 'main']);
  });

  it('--dry-run clones and edits in scratch space only', async () => {
    using s = scratch();
    const { remote, url } = configRemote(s.path);
    const head = git(remote, ['rev-parse', 'main']);
    const r = await run(args(url, ['--config-tag', '1.4.0', '--dry-run']), s.env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /dry run: would set 1\.4\.0/);
    assert.equal(git(remote, ['rev-parse', 'main']), head);
  });

  it('refuses bad input with exit 2 and pushes nothing', async () => {
    using s = scratch();
    const { remote, url } = configRemote(s.path);
    const head = git(remote, ['rev-parse', 'main']);
    const cases: [string[], RegExp][] = [
      [args(url, ['--config-tag', 'bad tag!']), /param config-tag is "bad tag!", expected an OCI image tag/],
      [args(url, []), /param config-tag is "", expected an image tag/],
      [args('not a url', ['--config-tag', '1.0.0']), /param config-url/],
      [args(url, ['--config-tag', '1.0.0', '--config-digest', 'md5:x']), /param config-digest/],
      [args(url, ['--config-tag', '1.0.0']).filter((x) => x !== '--environment' && x !== 'test'), /param environment is "", expected the environment name/],
      [args(url, ['--config-tag', '1.0.0', '--config-file', 'apps/nope/kustomization.yaml']), /no such file/],
      [['--mode', 'config-update', '--config-url', url, '--config-file', 'helm/step-counter/values-test.yaml', '--config-format', 'yaml', '--config-key-path', 'image.version', '--config-tag', '1.0.0', '--app', 'a', '--environment', 'test'], /has no image\.version/],
    ];
    for (const [a, re] of cases) {
      const r = await run(a, s.env);
      assert.equal(r.code, 2, `${a.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
    }
    assert.equal(git(remote, ['rev-parse', 'main']), head);
  });

  it('fails with exit 4 when the config repository is unreachable', async () => {
    using s = scratch();
    const r = await run(args(`file://${join(s.path, 'missing.git')}`, ['--config-tag', '1.0.0']), s.env);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /git clone .*failed/);
  });
});
