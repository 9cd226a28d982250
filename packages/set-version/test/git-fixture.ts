import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runInProcess } from '@steg/test-support';
import { step } from '../src/step.ts';

/** A scratch area with a HOME of its own, so no personal git config leaks into the tests. */
export function scratch(): { path: string; home: string; env: NodeJS.ProcessEnv; [Symbol.dispose](): void } {
  const path = mkdtempSync(join(tmpdir(), 'steg-sv-'));
  const home = join(path, 'home');
  mkdirSync(home);
  const env = { PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' };
  return { path, home, env, [Symbol.dispose]: () => rmSync(path, { recursive: true, force: true }) };
}

/** Runs real git with a fixed identity and date-free defaults. */
export function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: env.HOME ?? tmpdir(), GIT_AUTHOR_NAME: 'dev', GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: 'dev', GIT_COMMITTER_EMAIL: 'dev@example.com', ...env },
  }).trim();
}

export interface CommitSpec {
  msg: string;
  /** Files to write (path → content); default: a file named after the commit. */
  files?: Record<string, string>;
  /** An annotated tag to put on the commit. */
  tag?: string;
  /** A lightweight tag. */
  light?: string;
}

/** Makes commits in a working tree. */
export function commit(dir: string, specs: (string | CommitSpec)[]): void {
  for (const s of specs) {
    const spec = typeof s === 'string' ? { msg: s } : s;
    const files = spec.files ?? { [`log/${spec.msg.replace(/[^\w]+/g, '-').slice(0, 40)}-${Math.random().toString(36).slice(2, 8)}.txt`]: spec.msg };
    for (const [f, c] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f), c);
    }
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', spec.msg]);
    if (spec.tag) git(dir, ['tag', '-a', '-m', `release ${spec.tag}`, spec.tag]);
    if (spec.light) git(dir, ['tag', spec.light]);
  }
}

/** A working repository with commits, and a bare remote it was pushed to (branches and tags). */
export function repoWithRemote(root: string, specs: (string | CommitSpec)[], branch = 'main'): { work: string; remote: string; url: string } {
  const work = join(root, 'work');
  const remote = join(root, 'remote.git');
  mkdirSync(work);
  git(work, ['init', '-q', '-b', branch]);
  commit(work, specs);
  git(root, ['init', '-q', '--bare', '-b', branch, remote]);
  git(work, ['remote', 'add', 'origin', remote]);
  git(work, ['push', '-q', 'origin', branch, '--tags']);
  return { work, remote, url: `file://${remote}` };
}

/** A clone the way Tekton's git-clone makes it: depth 1, no tags. */
export function shallowClone(url: string, dir: string, branch = 'main'): string {
  git(dirname(dir), ['clone', '-q', '--depth=1', '--no-tags', `--branch=${branch}`, url, dir]);
  return dir;
}

/** A full clone with tags. */
export function fullClone(url: string, dir: string): string {
  git(dirname(dir), ['clone', '-q', url, dir]);
  return dir;
}

/** Tags on a bare repository: name → peeled commit. */
export function remoteTagList(remote: string): Record<string, string> {
  const out: Record<string, string> = {};
  const text = git(remote, ['for-each-ref', '--format=%(refname:strip=2) %(objecttype) %(*objectname) %(objectname)', 'refs/tags']);
  for (const line of text.split('\n').filter(Boolean)) {
    const [name, type, peeled, obj] = line.split(' ') as [string, string, string, string];
    out[name] = type === 'tag' ? peeled : obj;
  }
  return out;
}

/** The example config repository as a bare remote (main branch). */
export function configRemote(root: string): { remote: string; url: string } {
  const work = join(root, 'config-work');
  cpSync(new URL('../examples/config-repo', import.meta.url).pathname, work, { recursive: true });
  git(work, ['init', '-q', '-b', 'main']);
  git(work, ['add', '-A']);
  git(work, ['commit', '-q', '-m', 'config repo']);
  const remote = join(root, 'config.git');
  git(root, ['clone', '-q', '--bare', work, remote]);
  return { remote, url: `file://${remote}` };
}

/** Runs the step in-process (Tekton results mode). */
export function run(argv: string[], env: NodeJS.ProcessEnv, cwd?: string) {
  return runInProcess(step, argv, { env, cwd });
}
