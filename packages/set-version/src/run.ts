import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, resolve } from 'node:path';
import type { StepContext } from '@steg/step-kit';
import { backoffDelay, BadInputError, sleep, StepError } from '@steg/step-kit';
import type { params, results } from './step.ts';
import type { Computed } from './compute.ts';
import { computeVersion } from './compute.ts';
import { gitEnv, registerUrlSecrets } from './credentials.ts';
import { Git, GitError, stripUserinfo } from './git.ts';
import { assertHeadOnRemote, NotOnRemoteError, pushAnnotatedTag, TagTakenError } from './release-tag.ts';
import { compilePattern, patternProblem } from './tag-pattern.ts';
import { repoInfo } from './repo-info.ts';
import type { RepoInfo } from './repo-info.ts';
import type { FileEdit } from './version-files.ts';
import { isRelease, sanitizeChannel } from './version-math.ts';
import { parseYamlPath, VersionFileError, YamlEditError } from './yaml-path.ts';

type Ctx = StepContext<typeof params, typeof results>;
type Params = Ctx['params'];

const bad = (name: string, value: unknown, expected: string): BadInputError =>
  new BadInputError(`param ${name} is ${JSON.stringify(value)}, expected ${expected}`);

/** Checks every param the mode uses, before any side effect; throws one error naming all problems. */
export function validate(p: Params): void {
  const problems: string[] = [];
  const check = (ok: boolean, name: string, value: unknown, expected: string): void => {
    if (!ok) problems.push(bad(name, value, expected).message);
  };
  for (const dirParam of ['basic-auth-dir', 'ssh-dir', 'git-token-dir'] as const) {
    const v = p[dirParam];
    if (v) check(existsSync(v) && statSync(v).isDirectory(), dirParam, v, 'an existing directory (a mounted workspace)');
  }
  if (p.mode === 'config-update') {
    check(/^(https?|ssh|file|git):\/\/\S+$|^[\w.-]+@[\w.-]+:\S+$|^\/\S+$/.test(p['config-url']), 'config-url', stripUserinfo(p['config-url']), 'a git URL (https://, ssh://, git@host:path, file:// or an absolute path)');
    check(p['config-file'] !== '' && !isAbsolute(p['config-file']) && !normalize(p['config-file']).startsWith('..'), 'config-file', p['config-file'], 'a path inside the config repository, e.g. apps/step-counter/overlays/test/kustomization.yaml');
    check(/^[\w./-]+$/.test(p['config-branch']) && !p['config-branch'].includes('..'), 'config-branch', p['config-branch'], 'a branch name');
    if (p['config-format'] === 'kustomize') check(p['config-image-name'] !== '', 'config-image-name', p['config-image-name'], 'the kustomize images[].name to set (config-format kustomize)');
    else {
      let ok = p['config-key-path'] !== '';
      try {
        if (ok) parseYamlPath(p['config-key-path']);
      } catch {
        ok = false;
      }
      check(ok, 'config-key-path', p['config-key-path'], 'a YAML path such as image.tag (config-format yaml)');
    }
    check(p['config-tag'] !== '' || p['config-digest'] !== '', 'config-tag', p['config-tag'], 'an image tag (or config-digest)');
    if (p['config-tag']) check(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(p['config-tag']), 'config-tag', p['config-tag'], 'an OCI image tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})');
    if (p['config-digest']) check(/^sha(256|512):[a-f0-9]{64,128}$/.test(p['config-digest']), 'config-digest', p['config-digest'], 'a digest such as sha256:<64 hex digits>');
    check(/^[\w.-]+$/.test(p.app), 'app', p.app, 'the application name (letters, digits, . _ -)');
    check(/^[\w.-]+$/.test(p.environment), 'environment', p.environment, 'the environment name, e.g. test, staging or prod');
    if (p['source-commit']) check(/^[0-9a-f]{7,64}$/.test(p['source-commit']), 'source-commit', p['source-commit'], 'a commit id (hex)');
  } else {
    const problem = patternProblem(p['tag-pattern'], p.name);
    if (problem) problems.push(bad('tag-pattern', p['tag-pattern'], problem).message);
    if (p.version) check(isRelease(p.version), 'version', p.version, 'a release version such as 1.4.0 (semver, no v prefix, no prerelease or build metadata)');
    check(isRelease(p['first-version']), 'first-version', p['first-version'], 'a release version such as 0.1.0 or 1.0.0');
    if (p['merge-request']) check(/^[1-9]\d{0,9}$/.test(p['merge-request']), 'merge-request', p['merge-request'], 'a merge request IID (a positive whole number)');
    if (p.branch && !p['merge-request'] && !p['release-branches'].includes(p.branch)) check(sanitizeChannel(p.branch) !== '', 'branch', p.branch, 'a branch name with at least one letter or digit');
    if (p['path-filter']) check(!isAbsolute(p['path-filter']) && !normalize(p['path-filter']).startsWith('..'), 'path-filter', p['path-filter'], 'a path inside the repository');
    for (const spec of p['yaml-paths']) {
      const colon = spec.indexOf(':');
      let ok = colon > 0 && colon < spec.length - 1;
      try {
        if (ok) parseYamlPath(spec.slice(colon + 1));
      } catch {
        ok = false;
      }
      check(ok, 'yaml-paths', spec, 'FILE:PATH, e.g. deploy/values.yaml:image.tag');
    }
  }
  if (problems.length) throw new BadInputError(problems.join('\n'));
}

