// `npm run images`: argument handling, and a build + push to a local registry (Nexus stand-in)
// read back with skopeo.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { testdir } from '@steg/test-support';
import { DEFAULT_BASE_IMAGE, UsageError, parseArgs, prepareContext } from '../../images/build-images.mjs';
import { startRegistry } from './local-registry.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));

/** Runs `npm run images -- ARGS` from the repository root. */
function images(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync('npm', ['run', '--silent', 'images', '--', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The manifest and config of a pushed image, read from the registry (not the local engine). */
function skopeoInspect(ref: string): { Labels: Record<string, string>; Layers: string[] } {
  return JSON.parse(execFileSync('skopeo', ['inspect', '--tls-verify=false', `docker://${ref}`], { encoding: 'utf8' }));
}

describe('npm run images: arguments', () => {
  it('tags for localhost unless STEG_REGISTRY or --registry says otherwise', () => {
    assert.equal(parseArgs([], {}).registry, 'localhost');
    assert.equal(parseArgs([], { STEG_REGISTRY: 'nexus.example.com:8443/' }).registry, 'nexus.example.com:8443');
    assert.equal(parseArgs(['--registry', '127.0.0.1:5000'], { STEG_REGISTRY: 'nexus.example.com' }).registry, '127.0.0.1:5000');
    assert.equal(parseArgs(['--registry=nexus.example.com/team'], {}).registry, 'nexus.example.com/team');
  });

  it('defaults to the UBI Node 22 base with a pinned tag, never latest', () => {
    const o = parseArgs(['set-version', '--push', '--tag', 'rc1'], { STEG_REGISTRY: 'nexus.example.com' });
    assert.equal(o.baseImage, DEFAULT_BASE_IMAGE);
    assert.match(DEFAULT_BASE_IMAGE, /^registry\.access\.redhat\.com\/ubi9\/nodejs-22-minimal:\d[\w.-]+$/);
    assert.deepEqual([o.names, o.push, o.tag], [['set-version'], true, 'rc1']);
  });

  it('refuses unknown options, flags without values and malformed tags or registries', () => {
    assert.throws(() => parseArgs(['--pushh'], {}), UsageError);
    assert.throws(() => parseArgs(['--registry'], {}), /--registry needs a value/);
    assert.throws(() => parseArgs(['--tag', 'a b'], {}), /not a valid image tag/);
    assert.throws(() => parseArgs(['--registry', 'https://nexus'], {}), /not a registry host/);
    assert.throws(() => parseArgs(['--push'], {}), /--push needs a registry/);
  });

  it('exits 2 naming an unknown step, and the steps it knows', () => {
    const r = images(['no-such-step', '--packages', FIXTURES]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /unknown step no-such-step/);
    assert.match(r.stderr, /echo-step/);
  });

  it('exits 2 when a package asks for a stage the Containerfile does not have', () => {
    using dir = testdir({
      'odd-step/package.json': { name: 'odd-step', version: '0.1.0', steg: { imageTarget: 'python' } },
      'odd-step/src/cli.ts': '',
    });
    const r = images(['odd-step', '--packages', dir.path, '--out', `${dir.path}/dist`]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /imageTarget.*python.*node, git, chromium/);
  });
});

describe('npm run images: build context', () => {
  it('stamps one fixed time on every file and makes all of it readable, so the same files give the same layers', () => {
    using src = testdir({ 'x.mjs': 'console.log(1)', 'assets/templates/a.txt': 'a', 'assets/b.bin': Buffer.from([1, 2]) });
    spawnSync('chmod', ['-R', 'go-rwx', src.path]);
    const ctx = prepareContext({ name: 'x', bundle: join(src.path, 'x.mjs'), assetsDir: join(src.path, 'assets'), epoch: 1_700_000_000 });
    try {
      const entries: string[] = [];
      const walk = (dir: string): void => {
        for (const e of readdirSync(dir)) {
          const p = join(dir, e);
          entries.push(p.slice(ctx.length + 1));
          const st = lstatSync(p);
          assert.equal(st.mtimeMs, 1_700_000_000_000, `${p} keeps its own time`);
          assert.equal(st.mode & 0o444, 0o444, `${p} is not readable by every UID`);
          if (st.isDirectory()) walk(p);
        }
      };
      walk(ctx);
      assert.deepEqual(entries.sort(), ['dist', 'dist/x.assets', 'dist/x.assets/b.bin', 'dist/x.assets/templates', 'dist/x.assets/templates/a.txt', 'dist/x.mjs']);
    } finally {
      rmSync(ctx, { recursive: true, force: true });
    }
  });
});

describe('npm run images: build and push', () => {
  it('builds a step image, prints its size, and pushes it to a registry given by flag or STEG_REGISTRY', async () => {
    await using registry = await startRegistry();
    using out = testdir();
    // The push is what is under test here. Compressing the Node base's layers for a first push
    // takes most of a minute on two busy cores, so the image is built FROM scratch (the node
    // stage only copies files and sets metadata); STEG_TEST_PUSH_BASE pushes a real base instead.
    const base = process.env.STEG_TEST_PUSH_BASE ?? 'scratch';
    const common = ['echo-step', '--packages', FIXTURES, '--out', out.path, '--base-image', base];
    const pushed: string[] = [];
    try {
      const r = images([...common, '--registry', registry.host, '--push']);
      assert.equal(r.code, 0, r.stderr);
      const ref = `${registry.host}/steg/echo-step:1.2.3`;
      pushed.push(ref);
      assert.match(r.stdout, new RegExp(`${ref.replace(/[.]/g, '\\.')}\\s+\\d+(\\.\\d)? MB`));
      assert.match(r.stdout, new RegExp(`pushed ${ref.replace(/[.]/g, '\\.')}`));
      const remote = skopeoInspect(ref);
      assert.equal(remote.Labels['org.opencontainers.image.version'], '1.2.3');
      assert.equal(remote.Labels['org.opencontainers.image.title'], 'steg/echo-step');
      assert.equal(remote.Labels['org.opencontainers.image.base.name'], base);

      // The one variable a Nexus user sets, with a tag of their own.
      const again = images([...common, '--tag', 'ci', '--push'], { STEG_REGISTRY: registry.host });
      assert.equal(again.code, 0, again.stderr);
      pushed.push(`${registry.host}/steg/echo-step:ci`);
      const tags = JSON.parse(execFileSync('skopeo', ['list-tags', '--tls-verify=false', `docker://${registry.host}/steg/echo-step`], { encoding: 'utf8' }));
      assert.deepEqual([...tags.Tags].sort(), ['1.2.3', 'ci']);
      // Same bundle, same base: the second build is the same image, layer for layer.
      assert.deepEqual(skopeoInspect(`${registry.host}/steg/echo-step:ci`).Layers, remote.Layers);
    } finally {
      spawnSync('docker', ['rmi', ...pushed], { stdio: 'ignore' });
    }
  });
});
