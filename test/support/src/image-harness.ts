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
      const distDir = mkdtempSync(join(tmpdir(), `steg-dist-${name}-`));
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

/** Runs a step image as Tekton would; always removes the container and its temp dirs. */
export async function runStepImage(image: string, o: RunStepImageOptions = {}): Promise<StepImageRun> {
  const eng = engine();
  const uid = o.uid ?? randomInt(100_000, 2_000_000_000);
  const name = `steg-test-${randomBytes(6).toString('hex')}`;
  const temp = mkdtempSync(join(tmpdir(), 'steg-run-'));
  try {
    const resultsDir = join(temp, 'results');
    mkdirSync(resultsDir);
    // Tekton's results dir is an emptyDir every container may write to.
    chmodSync(temp, 0o755);
    chmodSync(resultsDir, 0o777);

    // Test images are local: a missing one must fail at once, not turn into a pull attempt.
    const args = ['run', '--name', name, '--rm', '--pull', 'never'];
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

    const timeoutMs = o.timeoutMs ?? 180_000;
    const { code, stdout, stderr, timedOut } = await new Promise<{ code: number; stdout: string; stderr: string; timedOut: boolean }>((res, rej) => {
      const child = spawn(eng, args, { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
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
    // 125-127 with the engine's own error line: the container never ran the step (bad option,
    // missing image, entrypoint not found, a runtime refusal), so there is no exit code to report.
    if (code >= 125 && code <= 127 && /^(docker: |Error: |Error response from daemon)/m.test(stderr) && !readdirSync(resultsDir).length) {
      throw new Error(`${eng} could not start ${image}: ${stderr.trim()}`);
    }
    const results: Record<string, string> = {};
    for (const f of readdirSync(resultsDir)) results[f] = readFileSync(join(resultsDir, f), 'utf8');
    return { code, results, stdout, stderr };
  } finally {
    // --rm does not cover a killed client; removing by name covers timeouts and failures too.
    await run(eng, ['rm', '-f', '-v', name]).catch(() => undefined);
    rmSync(temp, { recursive: true, force: true });
  }
}
