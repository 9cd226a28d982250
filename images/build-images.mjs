#!/usr/bin/env node
// Builds (and pushes) the step images from the one pattern in images/Containerfile.
//   npm run images -- [names...] [--registry HOST] [--push] [--base-image IMG] [--tag T]
//                     [--packages DIR] [--out DIR] [--source URL]
// Each step package (packages/<name>/src/cli.ts) is bundled to dist/<name>.mjs; when
// packages/<name>/scripts/image-assets.mjs exists it fills dist/<name>.assets/. The image is
// tagged <registry>/steg/<name>:<version>; STEG_REGISTRY is the one variable a Nexus user sets.
// Exit codes: 0 done, 1 a build or push failed, 2 bad arguments (an unknown step name...).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundleOptions } from '../scripts/build.mjs';

/** The repository root. */
export const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
/** The Containerfile every step image is built from. */
export const containerfile = join(root, 'images', 'Containerfile');
/** The production base (also the Containerfile's default); tests use localhost/steg/node:22. */
export const DEFAULT_BASE_IMAGE = 'registry.access.redhat.com/ubi9/nodejs-22-minimal:9.8-1787020445';
/** The stages a step may ask for in package.json "steg": { "imageTarget": ... }. */
export const TARGETS = ['node', 'git', 'chromium'];

/** Bad arguments: the CLI exits 2. */
export class UsageError extends Error {}

/** Step packages (those with src/cli.ts) below a packages directory, sorted. */
export function findSteps(packagesDir = join(root, 'packages')) {
  if (!existsSync(packagesDir)) return [];
  return readdirSync(packagesDir)
    .filter((name) => existsSync(join(packagesDir, name, 'src', 'cli.ts')))
    .sort();
}

/** Reads what the image needs from a step package's package.json: version and target stage. */
export function readStepPackage(packageDir) {
  const file = join(packageDir, 'package.json');
  if (!existsSync(file)) throw new UsageError(`${file} is missing: a step package needs a package.json with a version`);
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  const target = pkg.steg?.imageTarget ?? 'node';
  if (!TARGETS.includes(target)) {
    throw new UsageError(`${file}: "steg.imageTarget" is ${JSON.stringify(target)}, expected one of ${TARGETS.join(', ')}`);
  }
  if (typeof pkg.version !== 'string' || pkg.version === '') throw new UsageError(`${file} has no "version"`);
  return { version: pkg.version, target, description: pkg.description ?? '' };
}

/** The container engine to use: STEG_CONTAINER_ENGINE, else docker, else podman, else buildah. */
export function detectEngine(env = process.env) {
  const wanted = env.STEG_CONTAINER_ENGINE;
  const candidates = wanted ? [wanted] : ['docker', 'podman', 'buildah'];
  for (const c of candidates) {
    if (spawnSync(c, ['--version'], { stdio: 'ignore' }).status === 0) return c;
  }
  throw new Error(
    wanted
      ? `STEG_CONTAINER_ENGINE=${wanted} but "${wanted} --version" does not run`
      : 'no container engine: install docker, podman or buildah (npm test provisions docker)',
  );
}

/** The git revision of the working tree, or "unknown" outside a repository. */
export function gitRevision(cwd = root) {
  const r = spawnSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'unknown';
}

/**
 * The time stamped on every file copied into an image, so the same bundle gives the same layer:
 * SOURCE_DATE_EPOCH when set, else the last commit's time, else 0.
 */
export function sourceDateEpoch(env = process.env, cwd = root) {
  if (env.SOURCE_DATE_EPOCH && /^\d+$/.test(env.SOURCE_DATE_EPOCH)) return Number(env.SOURCE_DATE_EPOCH);
  const r = spawnSync('git', ['log', '-1', '--format=%ct'], { cwd, encoding: 'utf8' });
  return r.status === 0 && /^\d+$/.test(r.stdout.trim()) ? Number(r.stdout.trim()) : 0;
}

/** The source URL for the OCI label: STEG_SOURCE_URL, the root package.json repository, the git remote. */
export function sourceUrl(env = process.env, cwd = root) {
  if (env.STEG_SOURCE_URL) return env.STEG_SOURCE_URL;
  try {
    const repo = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')).repository;
    const url = typeof repo === 'string' ? repo : repo?.url;
    if (url) return url.replace(/^git\+/, '');
  } catch {
    // no root package.json: fall through to git
  }
  const r = spawnSync('git', ['remote', 'get-url', 'origin'], { cwd, encoding: 'utf8' });
  // A remote URL may carry credentials (https://user:token@host/...); never put them in a label.
  if (r.status === 0 && r.stdout.trim()) return r.stdout.trim().replace(/\/\/[^/@]+@/, '//');
  return 'unknown';
}

