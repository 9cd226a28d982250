import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The @playwright/test copy a run uses: its CLI and the node_modules directory that holds it. */
export interface PlaywrightRuntime {
  cli: string;
  version: string;
  /** The node_modules directory that holds @playwright/test, playwright and playwright-core. */
  nodeModules: string;
  /** True when the copy came from the suite's own workspace, not from the runner. */
  fromWorkspace: boolean;
}

/** The version the runner ships and the image carries. */
export const PLAYWRIGHT_VERSION = '1.65.1';

/**
 * Finds @playwright/test. A suite and the CLI must share one instance (Playwright refuses
 * two), so a workspace that installed its own copy runs with that one; otherwise the runner's
 * copy (beside the bundle in the image, /app/node_modules) is used.
 */
export function locatePlaywright(configFile: string, selfUrl: string = import.meta.url): PlaywrightRuntime | undefined {
  const fromSuite = tryResolve(createRequire(configFile));
  if (fromSuite) return { ...fromSuite, fromWorkspace: true };
  const own = tryResolve(createRequire(selfUrl));
  return own ? { ...own, fromWorkspace: false } : undefined;
}

function tryResolve(req: NodeJS.Require): Omit<PlaywrightRuntime, 'fromWorkspace'> | undefined {
  let pkgJson: string;
  try {
    pkgJson = req.resolve('@playwright/test/package.json');
  } catch {
    return undefined;
  }
  const dir = dirname(pkgJson);
  const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  return { cli: join(dir, 'cli.js'), version, nodeModules: dirname(dirname(dir)) };
}

const HOOKS = `// Written by steg e2e-runner: lets an ES-module suite without node_modules import the
// runner's @playwright/test. Only bare Playwright specifiers that fail to resolve are redirected.
import { pathToFileURL } from 'node:url';
const anchor = pathToFileURL(process.env.STEG_PLAYWRIGHT_MODULES + '/steg-anchor.js').href;
const ours = /^(@playwright\\/test|playwright|playwright-core)(\\/|$)/;
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (err) {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !ours.test(specifier)) throw err;
    return next(specifier, { ...context, parentURL: anchor });
  }
}
`;

const REGISTER = `import { register } from 'node:module';
register('./steg-resolve-hooks.mjs', import.meta.url);
`;

/**
 * The environment that makes `import { test } from '@playwright/test'` resolve in a suite
 * with no node_modules: NODE_PATH for CommonJS suites (Playwright's default transform) and a
 * resolve hook for ES-module suites (NODE_PATH does not apply to import). Writes the hook into tmpDir.
 */
export function moduleEnv(rt: PlaywrightRuntime, tmpDir: string, env: NodeJS.ProcessEnv): Record<string, string> {
  if (rt.fromWorkspace) return {};
  const register = join(tmpDir, 'steg-register.mjs');
  if (!existsSync(register)) {
    writeFileSync(join(tmpDir, 'steg-resolve-hooks.mjs'), HOOKS);
    writeFileSync(register, REGISTER);
  }
  const nodePath = [rt.nodeModules, env.NODE_PATH].filter(Boolean).join(':');
  // NODE_OPTIONS splits on spaces; a quoted path keeps a temp dir with spaces working.
  const nodeOptions = [env.NODE_OPTIONS, `--import ${JSON.stringify(register)}`].filter(Boolean).join(' ');
  return { NODE_PATH: nodePath, NODE_OPTIONS: nodeOptions, STEG_PLAYWRIGHT_MODULES: rt.nodeModules };
}
