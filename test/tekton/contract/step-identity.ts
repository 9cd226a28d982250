import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StepDef } from '@steg/step-kit';

/** The steg step an image runs: `…/steg/<name>:<tag>` or `…/steg/<name>@sha256:…` gives <name>. */
export function stegStepName(image: string): string | undefined {
  return /(?:^|\/)steg\/([a-z0-9][a-z0-9-]*)(?::[^/@]*)?(?:@sha256:[0-9a-f]+)?$/.exec(image)?.[1];
}

/** Where a step's declaration lives. */
export function stepFile(name: string, packagesDir: string): string {
  return join(packagesDir, name, 'src', 'step.ts');
}

const loaded = new Map<string, Promise<StepDef>>();

/** Imports packages/<name>/src/step.ts and returns its `step` export; throws a message naming the file when it cannot. */
export async function loadStepDef(name: string, packagesDir: string): Promise<StepDef> {
  const file = stepFile(name, packagesDir);
  let p = loaded.get(file);
  if (!p) {
    p = (async () => {
      if (!existsSync(file)) throw new Error(`no step declaration ${file}`);
      const mod = (await import(pathToFileURL(file).href)) as { step?: StepDef };
      if (!mod.step || typeof mod.step !== 'object' || !mod.step.params) throw new Error(`${file} does not export a step declaration named "step"`);
      return mod.step;
    })();
    loaded.set(file, p);
  }
  return p;
}
