import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The fixture folders of these tests. */
export const FIXTURES = {
  good: join(here, 'fixtures', 'good'),
  broken: join(here, 'fixtures', 'broken'),
  /** Stands in for packages/: fixtures/steps/<name>/src/step.ts. */
  steps: join(here, 'fixtures', 'steps'),
};