/** Runs a command and resolves with its stdout; rejects with the tail of all its output when it fails. */
export function run(cmd, args, o = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: o.cwd ?? root, env: o.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let all = '';
    child.stdout.on('data', (b) => {
      out += b;
      all += b;
    });
    child.stderr.on('data', (b) => (all += b));
    child.on('error', (e) => reject(new Error(`cannot run ${cmd}: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolvePromise(out);
      else reject(new Error(`${cmd} ${args.slice(0, 2).join(' ')} exited with ${code}:\n${all.trim().split('\n').slice(-30).join('\n')}`));
    });
  });
}

/** Sets every file's times below dir (and dir itself) to epoch seconds, without following links. */
function stampTimes(dir, epoch) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (lstatSync(p).isDirectory()) stampTimes(p, epoch);
    if (!lstatSync(p).isSymbolicLink()) utimesSync(p, epoch, epoch);
  }
  utimesSync(dir, epoch, epoch);
}

/**
 * Bundles a step package into distDir/<name>.mjs and fills distDir/<name>.assets/ (emptied first;
 * the package's scripts/image-assets.mjs, when present, is run as `node SCRIPT ASSETS_DIR`
 * with STEG_ASSETS_DIR and STEG_STEP set and the repository root as its working directory).
 */
export async function bundleStep({ name, packageDir, distDir }) {
  const entry = join(packageDir, 'src', 'cli.ts');
  if (!existsSync(entry)) throw new UsageError(`${entry} is missing: a step package has src/cli.ts`);
  const outfile = join(distDir, `${name}.mjs`);
  const assetsDir = join(distDir, `${name}.assets`);
  await build(bundleOptions(entry, outfile));
  rmSync(assetsDir, { recursive: true, force: true });
  mkdirSync(assetsDir, { recursive: true });
  const script = join(packageDir, 'scripts', 'image-assets.mjs');
  if (existsSync(script)) {
    await run(process.execPath, [script, assetsDir], { env: { ...process.env, STEG_ASSETS_DIR: assetsDir, STEG_STEP: name } });
  }
  return { bundle: outfile, assetsDir };
}

/**
 * Writes the build context for one step: dist/<name>.mjs and dist/<name>.assets/, readable by
 * anyone (the image runs as an arbitrary UID) and stamped with one fixed time, so the same
 * files give the same image layers. Returns the context dir; the caller removes it.
 */
export function prepareContext({ name, bundle, assetsDir, epoch = sourceDateEpoch() }) {
  const ctx = mkdtempSync(join(tmpdir(), 'steg-image-'));
  mkdirSync(join(ctx, 'dist', `${name}.assets`), { recursive: true });
  cpSync(bundle, join(ctx, 'dist', `${name}.mjs`));
  if (assetsDir && existsSync(assetsDir)) cpSync(assetsDir, join(ctx, 'dist', `${name}.assets`), { recursive: true });
  spawnSync('chmod', ['-R', 'a+rX', ctx]);
  stampTimes(ctx, epoch);
  return ctx;
}

/**
 * Builds one step image from a bundle and its assets, from a small build context (never the
 * repository, which holds node_modules).
 */
export async function buildImage({ name, bundle, assetsDir, tag, target = 'node', baseImage = DEFAULT_BASE_IMAGE, version, revision = gitRevision(), source = sourceUrl(), engine = detectEngine(), epoch = sourceDateEpoch() }) {
  if (!TARGETS.includes(target)) throw new UsageError(`image target ${JSON.stringify(target)} is not one of ${TARGETS.join(', ')}`);
  const ctx = prepareContext({ name, bundle, assetsDir, epoch });
  try {
    const buildArgs = { BASE_IMAGE: baseImage, STEP: name, VERSION: version, REVISION: revision, SOURCE: source };
    const args = [
      'build',
      ...(engine === 'buildah' ? ['--layers'] : []),
      // A failed RUN would otherwise leave its container behind (legacy builder, podman).
      ...(engine === 'buildah' ? [] : ['--force-rm']),
      '-f', containerfile,
      '--target', target,
      ...Object.entries(buildArgs).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
      '-t', tag,
      ctx,
    ];
    // The legacy builder is the only one here (no buildx); asking for it avoids BuildKit's error.
    const env = engine === 'docker' ? { ...process.env, DOCKER_BUILDKIT: process.env.DOCKER_BUILDKIT ?? '0' } : process.env;
    await run(engine, args, { env });
    return tag;
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
}

/** The image's size in bytes as the engine reports it. */
export async function imageSize(tag, engine = detectEngine()) {
  const out = engine === 'buildah'
    ? await run('buildah', ['inspect', '--type', 'image', '--format', '{{.Docker.Size}}', tag]).catch(() => '0')
    : await run(engine, ['image', 'inspect', '--format', '{{.Size}}', tag]);
  return Number(out.trim()) || 0;
}

/** Pushes a tag; podman and buildah are told not to insist on TLS for a loopback registry. */
export async function pushImage(tag, engine = detectEngine()) {
  const loopback = /^(localhost|127\.0\.0\.1)(:\d+)?\//.test(tag);
  const tls = engine !== 'docker' && loopback ? ['--tls-verify=false'] : [];
  await run(engine, ['push', ...tls, tag]);
}

/** Parses the CLI arguments; throws UsageError for anything it does not know. */
export function parseArgs(argv, env = process.env) {
  const o = { names: [], registry: env.STEG_REGISTRY || 'localhost', push: false, baseImage: DEFAULT_BASE_IMAGE, tag: undefined, packages: join(root, 'packages'), out: join(root, 'dist'), source: undefined };
  const valued = { '--registry': 'registry', '--base-image': 'baseImage', '--tag': 'tag', '--packages': 'packages', '--out': 'out', '--source': 'source' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    if (flag === '--push') o.push = true;
    else if (flag === '--help' || flag === '-h') o.help = true;
    else if (flag in valued) {
      const v = eq > 0 && a.startsWith('--') ? a.slice(eq + 1) : argv[++i];
      if (v == null || v === '' || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      o[valued[flag]] = v;
    } else if (a.startsWith('-')) throw new UsageError(`unknown option ${a} (see --help)`);
    else o.names.push(a);
  }
  o.registry = o.registry.replace(/\/+$/, '');
  if (!/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/i.test(o.registry)) throw new UsageError(`--registry ${JSON.stringify(o.registry)} is not a registry host (e.g. nexus.example.com:8443)`);
  if (o.push && o.registry === 'localhost') throw new UsageError('--push needs a registry: give --registry HOST or set STEG_REGISTRY');
  if (o.tag != null && !/^[\w][\w.-]{0,127}$/.test(o.tag)) throw new UsageError(`--tag ${JSON.stringify(o.tag)} is not a valid image tag`);
  o.packages = resolve(o.packages);
  o.out = resolve(o.out);
  return o;
}

const HELP = `Usage: npm run images -- [names...] [options]
Builds the step images (all step packages when no name is given).
  --registry HOST     registry for the tags (default localhost; env STEG_REGISTRY)
  --push              push the images after building them
  --base-image IMG    the Node 22 base (default ${DEFAULT_BASE_IMAGE})
  --tag T             tag instead of each package's version
  --packages DIR      where step packages live (default packages/)
  --out DIR           where bundles and assets go (default dist/)
  --source URL        org.opencontainers.image.source (default: package.json repository or git remote)
Env: STEG_REGISTRY, STEG_CONTAINER_ENGINE (docker|podman|buildah), SOURCE_DATE_EPOCH.
`;

async function main(argv) {
  const o = parseArgs(argv);
  if (o.help) {
    process.stdout.write(HELP);
    return;
  }
  const known = findSteps(o.packages);
  const unknown = o.names.filter((n) => !known.includes(n));
  if (unknown.length) {
    throw new UsageError(`unknown step ${unknown.join(', ')}; step packages in ${o.packages}: ${known.join(', ') || '(none)'}`);
  }
  const names = o.names.length ? [...new Set(o.names)] : known;
  if (names.length === 0) {
    console.log('images: no step programs yet');
    return;
  }
  const engine = detectEngine();
  const revision = gitRevision();
  const source = o.source ?? sourceUrl();
  const steps = names.map((name) => ({ name, packageDir: join(o.packages, name), ...readStepPackage(join(o.packages, name)) }));
  // Bundling is quick and parallel; image builds go one at a time (they share two cores).
  const bundles = await Promise.all(steps.map((s) => bundleStep({ name: s.name, packageDir: s.packageDir, distDir: o.out })));
  for (const [i, s] of steps.entries()) {
    const tag = `${o.registry}/steg/${s.name}:${o.tag ?? s.version}`;
    const t0 = Date.now();
    await buildImage({ name: s.name, ...bundles[i], tag, target: s.target, baseImage: o.baseImage, version: s.version, revision, source, engine });
    const mb = ((await imageSize(tag, engine)) / 1e6).toFixed(1);
    console.log(`${tag}  ${mb} MB  (${s.target}, ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    if (o.push) {
      await pushImage(tag, engine);
      console.log(`pushed ${tag}`);
    }
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(`images: ${err.message}`);
    process.exit(err instanceof UsageError ? 2 : 1);
  });
}
