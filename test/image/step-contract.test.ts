// The image contract, proven with a fixture step built from images/Containerfile on the local
// Node 22 base and run the way Tekton runs it on OpenShift (restricted-v2).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { buildFixtureImage, buildStepImage, imageLabels, runStepImage, startStepImage, testdir, IMAGES } from '@steg/test-support';
import type { RunStepImageOptions } from '@steg/test-support';

const FIXTURE = fileURLToPath(new URL('./fixtures/echo-step', import.meta.url));
const SECRET = `s3cr3t-${randomBytes(12).toString('hex')}`;

let image: string;
/** One ordinary run that several tests read, so each container start proves something new. */
let plain: Awaited<ReturnType<typeof runEcho>>;
before(async () => {
  image = await buildFixtureImage(FIXTURE);
  plain = await runEcho();
});
after(() => plain?.ws[Symbol.dispose]());

/** Runs the fixture with valid params plus any extra args, a fresh workspace and the secret mounted. */
async function runEcho(extra: string[] = [], o: RunStepImageOptions = {}) {
  const ws = testdir();
  const run = await runStepImage(image, {
    args: ['--message', 'hello', '--token-file', '/secrets/echo/token', '--out-dir', '/workspace/out', ...extra],
    env: { STEG_WHO: 'Tekton' },
    secrets: { echo: { token: SECRET } },
    workspaces: { out: ws.path },
    ...o,
  });
  return { ...run, ws };
}

/** The image's config as the engine reports it. */
function inspect(ref: string): { Config: { Entrypoint: string[] | null; Cmd: string[] | null; User: string; Env: string[] }; RootFS: { Layers: string[] } } {
  return JSON.parse(execFileSync('docker', ['image', 'inspect', ref], { encoding: 'utf8' }))[0];
}

