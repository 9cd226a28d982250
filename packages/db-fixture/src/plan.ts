import { createHash } from 'node:crypto';
import type { Migration } from './migrations.ts';
import { loadMigrations } from './migrations.ts';
import type { Seed } from './seeds.ts';
import { loadSeeds } from './seeds.ts';

/** Bump when the way a template is built changes, so old templates are not reused. */
export const TEMPLATE_FORMAT = 1;

/** What a template is built from: the migrations and seeds, and the hash that names it. */
export interface Plan {
  migrations: Migration[];
  seeds: Seed[];
  /** sha256 over every file's name and contents (not yet the server version). */
  contentHash: string;
}

/** Reads the migrations and seeds folders (either may be absent) and hashes their contents. */
export function loadPlan(migrationsDir?: string, seedsDir?: string): Plan {
  const migrations = migrationsDir ? loadMigrations(migrationsDir) : [];
  const seeds = seedsDir ? loadSeeds(seedsDir) : [];
  const h = createHash('sha256');
  h.update(`steg-db-fixture template format ${TEMPLATE_FORMAT}\n`);
  for (const m of migrations) h.update(`migration ${m.file} ${m.checksum} ${m.transactional}\n`);
  for (const s of seeds) h.update(`seed ${s.file} ${s.checksum}\n`);
  return { migrations, seeds, contentHash: h.digest('hex') };
}

/** The template's hash: the contents plus the server's major version (a template is per server version). */
export function templateHash(plan: Plan, serverMajor: number): string {
  return createHash('sha256').update(`${plan.contentHash} postgres ${serverMajor}`).digest('hex');
}
