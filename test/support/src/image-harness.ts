// The image contract harness: builds a step image from the local Node 22 base and runs it the
// way Tekton runs a step on OpenShift (restricted-v2): an arbitrary UID in group 0, a read-only
// root filesystem, a results directory, workspaces and Secret volumes mounted, params through
// args and env. Results are read back from the files the step wrote.
import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { buildImage, bundleStep, detectEngine, readStepPackage, root, run } from '../../../images/build-images.mjs';
import { IMAGES } from './containers.ts';

/** What a step container run gives back. */
export interface StepImageRun {
  code: number;
  /** Result files the step wrote to /tekton/results, by name. */
  results: Record<string, string>;
  stdout: string;
  stderr: string;
}

/** How to run a step image; everything but the image is optional. */
export interface RunStepImageOptions {
  /** Arguments after the entrypoint (params as --name value). */
  args?: string[];
  /** Environment variables (params as STEG_<NAME>); passed without showing values on a command line. */
  env?: Record<string, string>;
  /** Host directories mounted at /workspace/<name>, made writable for the arbitrary UID. */
  workspaces?: Record<string, string>;
  /** Secret volumes: name to files (file name to content), mounted read-only at /secrets/<name>/<file>. */
  secrets?: Record<string, Record<string, string>>;
  /** Container network (default host, so loopback services on this machine are reachable). */
  network?: string;
  /** The UID to run as, always with group 0 (default: random from 100000 to 2000000000, as OpenShift assigns). */
  uid?: number;
  /** The run is stopped and the call rejects after this long (default 180 s). */
  timeoutMs?: number;
  /** Replaces the image's entrypoint (e.g. ['node', '-e', '...'] to probe the image). */
  entrypoint?: string[];
}

const builds = new Map<string, Promise<string>>();

/** The container engine that runs test containers (docker here; podman works too). */
function engine(): string {
  const e = detectEngine();
  if (e === 'buildah') throw new Error('the image harness needs docker or podman to run containers (buildah only builds)');
  return e;
}

/** Builds localhost/steg/<name>:test from packages/<name> on the local base localhost/steg/node:22; once per process. */
export function buildStepImage(name: string, o: { target?: string } = {}): Promise<string> {
  if (!existsSync(join(root, 'packages', name, 'src', 'cli.ts'))) {
    return Promise.reject(new Error(`no step package ${name}: packages/${name}/src/cli.ts does not exist`));
  }
  return buildPackageImage(join(root, 'packages', name), { ...o, name });
}

/**
 * Builds a step package found anywhere (e.g. a test fixture directory with package.json and
 * src/cli.ts) as localhost/steg/<name>:test; once per process for the same dir and target.
 */
export function buildFixtureImage(packageDir: string, o: { name?: string; target?: string; tag?: string } = {}): Promise<string> {
  return buildPackageImage(resolve(packageDir), o);
}

function buildPackageImage(packageDir: string, o: { name?: string; target?: string; tag?: string }): Promise<string> {
  const name = o.name ?? basename(packageDir);
  const tag = o.tag ?? `localhost/steg/${name}:test`;
  const key = `${packageDir}\n${o.target ?? ''}\n${tag}`;
  let p = builds.get(key);
  if (!p) {
    p = (async () => {
      const pkg = readStepPackage(packageDir);
      // A private dist dir per build: test processes run in parallel and must not share files.
      const distDir = mkdtempSync(join(tmpdir(), `steg-image-dist-${name}-`));
      try {
        const bundled = await bundleStep({ name, packageDir, distDir });
        return await buildImage({
          name,
          ...bundled,
          tag,
          target: o.target ?? pkg.target,
          baseImage: process.env.STEG_TEST_BASE_IMAGE ?? IMAGES.node,
          version: pkg.version,
          engine: engine(),
        });
      } finally {
        rmSync(distDir, { recursive: true, force: true });
      }
    })();
    // A failed build is not cached: the next test gets the real error again, not a stale one.
    p.catch(() => builds.delete(key));
    builds.set(key, p);
  }
  return p;
}

/** The image's labels (OCI and others). */
export async function imageLabels(image: string): Promise<Record<string, string>> {
  const out = await run(engine(), ['image', 'inspect', '--format', '{{json .Config.Labels}}', image]);
  return (JSON.parse(out.trim()) as Record<string, string> | null) ?? {};
}

