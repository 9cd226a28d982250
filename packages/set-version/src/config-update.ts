import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@steg/step-kit';
import { backoffDelay, BadInputError, sleep, StepError } from '@steg/step-kit';
import type { Git } from './git.ts';
import { parseYamlPath, setKustomizeImage, setYamlPath, YamlEditError } from './yaml-edit.ts';

export interface ConfigUpdateOptions {
  /** The config repository's URL (no credentials in it; they come from the credentials env). */
  url: string;
  branch: string;
  /** The file inside the config repository. */
  file: string;
  format: 'kustomize' | 'yaml';
  /** kustomize: the images[].name to set. */
  imageName?: string;
  /** yaml: the path of the value. */
  keyPath?: string;
  tag?: string;
  digest?: string;
  app: string;
  environment: string;
  version: string;
  sourceCommit?: string;
  maxAttempts: number;
  /** Clone and edit in a scratch directory only: no commit, no push. */
  dryRun?: boolean;
  log: Logger;
  signal?: AbortSignal;
  /** Minimum backoff between attempts (tests shorten it). */
  minDelayMs?: number;
}

export interface ConfigUpdated {
  /** The config repository's commit that holds the new value (ours, or the existing head when nothing changed). */
  commit: string;
  changed: boolean;
  attempts: number;
}

/** The lost race: every attempt's push was rejected because the branch moved. */
export class ConfigPushRaceError extends StepError {
  constructor(message: string) {
    super(message, 5);
    this.name = 'ConfigPushRaceError';
  }
}

/** Edits the file text: the new text, or the same text when it already holds the value. */
export function editConfigText(text: string, o: Pick<ConfigUpdateOptions, 'file' | 'format' | 'imageName' | 'keyPath' | 'tag' | 'digest'>): string {
  try {
    if (o.format === 'kustomize') return setKustomizeImage(text, o.imageName as string, { tag: o.tag, digest: o.digest }, o.file);
    return setYamlPath(text, parseYamlPath(o.keyPath as string), (o.tag || o.digest) as string, o.file);
  } catch (e) {
    if (e instanceof YamlEditError) throw new BadInputError(`param config-file/${o.format === 'kustomize' ? 'config-image-name' : 'config-key-path'}: ${e.message}`);
    throw e;
  }
}

/** The config commit message: names the app, the version, the environment and the source commit. */
export function configCommitMessage(o: Pick<ConfigUpdateOptions, 'app' | 'version' | 'environment' | 'sourceCommit' | 'tag' | 'digest' | 'file'>): string {
  const what = o.digest ? `${o.tag ? `${o.tag}@` : ''}${o.digest}` : o.tag;
  return [
    `deploy(${o.app}): ${o.version} to ${o.environment}`,
    '',
    `Set ${o.app} to ${what} in ${o.file}.`,
    '',
    `App: ${o.app}`,
    `Version: ${o.version}`,
    `Environment: ${o.environment}`,
    ...(o.sourceCommit ? [`Source-Commit: ${o.sourceCommit}`] : []),
  ].join('\n');
}

/**
 * Clones the config repository (depth 1, one branch), sets the value, commits and pushes.
 * A rejected push (someone else pushed first) fetches the new head, redoes the edit there and
 * pushes again, with backoff, up to maxAttempts. No commit when the file already holds the value.
 */
export async function updateConfigRepo(git: Git, o: ConfigUpdateOptions): Promise<ConfigUpdated> {
  const dir = mkdtempSync(join(tmpdir(), 'steg-config-'));
  try {
    await git.at(tmpdir()).run(['clone', '--quiet', '--depth=1', '--single-branch', '--no-tags', `--branch=${o.branch}`, o.url, dir]);
    const repo = git.at(dir);
    const file = join(dir, o.file);
    for (let attempt = 1; ; attempt++) {
      if (!existsSync(file)) throw new BadInputError(`param config-file is ${JSON.stringify(o.file)}, but the config repository's ${o.branch} has no such file`);
      const before = readFileSync(file, 'utf8');
      const after = editConfigText(before, o);
      if (after === before) {
        const head = await repo.line(['rev-parse', 'HEAD']);
        o.log.info(`${o.file} already holds ${o.tag || o.digest}; nothing to commit`, { 'config.commit': head });
        return { commit: head, changed: false, attempts: attempt };
      }
      if (o.dryRun) {
        const head = await repo.line(['rev-parse', 'HEAD']);
        o.log.info(`dry run: would set ${o.tag || o.digest} in ${o.file} and push to ${o.branch} (now at ${head.slice(0, 12)})`);
        return { commit: head, changed: false, attempts: attempt };
      }
      writeFileSync(file, after);
      await repo.run(['add', '--', o.file]);
      await repo.run(['commit', '--quiet', '--no-verify', '-F', '-'], configCommitMessage(o));
      const commit = await repo.line(['rev-parse', 'HEAD']);
      const r = await repo.try(['push', '--porcelain', '--quiet', 'origin', `HEAD:refs/heads/${o.branch}`]);
      if (r.code === 0) {
        o.log.info(`pushed ${commit.slice(0, 12)} to ${o.branch} of the config repository`, { attempt });
        return { commit, changed: true, attempts: attempt };
      }
      const text = `${r.stdout}\n${r.stderr}`;
      if (!/\[rejected\]|non-fast-forward|fetch first|cannot lock ref|failed to update ref|stale info/i.test(text)) {
        throw new StepError(`git push to the config repository failed (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-3).join('; ')}`);
      }
      if (attempt >= o.maxAttempts) {
        throw new ConfigPushRaceError(`the config repository's ${o.branch} kept moving: ${attempt} push attempt(s) were rejected; nothing of ours landed`);
      }
      const delay = backoffDelay(attempt - 1, { minDelayMs: o.minDelayMs ?? 250, maxDelayMs: 5000 });
      o.log.info(`push rejected (the branch moved); redoing the edit on the new head in ${delay} ms`, { attempt });
      await sleep(delay, o.signal);
      await repo.run(['fetch', '--quiet', '--no-tags', '--depth=1', 'origin', `+refs/heads/${o.branch}:refs/remotes/origin/${o.branch}`]);
      // The scratch clone is ours alone: drop our commit and start again from the new head.
      await repo.run(['reset', '--quiet', '--hard', `refs/remotes/origin/${o.branch}`]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