describe('step image contract (fixture echo-step)', () => {
  it('takes params from args and env, reads a mounted secret, writes a workspace file and results', async () => {
    const { code, results, stderr, ws } = plain;
    assert.equal(code, 0, stderr);
    // The greeting prefix comes from the asset image-assets.mjs put next to the bundle.
    assert.equal(results.asset, 'Hej');
    assert.equal(results.greeting, 'Hej, Tekton! hello');
    assert.equal(results.file, '/workspace/out/echo.txt');
    assert.equal(readFileSync(`${ws.path}/echo.txt`, 'utf8'), 'Hej, Tekton! hello\n');
    assert.equal(results['token-sha256'], createHash('sha256').update(SECRET).digest('hex'));
    // Tekton results carry no trailing newline.
    for (const [name, value] of Object.entries(results)) assert.ok(!value.endsWith('\n'), `result ${name} ends with a newline`);
  });

  it('runs as an arbitrary UID in group 0, as OpenShift assigns it', async () => {
    const uid = 1_000_660_000 + Math.floor(Math.random() * 9999);
    const { code, results, stderr, ws } = await runEcho([], { uid });
    try {
      assert.equal(code, 0, stderr);
      assert.equal(results.uid, String(uid));
      assert.equal(results.gid, '0');
      const st = statSync(`${ws.path}/echo.txt`);
      assert.equal(st.uid, uid);
      assert.equal(st.gid, 0);
    } finally {
      ws[Symbol.dispose]();
    }
  });

  it('picks a random high UID when none is given', async () => {
    const { code, results } = plain;
    assert.equal(code, 0);
    assert.ok(Number(results.uid) >= 100_000, `uid ${results.uid}`);
    assert.notEqual(results.uid, '1001');
  });

  it('cannot write outside /tmp, HOME and the workspaces (read-only root filesystem)', async () => {
    const probes = ['/app/probe', '/probe', '/etc/probe', '/opt/app-root/src/probe', '/secrets/echo/probe', '/tmp/probe', '/workspace/out/probe'];
    const { code, results, stderr, ws } = await runEcho(['--try-write', probes.join(',')]);
    ws[Symbol.dispose]();
    assert.equal(code, 0, stderr);
    assert.deepEqual(JSON.parse(results.writable ?? '{}'), {
      '/app/probe': false,
      '/probe': false,
      '/etc/probe': false,
      '/opt/app-root/src/probe': false,
      '/secrets/echo/probe': false,
      '/tmp/probe': true,
      '/workspace/out/probe': true,
    });
  });

  it('has a writable HOME for tools that keep state there', async () => {
    const script = "const fs=require('fs'),os=require('os');fs.mkdirSync(os.homedir()+'/.cache/steg',{recursive:true});fs.writeFileSync(os.homedir()+'/.gitconfig','');console.log(os.homedir())";
    const { code, stdout, stderr } = await runStepImage(image, { entrypoint: ['node', '-e', script] });
    assert.equal(code, 0, stderr);
    assert.equal(stdout.trim(), '/tmp');
  });

  it('never shows the secret in output or results, from a file or from the environment', async () => {
    const fromFile = plain;
    const ws = testdir();
    const fromEnv = await runStepImage(image, {
      args: ['--message', 'hello', '--out-dir', '/workspace/out', '--log-format', 'json'],
      env: { STEG_WHO: 'Tekton', STEG_TOKEN: SECRET },
      workspaces: { out: ws.path },
    });
    ws[Symbol.dispose]();
    for (const run of [fromFile, fromEnv]) {
      assert.equal(run.code, 0, run.stderr);
      // The step logs and echoes the secret on purpose; step-kit must have masked both.
      assert.match(run.stderr, /read token \*\*\*/);
      assert.equal(run.results.echo, '***');
      for (const text of [run.stdout, run.stderr, ...Object.values(run.results)]) assert.ok(!text.includes(SECRET), 'the secret leaked');
      assert.equal(run.results['token-sha256'], createHash('sha256').update(SECRET).digest('hex'));
    }
  });

  it('exits 2 on bad input, naming the param, and changes nothing', async () => {
    const bad = await runEcho(['--count', 'zero']);
    try {
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /count/);
      assert.match(bad.stderr, /zero/);
      assert.deepEqual(bad.results, {});
      assert.equal(existsSync(`${bad.ws.path}/echo.txt`), false);
    } finally {
      bad.ws[Symbol.dispose]();
    }
    const missing = await runStepImage(image, { args: ['--message', 'hello', '--out-dir', '/tmp'], secrets: { echo: { token: SECRET } } });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /who/);
  });

  it('prints help generated from the declaration', async () => {
    const { code, stdout } = await runStepImage(image, { args: ['--help'] });
    assert.equal(code, 0);
    assert.match(stdout, /steg-echo-step/);
    assert.match(stdout, /--token-file PATH/);
  });

  it('carries the OCI labels: title, version, revision, source', async () => {
    const labels = await imageLabels(image);
    assert.equal(labels['org.opencontainers.image.title'], 'steg/echo-step');
    assert.equal(labels['org.opencontainers.image.version'], '1.2.3');
    // Others commit while tests run: the revision is the commit the build saw, HEAD or before it.
    const revision = labels['org.opencontainers.image.revision'] ?? '';
    assert.match(revision, /^[0-9a-f]{40}$/);
    execFileSync('git', ['merge-base', '--is-ancestor', revision, 'HEAD']);
    assert.ok(labels['org.opencontainers.image.source'], 'source label is empty');
    assert.equal(labels['org.opencontainers.image.base.name'], IMAGES.node);
    assert.ok(!('org.opencontainers.image.created' in labels), 'a build timestamp would make the image irreproducible');
  });

  it('runs Node 22 through an exec-form entrypoint as 1001:0 with HOME=/tmp', async () => {
    const { Config } = inspect(image);
    assert.deepEqual(Config.Entrypoint, ['node', '/app/step.mjs']);
    assert.ok(Config.Cmd == null || Config.Cmd.length === 0, `Cmd ${JSON.stringify(Config.Cmd)} would become arguments`);
    assert.equal(Config.User, '1001:0');
    assert.ok(Config.Env.includes('HOME=/tmp'), Config.Env.join(' '));
    const { code, results } = plain;
    assert.equal(code, 0);
    assert.match(results['node-version'] ?? '', /^v22\./);
    assert.equal(results.home, '/tmp');
  });

  it('holds only the bundle and its assets in /app, readable but not writable by the step', async () => {
    const script = "const fs=require('fs');const walk=(d,p='')=>fs.readdirSync(d,{withFileTypes:true}).flatMap(e=>e.isDirectory()?walk(d+'/'+e.name,p+e.name+'/'):[p+e.name]);console.log(JSON.stringify(walk('/app')));fs.accessSync('/app/step.mjs',fs.constants.R_OK)";
    const { code, stdout, stderr } = await runStepImage(image, { entrypoint: ['node', '-e', script] });
    assert.equal(code, 0, stderr);
    assert.deepEqual(JSON.parse(stdout), ['step.mjs', 'templates/greeting.txt']);
  });

  it('shares every layer of the base image and adds only the step files', () => {
    const base = inspect(IMAGES.node).RootFS.Layers;
    const layers = inspect(image).RootFS.Layers;
    assert.deepEqual(layers.slice(0, base.length), base);
    assert.equal(layers.length - base.length, 2, 'the assets and the bundle, one layer each');
  });

  it('stops a run at its timeout and removes the container', async () => {
    const err: Error = await runStepImage(image, { entrypoint: ['node', '-e', 'setTimeout(() => {}, 120000)'], timeoutMs: 2000 }).then(
      () => assert.fail('the run should have timed out'),
      (e: Error) => e,
    );
    assert.match(err.message, /did not finish within 2000 ms/);
    const name = /container (steg-test-[0-9a-f]+)/.exec(err.message)?.[1];
    assert.ok(name, err.message);
    assert.equal(execFileSync('docker', ['ps', '-aq', '--filter', `name=^/${name}$`], { encoding: 'utf8' }).trim(), '');
  });

  it('says so when the image does not exist, without trying to pull it', async () => {
    await assert.rejects(runStepImage('localhost/steg/no-such-image:test'), /could not start localhost\/steg\/no-such-image:test/);
  });

  it('names the missing package when asked to build a step that does not exist', async () => {
    await assert.rejects(buildStepImage('no-such-step'), /no step package no-such-step: packages\/no-such-step\/src\/cli\.ts does not exist/);
  });

  it('stops on SIGTERM as a cancelled TaskRun does, keeping the results already set', async () => {
    using ws = testdir();
    await using started = await startStepImage(image, {
      args: ['--message', 'hello', '--token-file', '/secrets/echo/token', '--out-dir', '/workspace/out', '--hold', '10m'],
      env: { STEG_WHO: 'Tekton' },
      secrets: { echo: { token: SECRET } },
      workspaces: { out: ws.path },
    });
    let logs = '';
    for (let i = 0; i < 300 && !logs.includes('holding'); i++) {
      logs = (await started.logs()).stderr;
      if (!logs.includes('holding')) await sleep(100);
    }
    assert.match(logs, /holding/);
    const stopped = await started.stop();
    assert.equal(stopped.code, 143, stopped.stderr);
    assert.match(stopped.stderr, /stopped by SIGTERM/);
    assert.equal(stopped.results.greeting, 'Hej, Tekton! hello');
    assert.ok(!stopped.stderr.includes(SECRET));
    assert.equal(execFileSync('docker', ['ps', '-aq', '--filter', `name=^/${started.name}$`], { encoding: 'utf8' }).trim(), '');
  });
});