/** The prerelease channel for this pipeline, or '' for a release. */
export function channelFor(p: Pick<Params, 'merge-request' | 'branch' | 'release-branches'>): string {
  if (p['merge-request']) return `mr.${p['merge-request']}`;
  if (p.branch && !p['release-branches'].includes(p.branch.replace(/^refs\/heads\//, ''))) return sanitizeChannel(p.branch);
  return '';
}

/** The step's work for every mode. */
export async function runSetVersion(ctx: Ctx): Promise<number> {
  const p = ctx.params;
  validate(p);
  let token = p['git-token'];
  const tokenFile = p['git-token-dir'] ? join(p['git-token-dir'], 'token') : '';
  if (!token && tokenFile && existsSync(tokenFile)) {
    token = readFileSync(tokenFile, 'utf8').replace(/\r?\n$/, '');
    ctx.redactor.add(token);
  }
  let tokenUser = p['git-token-user'];
  let configUrl = p['config-url'];
  // Credentials written into a URL are moved out of it, so they never reach git's argv or a log.
  const inUrl = /^([a-z][a-z0-9+.-]*:\/\/)([^/@\s]+)@/i.exec(configUrl);
  if (inUrl) {
    registerUrlSecrets(configUrl, ctx.redactor);
    const [user, pass] = (inUrl[2] as string).split(':') as [string, string | undefined];
    if (pass) {
      token ??= decodeURIComponent(pass);
      tokenUser = decodeURIComponent(user);
    }
    configUrl = configUrl.replace(inUrl[0], inUrl[1] as string);
  }
  const env = gitEnv(
    ctx.env,
    {
      basicAuthDir: p['basic-auth-dir'] || undefined,
      sshDir: p['ssh-dir'] || undefined,
      token,
      tokenUser,
      userName: p['git-user-name'],
      userEmail: p['git-user-email'],
    },
    ctx.redactor,
  );
  const git = new Git(resolve(ctx.cwd, p.dir), { env, redactor: ctx.redactor, log: undefined, signal: ctx.signal, timeoutMs: 5 * 60_000 });
  try {
    if (p.mode === 'config-update') return await configUpdate(ctx, git, configUrl);
    return await versionModes(ctx, git);
  } catch (err) {
    if (err instanceof GitError) throw new StepError(err.message, 4);
    if (err instanceof NotOnRemoteError) throw new StepError(err.message, 6);
    if (err instanceof VersionFileError || err instanceof YamlEditError) throw new BadInputError(`param files/yaml-paths: ${err.message}; nothing was written, tagged or pushed`);
    throw err;
  }
}

async function versionModes(ctx: Ctx, git: Git): Promise<number> {
  const p = ctx.params;
  const dir = git.cwd;
  const info = await repoInfo(git);
  if ('problem' in info) {
    throw bad('dir', dir, info.problem === 'not-a-repo' ? 'a git working tree (the cloned source repository)' : 'a git repository with at least one commit');
  }
  const apply = p.mode === 'apply';
  const pattern = compilePattern(p['tag-pattern'], p.name);
  const channel = channelFor(p);
  const wanted = new Set<string>();
  if (apply) {
    for (const f of p.files) wanted.add(f);
    for (const f of p.files) if (f.endsWith('package.json')) wanted.add(f.replace(/package\.json$/, 'package-lock.json'));
    for (const s of p['yaml-paths']) wanted.add(s.slice(0, s.indexOf(':')));
    if (!p['dry-run']) await assertClean(git, info.toplevel, wanted);
  }
  const hasRemote = info.remotes.has(p.remote);
  for (let attempt = 1; ; attempt++) {
    const c = await computeVersion(git, attempt === 1 ? info : await refreshed(git, info), {
      remote: p.remote,
      pattern,
      pathFilter: p['path-filter'] || undefined,
      bump: p.bump,
      version: p.version || undefined,
      firstVersion: p['first-version'],
      breakingBelow1: p['breaking-below-1'],
      force: p.force,
      channel,
      useRemote: true,
      log: ctx.log,
    });
    for (const line of c.fetched) ctx.log.info(line);
    let edits: FileEdit[] = [];
    // Loaded only when needed: the YAML library is not part of a plain compute.
    if (apply) edits = (await import('./version-files.ts')).planVersionEdits(dir, p.files, p['yaml-paths'], c.version);
    const summary = `${c.version} (${c.bump === 'initial' ? 'first release' : `bump ${c.bump}`}${c.previousTag ? ` from ${c.previousTag}` : ''}, ${c.commitsSince} commit(s) since)`;
    if (!apply || p['dry-run']) {
      ctx.log.info(`${p['dry-run'] ? 'dry run: ' : ''}version ${summary}${c.released ? '' : ' — not a release'}`);
      for (const e of edits) ctx.log.info(`dry run: would write ${relative(dir, e.file)}`);
      if (apply && c.released && !c.alreadyTagged && p.tag) ctx.log.info(`dry run: would create and push tag ${c.tag} on ${c.commitSha.slice(0, 12)}`);
      setResults(ctx, c);
      return 0;
    }
    if (c.released && !c.alreadyTagged && p.tag) {
      if (hasRemote) {
        const branch = await assertHeadOnRemote(git, p.remote, c.commitSha, p['release-branches']);
        try {
          await pushAnnotatedTag(git, { remote: p.remote, tag: c.tag, commit: c.commitSha, message: `Release ${c.version}`, tagger: `${p['git-user-name']} <${p['git-user-email']}>` });
          ctx.log.info(`pushed tag ${c.tag} on ${c.commitSha.slice(0, 12)} (${branch})`);
        } catch (err) {
          if (!(err instanceof TagTakenError)) throw err;
          if (attempt >= p['max-attempts']) {
            throw new StepError(`tag ${c.tag} was taken by another pipeline and ${attempt} attempt(s) are used up; nothing was written or tagged`, 5);
          }
          const delay = backoffDelay(attempt - 1, { minDelayMs: 200, maxDelayMs: 3000 });
          ctx.log.info(`tag ${c.tag} was pushed by another pipeline first; recomputing in ${delay} ms`, { attempt });
          await sleep(delay, ctx.signal);
          continue;
        }
      } else {
        await git.run(['tag', '-a', '-m', `Release ${c.version}`, c.tag, c.commitSha]);
        ctx.log.info(`created local tag ${c.tag} (the repository has no remote ${p.remote}; nothing pushed)`);
      }
    } else if (c.alreadyTagged) {
      ctx.log.info(`HEAD already carries ${c.tag}; nothing to tag`);
    }
    for (const e of edits) {
      writeFileSync(e.file, e.after);
      ctx.log.info(`wrote ${c.version} into ${relative(dir, e.file)}`);
    }
    ctx.log.info(`version ${summary}${c.released ? '' : ' — not a release'}`);
    setResults(ctx, c);
    return 0;
  }
}

function setResults(ctx: Ctx, c: Computed): void {
  ctx.setResult('version', c.version);
  ctx.setResult('previous-version', c.previousVersion);
  ctx.setResult('tag', c.tag);
  ctx.setResult('image-tag', c.imageTag);
  ctx.setResult('build-version', c.buildVersion);
  ctx.setResult('released', c.released);
  ctx.setResult('bump', c.bump);
  ctx.setResult('commit-sha', c.commitSha);
  // Every declared result is written in every mode, so a Pipeline referencing one never fails on a missing file.
  ctx.setResult('config-commit-sha', '');
}

/** Repository facts again after a lost race (fetches may have deepened the clone). */
async function refreshed(git: Git, before: RepoInfo): Promise<RepoInfo> {
  const info = await repoInfo(git);
  return 'problem' in info ? before : info;
}

async function assertClean(git: Git, top: string, allowed: Set<string>): Promise<void> {
  const status = await git.run(['status', '--porcelain', '--untracked-files=no']);
  const prefix = relative(top, git.cwd);
  const dirty = status
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(3))
    // Files this step writes may be dirty from an earlier attempt (Tekton retries reuse the workspace).
    .filter((f) => ![...allowed].some((a) => normalize(prefix ? `${prefix}/${a}` : a) === f));
  if (dirty.length) {
    throw new BadInputError(
      `param dir (${git.cwd}) has uncommitted changes in ${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ' ...' : ''}; expected a clean working tree so the tag names exactly what is built. Nothing was written, tagged or pushed`,
    );
  }
}

async function configUpdate(ctx: Ctx, git: Git, url: string): Promise<number> {
  const p = ctx.params;
  const version = p.version || p['config-tag'] || p['config-digest'];
  if (p['dry-run']) ctx.log.info('dry run: the config repository is cloned and edited in a scratch directory; nothing is committed or pushed');
  const { updateConfigRepo } = await import('./config-update.ts');
  const r = await updateConfigRepo(git, {
    url,
    branch: p['config-branch'],
    file: p['config-file'],
    format: p['config-format'],
    imageName: p['config-image-name'] || undefined,
    keyPath: p['config-key-path'] || undefined,
    tag: p['config-tag'] || undefined,
    digest: p['config-digest'] || undefined,
    app: p.app,
    environment: p.environment,
    version,
    sourceCommit: p['source-commit'] || undefined,
    maxAttempts: p['max-attempts'],
    dryRun: p['dry-run'],
    log: ctx.log,
    signal: ctx.signal,
  });
  ctx.setResult('config-commit-sha', r.commit);
  ctx.setResult('version', version);
  ctx.setResult('previous-version', '');
  ctx.setResult('tag', '');
  ctx.setResult('image-tag', p['config-tag']);
  ctx.setResult('build-version', '');
  ctx.setResult('released', false);
  ctx.setResult('bump', 'none');
  ctx.setResult('commit-sha', p['source-commit']);
  return 0;
}
