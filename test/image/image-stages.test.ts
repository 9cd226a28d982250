// The Containerfile's extra stages, and its package installs on bases other than Debian:
// a microdnf base (UBI's package manager, faked here since UBI cannot be pulled) and a base
// with no package manager at all must fail with a message that says what to do.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { buildFixtureImage, runStepImage, testdir, IMAGES } from '@steg/test-support';
import { buildImage, bundleStep, run } from '../../images/build-images.mjs';

const FIXTURE = fileURLToPath(new URL('./fixtures/echo-step', import.meta.url));
const made: string[] = [];
after(() => {
  if (made.length) execFileSync('docker', ['rmi', '-f', ...made], { stdio: 'ignore' });
});

/** Builds a throwaway base from the local Node image: files copied to /, then a shell snippet run as root. */
async function fakeBase(tag: string, script: string, files: Record<string, string> = {}): Promise<string> {
  const copy = Object.keys(files).map((f) => `COPY ${f} /${f}\n`).join('');
  using ctx = testdir({ ...files, Containerfile: `FROM ${IMAGES.node}\nUSER 0\n${copy}RUN ${script}\nUSER 1001:0\n` });
  await run('docker', ['build', '-q', '-f', `${ctx.path}/Containerfile`, '-t', tag, ctx.path], { env: { ...process.env, DOCKER_BUILDKIT: '0' } });
  made.push(tag);
  return tag;
}

/** Builds the fixture from the given base and target stage. */
async function buildFrom(baseImage: string, target: string): Promise<string> {
  using dist = testdir();
  const bundled = await bundleStep({ name: 'echo-step', packageDir: FIXTURE, distDir: dist.path });
  const tag = `localhost/steg/echo-step:test-${target}-${baseImage.split('/').pop()?.replace(/[^\w.-]/g, '-')}`;
  await buildImage({ name: 'echo-step', ...bundled, tag, target, baseImage, version: '1.2.3' });
  made.push(tag);
  return tag;
}

/** Builds the fixture from the given base and target; resolves with the error it fails with. */
function buildFails(baseImage: string, target: string): Promise<Error> {
  return buildFrom(baseImage, target).then(
    () => assert.fail(`building ${target} from ${baseImage} should fail`),
    (e: Error) => e,
  );
}

describe('image stages', () => {
  it('git stage: git works for an arbitrary UID on a workspace repository another UID owns', async () => {
    const image = await buildFixtureImage(FIXTURE, { target: 'git', tag: 'localhost/steg/echo-step:test-git' });
    using ws = testdir({ 'README.md': 'hej\n' });
    const git = (...args: string[]) => execFileSync('git', ['-C', ws.path, ...args], { stdio: 'ignore' });
    git('init', '-q');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'first');
    const r = await runStepImage(image, { entrypoint: ['git', '-C', '/workspace/source', 'log', '--format=%s'], workspaces: { source: ws.path } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'first');
  });

  it('installs with microdnf on a UBI-like base, and fails the chromium stage saying Chromium is not in UBI', async () => {
    // A stand-in microdnf: git-core "installs" a stub git, chromium is not found, as on UBI.
    const stub = [
      '#!/bin/sh',
      'echo "microdnf $*" >> /var/log/fake-microdnf.log',
      'case "$*" in',
      '  *chromium*) echo "error: No package matches chromium" >&2; exit 1 ;;',
      '  *git-core*) printf "#!/bin/sh\\necho git version 0-fake\\n" > /usr/bin/git; chmod +x /usr/bin/git ;;',
      'esac',
    ].join('\n');
    const base = await fakeBase('localhost/steg/test-microdnf-base:test', 'rm -f /usr/bin/apt-get && chmod 755 /usr/bin/microdnf', {
      'usr/bin/microdnf': `${stub}\n`,
    });
    const gitImage = await buildFrom(base, 'git');
    const log = await runStepImage(gitImage, { entrypoint: ['cat', '/var/log/fake-microdnf.log'] });
    assert.equal(log.code, 0, log.stderr);
    assert.match(log.stdout, /^microdnf install -y .*git-core/m);
    assert.match(log.stdout, /^microdnf clean all$/m);
    const err = await buildFails(base, 'chromium');
    assert.match(err.message, /Chromium is not in this base image's repositories \(UBI has none; it is in EPEL\)/);
  });

  it('fails with a clear message on a base with neither apt-get nor microdnf', async () => {
    const base = await fakeBase('localhost/steg/test-nopm-base:test', 'rm -f /usr/bin/apt-get /usr/bin/microdnf');
    const err = await buildFails(base, 'git');
    assert.match(err.message, /neither apt-get nor microdnf; cannot install git/);
  });
});
