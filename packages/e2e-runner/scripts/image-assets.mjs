#!/usr/bin/env node
// Fills dist/e2e-runner.assets/ (copied to /app/ in the image) with what cannot be bundled into
// step.mjs: @playwright/test and the packages it loads at run time (playwright, playwright-core),
// which read their own files (the test runner, the HTML report template, the injected scripts).
// The bundle finds them as /app/node_modules; suites without node_modules get them through
// NODE_PATH and a resolve hook (src/playwright-runtime.ts).
//   node scripts/image-assets.mjs ASSETS_DIR     (images/build-images.mjs runs it)
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const out = process.argv[2] ?? process.env.STEG_ASSETS_DIR;
if (!out) {
  console.error('usage: node scripts/image-assets.mjs ASSETS_DIR');
  process.exit(2);
}
const PACKAGES = ['@playwright/test', 'playwright', 'playwright-core'];
const EXPECTED = '1.65.1';

// Resolve each package the way the runner does: from this package, so npm's hoisting does not matter.
let from = createRequire(join(import.meta.dirname, '..', 'package.json'));
for (const name of PACKAGES) {
  const pkgJson = from.resolve(`${name}/package.json`);
  const dir = realpathSync(dirname(pkgJson));
  const { version } = JSON.parse(readFileSync(pkgJson, 'utf8'));
  if (version !== EXPECTED) {
    console.error(`image-assets: ${name} is ${version}, expected ${EXPECTED} (the version the runner and the suites are written for)`);
    process.exit(1);
  }
  const target = join(out, 'node_modules', name);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(dir, target, { recursive: true, dereference: true, filter: (src) => !src.includes(`${name}/node_modules`) });
  // The next package is resolved from this one, as Node would at run time.
  from = createRequire(pkgJson);
  console.log(`image-assets: ${name}@${version} -> ${target}`);
}
if (!existsSync(join(out, 'node_modules', '@playwright', 'test', 'cli.js'))) {
  console.error('image-assets: @playwright/test/cli.js is missing after the copy');
  process.exit(1);
}
