import { execFileSync } from 'node:child_process';
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import type { StartedPostgreSqlContainer } from '@testcontainers/postgresql';

/** The locally built images the tests use (scripts/provision.sh builds them; nothing is pulled). */
export const IMAGES = {
  debian: 'localhost/steg/debian:bookworm',
  node: 'localhost/steg/node:22',
  postgres: 'localhost/steg/postgres:15',
} as const;

// testcontainers' reaper image cannot be pulled here, and the VM's /.dockerenv would make
// it pull alpine to find the host; these settings avoid both (ENVIRONMENT.md).
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';

/** A started PostgreSQL container that `await using` stops even when the test fails. */
export type PostgresHandle = StartedPostgreSqlContainer & { url: string; [Symbol.asyncDispose](): Promise<void> };

/** Starts PostgreSQL 15 from the local image (about 1.5 s); dispose it with `await using`. */
export async function startPostgres(o: { user?: string; password?: string; database?: string } = {}): Promise<PostgresHandle> {
  const c = await new PostgreSqlContainer(IMAGES.postgres)
    .withUsername(o.user ?? 'steg')
    .withPassword(o.password ?? 'steg-test-password')
    .withDatabase(o.database ?? 'steg')
    .start();
  return Object.assign(c, {
    url: c.getConnectionUri(),
    [Symbol.asyncDispose]: async () => {
      await c.stop({ timeout: 1 }).catch(() => undefined);
    },
  });
}

/** True when a Docker engine answers; tests that need one fail loudly without it (npm test provisions it). */
export function dockerAvailable(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}
