// Demo stage: set-version on a scratch repository, as the release pipeline runs it. A small app
// repository with a release tag and a few Conventional Commits is pushed to a local bare remote
// and cloned the way Tekton's git-clone does (depth 1, no tags). The bundle computes the next
// version (fetching only tag names and a little history), applies it (package.json, annotated
// tag pushed to the bare remote), then writes the image tag into the test overlay of a scratch
// copy of packages/set-version/examples/config-repo, which Argo CD would sync.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoContext, DemoStage } from '../types.ts';

const IDENTITY = { GIT_AUTHOR_NAME: 'Demo Dev', GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: 'Demo Dev', GIT_COMMITTER_EMAIL: 'dev@example.com' };

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...IDENTITY } }).trim();
}

/** The set-version stage: compute, apply with a tag, and the GitOps write-back. */
export const stage: DemoStage = {
  title: 'set-version: next version from a depth-1 clone, tag pushed, image tag written to the config repository',
  phase: 'app',
  order: 10,
  async run(ctx: DemoContext): Promise<void> {
    const dir = join(ctx.workDir, 'set-version');
    const work = join(dir, 'step-counter');
    mkdirSync(work, { recursive: true });
    git(work, ['init', '-q', '-b', 'main']);
    const commit = (msg: string, file: string, content: string, tag?: string): void => {
      writeFileSync(join(work, file), content);
      git(work, ['add', file]);
      git(work, ['commit', '-q', '-m', msg]);
      if (tag) git(work, ['tag', '-a', '-m', `release ${tag}`, tag]);
    };
    commit('feat: count steps per day', 'package.json', '{\n  "name": "step-counter",\n  "version": "0.0.0"\n}\n', 'v1.3.0');
    commit('feat: weekly view', 'weekly.txt', 'weekly\n');
    commit('fix: round the leaderboard', 'leaderboard.txt', 'rounded\n');
    commit('docs: explain the leaderboard', 'README.md', '# step-counter\n');
    const remote = join(dir, 'step-counter.git');
    git(dir, ['clone', '-q', '--bare', work, remote]);
    const ci = join(dir, 'ci-workspace');
    git(dir, ['clone', '-q', '--depth=1', '--no-tags', `file://${remote}`, ci]);
    ctx.log(`set-version: app repository with tag v1.3.0 and 3 commits since (feat, fix, docs); CI clone at depth 1 without tags`);

    const dry = await ctx.runStep('set-version', ['--dir', ci, '--mode', 'apply', '--files', 'package.json', '--dry-run']);
    if (dry.code !== 0) throw new Error(`set-version --dry-run exited with ${dry.code}`);
    ctx.log(`set-version: dry run says ${dry.results.version} (bump ${dry.results.bump} from ${dry.results['previous-version']}); nothing written or pushed`);

    const mr = await ctx.runStep('set-version', ['--dir', ci, '--merge-request', '42']);
    if (mr.code !== 0) throw new Error(`set-version (merge request) exited with ${mr.code}`);
    ctx.log(`set-version: a merge-request pipeline would get ${mr.results.version} (image tag ${mr.results['image-tag']})`);

    const applied = await ctx.runStep('set-version', ['--dir', ci, '--mode', 'apply', '--files', 'package.json']);
    if (applied.code !== 0) throw new Error(`set-version apply exited with ${applied.code}`);
    const tagged = git(remote, ['for-each-ref', '--format=%(refname:strip=2) %(objecttype)', `refs/tags/${applied.results.tag}`]);
    ctx.log(`set-version: released ${applied.results.version}; the remote now has ${tagged}; package.json says ${JSON.parse(readFileSync(join(ci, 'package.json'), 'utf8')).version}`);

    // The config repository: a scratch copy of the example layout, as a bare remote.
    const configWork = join(dir, 'config');
    cpSync(join(ctx.root, 'packages', 'set-version', 'examples', 'config-repo'), configWork, { recursive: true });
    git(configWork, ['init', '-q', '-b', 'main']);
    git(configWork, ['add', '-A']);
    git(configWork, ['commit', '-q', '-m', 'config repository']);
    const configRemote = join(dir, 'config.git');
    git(dir, ['clone', '-q', '--bare', configWork, configRemote]);
    const overlay = 'apps/step-counter/overlays/test/kustomization.yaml';
    const update = await ctx.runStep('set-version', [
      '--mode', 'config-update', '--config-url', `file://${configRemote}`, '--config-file', overlay,
      '--config-image-name', 'nexus.example.com/steg/step-counter', '--config-tag', applied.results['image-tag'] as string,
      '--version', applied.results.version as string, '--app', 'step-counter', '--environment', 'test', '--source-commit', applied.results['commit-sha'] as string,
    ]);
    if (update.code !== 0) throw new Error(`set-version config-update exited with ${update.code}`);
    const line = git(configRemote, ['show', `main:${overlay}`]).split('\n').find((l) => l.includes('newTag')) ?? '';
    ctx.log(`set-version: config repository ${update.results['config-commit-sha']?.slice(0, 12)} "${git(configRemote, ['log', '-1', '--format=%s', 'main'])}": ${line.trim()} (Argo CD syncs test automatically)`);
  },
};
