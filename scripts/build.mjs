#!/usr/bin/env node
// Bundles every step program (packages/<name>/src/cli.ts) into dist/<name>.mjs with esbuild.
// Type-checking is tsc's job (npm run typecheck); esbuild only strips types and bundles.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;

/** The esbuild options every step bundle shares; also used by tests that bundle fixture steps. */
export function bundleOptions(entry, outfile) {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    // CommonJS dependencies inside an ESM bundle still call require().
    banner: { js: "import { createRequire as __stegCreateRequire } from 'node:module'; const require = __stegCreateRequire(import.meta.url);" },
  };
}

/** Step programs: packages that have src/cli.ts. */
export function stepPackages() {
  return readdirSync(join(root, 'packages'))
    .filter((name) => existsSync(join(root, 'packages', name, 'src', 'cli.ts')))
    .sort();
}

async function main() {
  const only = process.argv.slice(2);
  const names = stepPackages().filter((n) => only.length === 0 || only.includes(n));
  if (names.length === 0) {
    console.log('build: no step programs yet');
    return;
  }
  const t0 = Date.now();
  await Promise.all(
    names.map((name) => build(bundleOptions(join(root, 'packages', name, 'src', 'cli.ts'), join(root, 'dist', `${name}.mjs`)))),
  );
  // images/Containerfile copies dist/<name>.assets/ too: it always exists, empty unless
  // npm run images fills it from the package's scripts/image-assets.mjs.
  for (const name of names) mkdirSync(join(root, 'dist', `${name}.assets`), { recursive: true });
  for (const name of names) {
    const kb = (statSync(join(root, 'dist', `${name}.mjs`)).size / 1024).toFixed(1);
    console.log(`dist/${name}.mjs  ${kb} KiB`);
  }
  console.log(`built ${names.length} bundle(s) in ${Date.now() - t0} ms`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
