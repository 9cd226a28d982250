import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (two levels above this file). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/**
 * Where the shared Tekton schemas live: $STEG_TEKTON_SCHEMAS, else `<repo>/../shared/tekton-schemas`
 * (CI clones the repo with a copy of shared/ beside it).
 */
export function schemasDir(env: NodeJS.ProcessEnv = process.env, root: string = REPO_ROOT): string {
  return env.STEG_TEKTON_SCHEMAS ? resolve(env.STEG_TEKTON_SCHEMAS) : resolve(root, '..', 'shared', 'tekton-schemas');
}

/** Where step packages live: packages/<name>/src/step.ts exports `step`. */
export const PACKAGES_DIR = resolve(REPO_ROOT, 'packages');
