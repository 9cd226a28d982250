import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { loadSteps } from '../scripts/docs.ts';

test('every step README carries param and result tables generated from its declaration', async () => {
  const steps = await loadSteps();
  assert.ok(steps.length > 0, 'no step declarations found (packages/<name>/src/step.ts)');
  const root = new URL('..', import.meta.url).pathname;
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/docs.ts', '--check'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, `README tables are stale; run npm run docs\n${r.stderr}`);
});
