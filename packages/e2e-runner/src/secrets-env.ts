import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BadInputError } from '@steg/step-kit';

/**
 * Reads a mounted Secret directory into environment variables for the suite: each file
 * becomes a variable named after it (E2E_PASSWORD, or e2e-password as E2E_PASSWORD).
 * Kubernetes projects Secret keys as files plus hidden ..data links, which are skipped.
 */
export function readSecretsDir(dir: string): Record<string, string> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new BadInputError(`param secrets-dir is ${JSON.stringify(dir)}, expected a readable directory of secret files (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const env: Record<string, string> = {};
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    const file = join(dir, name);
    if (!statSync(file).isFile()) continue;
    const key = envKey(name);
    if (key == null) throw new BadInputError(`param secrets-dir: secret file ${JSON.stringify(name)} cannot be an environment variable name (expected letters, digits, - _ or .)`);
    env[key] = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  }
  return env;
}

/** The environment variable a secret file name maps to, or undefined when it cannot be one. */
export function envKey(fileName: string): string | undefined {
  const key = fileName.replace(/[-.]/g, '_').toUpperCase();
  return /^[A-Z_][A-Z0-9_]*$/.test(key) ? key : undefined;
}
