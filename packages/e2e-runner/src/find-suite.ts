import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { BadInputError } from '@steg/step-kit';

const NAMES = ['playwright.config.ts', 'playwright.config.mts', 'playwright.config.cts', 'playwright.config.js', 'playwright.config.mjs', 'playwright.config.cjs'];
/** Where app repos keep their Playwright config, in the order they are tried. */
const DIRS = ['.', 'e2e', 'tests', 'test/e2e', 'tests/e2e', 'playwright'];

/** Finds the suite's Playwright config in the workspace (or checks the one given); exit 2 when there is none. */
export function findSuiteConfig(suiteDir: string, config?: string): string {
  if (!existsSync(suiteDir) || !statSync(suiteDir).isDirectory()) {
    throw new BadInputError(`param suite is ${JSON.stringify(suiteDir)}, expected a directory holding the app's Playwright suite (it does not exist)`);
  }
  if (config) {
    const file = isAbsolute(config) ? config : resolve(suiteDir, config);
    if (!existsSync(file) || !statSync(file).isFile()) {
      throw new BadInputError(`param config is ${JSON.stringify(config)}, expected a Playwright config file in the suite (${file} does not exist)`);
    }
    return file;
  }
  for (const dir of DIRS) {
    for (const name of NAMES) {
      const file = join(suiteDir, dir, name);
      if (existsSync(file)) return file;
    }
  }
  const looked = DIRS.map((d) => (d === '.' ? '' : `${d}/`)).map((d) => `${d}playwright.config.*`).join(', ');
  throw new BadInputError(`param suite is ${JSON.stringify(suiteDir)}, expected a workspace with a Playwright suite: found no config (looked for ${looked}); give --config PATH`);
}

/** The config path relative to the suite, for logs. */
export function describeConfig(suiteDir: string, file: string): string {
  return relative(suiteDir, file) || file;
}
