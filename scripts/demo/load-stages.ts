// Finds the demo stages (scripts/demo/stages/*.ts, each exporting `stage`) and orders them.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DemoStage } from './types.ts';

export interface LoadedStage extends DemoStage {
  file: string;
}

/** Loads every stage below dir, sorted by phase (database first), order, then file name. */
export async function loadStages(dir: string): Promise<LoadedStage[]> {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts')).sort();
  const stages: LoadedStage[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { stage?: Partial<DemoStage> };
    const s = mod.stage;
    if (!s || typeof s.title !== 'string' || (s.phase !== 'database' && s.phase !== 'app') || typeof s.order !== 'number' || typeof s.run !== 'function') {
      throw new Error(`scripts/demo/stages/${file} must export \`stage\` with title, phase ('database' | 'app'), order (number) and run(ctx)`);
    }
    stages.push({ ...(s as DemoStage), file });
  }
  const phaseRank = { database: 0, app: 1 };
  return stages.sort((a, b) => phaseRank[a.phase] - phaseRank[b.phase] || a.order - b.order || (a.file < b.file ? -1 : 1));
}
