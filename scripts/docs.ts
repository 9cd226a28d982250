// Regenerates the param and result tables in each step package's README from the step's
// declaration (packages/<name>/src/step.ts exports `step`), between these markers:
//   <!-- params:start --> ... <!-- params:end -->   and   <!-- results:start --> ... <!-- results:end -->
//   npm run docs            rewrite the READMEs
//   npm run docs -- --check exit 1 when a README is out of date (the tests run this)
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderParamsTable, renderResultsTable } from '@steg/step-kit';
import type { StepDef } from '@steg/step-kit';

const root = new URL('..', import.meta.url).pathname;

/** Replaces the text between <!-- NAME:start --> and <!-- NAME:end -->. */
export function replaceBetween(text: string, name: string, body: string): string {
  const re = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(\\n<!-- ${name}:end -->)`);
  return text.replace(re, (_m, a: string, b: string) => `${a}${body}${b}`);
}

/** Step packages and their declarations. */
export async function loadSteps(): Promise<{ pkg: string; step: StepDef }[]> {
  const out: { pkg: string; step: StepDef }[] = [];
  for (const pkg of readdirSync(join(root, 'packages')).sort()) {
    const file = join(root, 'packages', pkg, 'src', 'step.ts');
    if (!existsSync(file)) continue;
    const mod = (await import(pathToFileURL(file).href)) as { step?: StepDef };
    // step-kit's own src/step.ts holds the types, not a declaration.
    if (mod.step) out.push({ pkg, step: mod.step });
  }
  return out;
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const { pkg, step } of await loadSteps()) {
    const readme = join(root, 'packages', pkg, 'README.md');
    if (!existsSync(readme)) {
      stale.push(`${readme} is missing`);
      continue;
    }
    const before = readFileSync(readme, 'utf8');
    const after = replaceBetween(replaceBetween(before, 'params', renderParamsTable(step)), 'results', renderResultsTable(step));
    if (!before.includes('<!-- params:start -->') || !before.includes('<!-- results:start -->')) stale.push(`${readme} has no params/results markers`);
    if (after !== before) {
      if (check) stale.push(`${readme} tables are out of date (npm run docs)`);
      else writeFileSync(readme, after);
    }
  }
  if (stale.length) {
    console.error(stale.join('\n'));
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
