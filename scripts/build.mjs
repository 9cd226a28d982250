#!/usr/bin/env node
// Bundles every step program (packages/<name>/src/cli.ts) into dist/<name>.mjs with esbuild.
// Type-checking is tsc's job (npm run typecheck); esbuild only strips types and bundles.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;

/**
 * Node built-ins taken with process.getBuiltinModule instead of an ESM import. Node builds an ESM
 * facade for an imported built-in by reading every export, and node:fs's lazy getters (ReadStream,
 * promises, ...) then load eight internal modules no step uses: about 6 ms of set-version's
 * start-up (node --cpu-prof). Each export is a pure expression, so esbuild keeps only those used.
 */
const builtinsPlugin = {
  name: 'steg-builtins',
  setup(b) {
    b.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (a) =>
      (a.kind === 'import-statement' || a.kind === 'dynamic-import') && isBuiltin(a.path) ? { path: a.path.startsWith('node:') ? a.path : `node:${a.path}`, namespace: 'steg-builtin' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'steg-builtin' }, (a) => {
      const names = Object.keys(process.getBuiltinModule(a.path)).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== 'default');
      const lines = [`const m = process.getBuiltinModule(${JSON.stringify(a.path)});`, 'export default m;', ...names.map((k) => `export const ${k} = /* @__PURE__ */ (() => m.${k})();`)];
      return { contents: lines.join('\n'), loader: 'js' };
    });
  },
};

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
    plugins: [builtinsPlugin],
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
