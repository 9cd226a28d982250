// The library API: give an app's own test suite an isolated, migrated database per test.
export { FixtureServer, createFixture, dropFixture, gcFixtures, waitForPostgres, CapReachedError, EXIT_CAP_REACHED } from './fixture.ts';
export type { Fixture, ServerOptions, CreateOptions, GcSummary } from './fixture.ts';
export { migrate, HISTORY_TABLE } from './migrate.ts';
export type { MigrateSummary } from './migrate.ts';
export { loadMigrations } from './migrations.ts';
export type { Migration } from './migrations.ts';
export { loadSeeds } from './seeds.ts';
export { loadSeedFiles } from './seed.ts';
export { parseMarker, MARKER_PREFIX } from './marker.ts';
export type { Marker } from './marker.ts';
export { step } from './step.ts';
