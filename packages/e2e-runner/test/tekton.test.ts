// The Tasks and the README's Pipeline-with-matrix example pass the project's Tekton lint
// (schemas for v1.3.0, v1.9.0, v1.15.0, the rules, and the contract with the step declaration).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { lintPaths } from '../../../test/tekton/lint.ts';

const root = new URL('../../../', import.meta.url).pathname;

test('steg-e2e-runner, steg-e2e-merge and the sharded Pipeline example lint clean, with the step contract checked', async () => {
  const report = await lintPaths(
    [join(root, 'tekton/tasks/steg-e2e-runner'), join(root, 'tekton/tasks/steg-e2e-merge'), join(root, 'packages/e2e-runner/examples')],
    { cwd: root },
  );
  assert.deepEqual(report.problems, []);
  assert.equal(report.contracts.length, 2);
  assert.equal(report.documents.length, 3);
});
