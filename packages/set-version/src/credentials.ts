import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redactor } from '@steg/step-kit';

export interface CredentialOptions {
  /** A basic-auth workspace: `.git-credentials` (and optionally `.gitconfig`), Tekton git-clone's convention. */
  basicAuthDir?: string;
  /** A token (from a mounted Secret file) used as the HTTP password. */
  token?: string;
  /** The HTTP user name that goes with the token. */
  tokenUser?: string;
  /** An SSH workspace: a private key (id_ed25519, id_rsa, id_ecdsa or ssh-privatekey), known_hosts, optional config. */
  sshDir?: string;
  /** Author/committer identity for tags and config commits. */
  userName: string;
  userEmail: string;
}

/**
 * The environment every git child runs with. Credentials travel in git's config environment
 * (GIT_CONFIG_COUNT/KEY/VALUE) and in env vars a credential helper reads, so they never appear
 * in any process's argv, in a remote URL, or in a log line. Every secret read is registered
 * with the redactor.
 */
export function gitEnv(base: NodeJS.ProcessEnv, o: CredentialOptions, redactor: Redactor): NodeJS.ProcessEnv {
  const config: [string, string][] = [];
  const env: NodeJS.ProcessEnv = {
    ...base,
    // Fail instead of waiting for a password nobody will type.
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: 'echo',
    SSH_ASKPASS: 'echo',
    GIT_AUTHOR_NAME: o.userName,
    GIT_AUTHOR_EMAIL: o.userEmail,
    GIT_COMMITTER_NAME: o.userName,
    GIT_COMMITTER_EMAIL: o.userEmail,
    LC_ALL: 'C',
  };
  delete env.GIT_DIR;
  delete env.GIT_WORK_TREE;
  if (o.basicAuthDir) {
    const creds = join(o.basicAuthDir, '.git-credentials');
    if (existsSync(creds)) {
      for (const line of readFileSync(creds, 'utf8').split('\n')) registerUrlSecrets(line.trim(), redactor);
      config.push(['credential.helper', ''], ['credential.helper', `store --file=${creds}`]);
    }
    const gitconfig = join(o.basicAuthDir, '.gitconfig');
    if (existsSync(gitconfig)) config.push(['include.path', gitconfig]);
  }
  if (o.token) {
    redactor.add(o.token);
    env.STEG_GIT_HELPER_USER = o.tokenUser || 'oauth2';
    env.STEG_GIT_HELPER_TOKEN = o.token;
    // The helper prints what it reads from its environment; the token is never on a command line.
    config.push(['credential.helper', ''], ['credential.helper', '!f() { test "$1" = get || exit 0; printf "username=%s\\npassword=%s\\n" "$STEG_GIT_HELPER_USER" "$STEG_GIT_HELPER_TOKEN"; }; f']);
  }
  if (o.sshDir) env.GIT_SSH_COMMAND = sshCommand(o.sshDir);
  config.forEach(([k, v], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = k;
    env[`GIT_CONFIG_VALUE_${i}`] = v;
  });
  env.GIT_CONFIG_COUNT = String(config.length);
  return env;
}

/** Registers the password (and the user:password pair) of a URL as secrets. */
export function registerUrlSecrets(url: string, redactor: Redactor): void {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/@\s]+)@/i.exec(url);
  if (!m) return;
  const userinfo = m[1] as string;
  const colon = userinfo.indexOf(':');
  if (colon >= 0) {
    const pass = userinfo.slice(colon + 1);
    redactor.add(pass);
    try {
      redactor.add(decodeURIComponent(pass));
    } catch {
      // Not percent-encoded; the raw form is already registered.
    }
  }
  redactor.add(userinfo);
}

const KEY_NAMES = ['ssh-privatekey', 'id_ed25519', 'id_ecdsa', 'id_rsa'];

/** An ssh command line using the workspace's key and known_hosts; the key is copied to a 0600 file because ssh refuses a group-readable Secret mount. */
export function sshCommand(dir: string): string {
  const files = readdirSync(dir);
  const keyName = KEY_NAMES.find((k) => files.includes(k));
  const parts = ['ssh', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes'];
  if (keyName) {
    const tmp = mkdtempSync(join(tmpdir(), 'steg-ssh-'));
    const key = join(tmp, 'key');
    copyFileSync(join(dir, keyName), key);
    chmodSync(key, 0o600);
    parts.push('-i', key);
  }
  const known = files.includes('known_hosts') ? join(dir, 'known_hosts') : undefined;
  if (known) parts.push('-o', `UserKnownHostsFile=${known}`, '-o', 'StrictHostKeyChecking=yes');
  else parts.push('-o', 'StrictHostKeyChecking=accept-new', '-o', `UserKnownHostsFile=${join(tmpdir(), 'steg-known-hosts')}`);
  if (files.includes('config')) parts.push('-F', join(dir, 'config'));
  return parts.map((p) => (/[\s"'$]/.test(p) ? `'${p.replace(/'/g, "'\\''")}'` : p)).join(' ');
}