/** Lets any UID in group 0 write below dir, as OpenShift's group-0 convention for volumes. */
function makeGroupWritable(dir: string): void {
  const isRoot = process.getuid?.() === 0;
  const walk = (p: string): void => {
    const st = statSync(p);
    if (isRoot) chownSync(p, st.uid, 0);
    // Without root the group cannot be set to 0, so everyone gets access instead.
    const add = (isRoot ? 0o070 : 0o077) & (st.isDirectory() ? 0o777 : 0o666);
    chmodSync(p, (st.mode & 0o7777) | add);
    if (st.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
  };
  walk(dir);
}

/** The container to create: everything but how it is run (attached or detached). */
interface PreparedRun {
  eng: string;
  name: string;
  temp: string;
  resultsDir: string;
  /** `run` options, the image, and its arguments. */
  args: string[];
  /** The engine client's env, carrying the values of the `-e NAME` options. */
  childEnv: NodeJS.ProcessEnv;
}

/** Creates the temp dirs (results, secrets) and the engine arguments for one Tekton-like run. */
function prepareRun(image: string, o: RunStepImageOptions, temp: string): PreparedRun {
  const eng = engine();
  const uid = o.uid ?? randomInt(100_000, 2_000_000_000);
  const name = `steg-test-${randomBytes(6).toString('hex')}`;
  const resultsDir = join(temp, 'results');
  mkdirSync(resultsDir);
  // Tekton's results dir is an emptyDir every container may write to.
  chmodSync(temp, 0o755);
  chmodSync(resultsDir, 0o777);

  // Test images are local: a missing one must fail at once, not turn into a pull attempt.
  const args = ['--name', name, '--pull', 'never'];
  args.push('--user', `${uid}:0`, '--read-only', '--tmpfs', '/tmp:rw,exec,mode=1777');
  args.push('--cap-drop', 'ALL', '--security-opt', 'no-new-privileges');
  args.push('--network', o.network ?? 'host');
  args.push('-v', `${resultsDir}:/tekton/results`);
  for (const [ws, dir] of Object.entries(o.workspaces ?? {})) {
    const host = resolve(dir);
    makeGroupWritable(host);
    args.push('-v', `${host}:/workspace/${ws}`);
  }
  for (const [secret, files] of Object.entries(o.secrets ?? {})) {
    const dir = join(temp, 'secrets', secret);
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    chmodSync(join(temp, 'secrets'), 0o755);
    chmodSync(dir, 0o755);
    // Secret volume files are 0644 by default, readable by whatever UID the pod gets.
    for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content, { mode: 0o644 });
    args.push('-v', `${dir}:/secrets/${secret}:ro`);
  }
  // Only the names go on the command line; the engine client takes the values from its own env.
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(o.env ?? {})) {
    args.push('-e', k);
    childEnv[k] = v;
  }
  const [entry, ...entryArgs] = o.entrypoint ?? [];
  if (entry != null) args.push('--entrypoint', entry);
  args.push(image, ...entryArgs, ...(o.args ?? []));
  return { eng, name, temp, resultsDir, args, childEnv };
}

/** Rejects when the engine itself failed (125-127 with its own error line): the step never ran. */
function checkStarted(p: PreparedRun, image: string, code: number, stderr: string): void {
  if (code >= 125 && code <= 127 && /^(docker: |Error: |Error response from daemon)/m.test(stderr) && !readdirSync(p.resultsDir).length) {
    throw new Error(`${p.eng} could not start ${image}: ${stderr.trim()}`);
  }
}

/** The result files the step wrote, by name. */
function readResults(dir: string): Record<string, string> {
  const results: Record<string, string> = {};
  for (const f of readdirSync(dir)) results[f] = readFileSync(join(dir, f), 'utf8');
  return results;
}

/** Removes the container (--rm does not cover a killed client or a detached run) and the temp dirs. */
async function cleanUp(eng: string, name: string, temp: string): Promise<void> {
  await run(eng, ['rm', '-f', '-v', name]).catch(() => undefined);
  rmSync(temp, { recursive: true, force: true });
}

/** Runs a step image as Tekton would; always removes the container and its temp dirs. */
export async function runStepImage(image: string, o: RunStepImageOptions = {}): Promise<StepImageRun> {
  const eng = engine();
  const temp = mkdtempSync(join(tmpdir(), 'steg-image-run-'));
  let name = '';
  try {
    const p = prepareRun(image, o, temp);
    name = p.name;
    const timeoutMs = o.timeoutMs ?? 180_000;
    const { code, stdout, stderr, timedOut } = await new Promise<{ code: number; stdout: string; stderr: string; timedOut: boolean }>((res, rej) => {
      const child = spawn(eng, ['run', '--rm', ...p.args], { env: p.childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', (e) => {
        clearTimeout(timer);
        rej(new Error(`cannot run ${eng}: ${e.message}`));
      });
      child.on('close', (c) => {
        clearTimeout(timer);
        res({ code: c ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timedOut });
      });
    });
    if (timedOut) {
      throw new Error(`${image} (container ${name}) did not finish within ${timeoutMs} ms; last output:\n${stderr.split('\n').slice(-10).join('\n')}`);
    }
    checkStarted(p, image, code, stderr);
    return { code, results: readResults(p.resultsDir), stdout, stderr };
  } finally {
    if (name) await run(eng, ['rm', '-f', '-v', name]).catch(() => undefined);
    rmSync(temp, { recursive: true, force: true });
  }
}

/** A step container started in the background (a server, or a run to stop with SIGTERM). */
export interface StartedStepImage {
  /** The container's name, for `docker logs`/`exec` and `--network container:<name>`. */
  name: string;
  /** Output so far. */
  logs(): Promise<{ stdout: string; stderr: string }>;
  /** Waits for the step to end by itself (default up to 180 s), then reads results and removes it. */
  wait(o?: { timeoutMs?: number }): Promise<StepImageRun>;
  /** Sends SIGTERM (SIGKILL after graceSeconds, default 10), then reads results and removes it. */
  stop(o?: { graceSeconds?: number }): Promise<StepImageRun>;
  /** Removes the container and its temp dirs if wait/stop did not; for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts a step image in the background with the same Tekton-like setup as runStepImage. */
export async function startStepImage(image: string, o: RunStepImageOptions = {}): Promise<StartedStepImage> {
  const temp = mkdtempSync(join(tmpdir(), 'steg-image-run-'));
  let p: PreparedRun;
  try {
    p = prepareRun(image, o, temp);
  } catch (err) {
    rmSync(temp, { recursive: true, force: true });
    throw err;
  }
  const { eng, name } = p;
  let done = false;
  const started = await new Promise<{ code: number; stderr: string }>((res) => {
    const child = spawn(eng, ['run', '-d', ...p.args], { env: p.childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', (e) => res({ code: 127, stderr: `Error: cannot run ${eng}: ${e.message}` }));
    child.on('close', (c) => res({ code: c ?? 1, stderr }));
  });
  if (started.code !== 0) {
    await cleanUp(eng, name, temp);
    throw new Error(`${eng} could not start ${image}: ${started.stderr.trim()}`);
  }
  const logs = async (): Promise<{ stdout: string; stderr: string }> => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    await new Promise<void>((res) => {
      const child = spawn(eng, ['logs', name], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('close', () => res());
      child.on('error', () => res());
    });
    return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
  };
  const finish = async (): Promise<StepImageRun> => {
    try {
      const code = Number((await run(eng, ['inspect', '--format', '{{.State.ExitCode}}', name])).trim());
      const { stdout, stderr } = await logs();
      return { code, results: readResults(p.resultsDir), stdout, stderr };
    } finally {
      done = true;
      await cleanUp(eng, name, temp);
    }
  };
  return {
    name,
    logs,
    async wait({ timeoutMs = 180_000 } = {}) {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        void run(eng, ['kill', name]).catch(() => undefined);
      }, timeoutMs);
      try {
        await run(eng, ['wait', name]);
      } finally {
        clearTimeout(timer);
      }
      const r = await finish();
      if (timedOut) throw new Error(`${image} (container ${name}) did not finish within ${timeoutMs} ms; last output:\n${r.stderr.split('\n').slice(-10).join('\n')}`);
      return r;
    },
    async stop({ graceSeconds = 10 } = {}) {
      await run(eng, ['stop', '-t', String(graceSeconds), name]);
      return finish();
    },
    async [Symbol.asyncDispose]() {
      if (!done) await cleanUp(eng, name, temp);
      done = true;
    },
  };
}
