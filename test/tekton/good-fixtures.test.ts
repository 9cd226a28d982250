import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FIXTURES } from './fixture-paths.ts';
import { lintPaths } from './lint.ts';
import { REPO_ROOT } from './paths.ts';
import { formatProblem } from './problem.ts';
import { TEKTON_VERSIONS } from './schema-check.ts';

describe('good fixtures', () => {
  for (const version of TEKTON_VERSIONS) {
    it(`pass schemas, lint and contract on Tekton ${version}`, async () => {
      const report = await lintPaths([FIXTURES.good], { cwd: REPO_ROOT, packagesDir: FIXTURES.steps, versions: [version] });
      assert.deepEqual(report.problems.map(formatProblem), []);
      // Not vacuous: both Tasks, the StepAction, the Pipeline and the TriggerTemplate's PipelineRun were validated and both contracts were checked.
      assert.equal(report.schemaChecked, 5);
      assert.deepEqual(
        report.contracts.map((c) => `${c.resource} ${c.steps.join(',')}`),
        ['StepAction/steg-fixture-echo-action fixture-echo', 'Task/steg-fixture-echo fixture-echo'],
      );
    });
  }

  it('reads every document of a multi-document file and the resources a TriggerTemplate creates', async () => {
    const report = await lintPaths([FIXTURES.good], { cwd: REPO_ROOT, packagesDir: FIXTURES.steps });
    const multi = report.documents.filter((d) => d.file.endsWith('pipeline-and-friends.yaml')).map((d) => d.resource);
    assert.deepEqual(multi, ['ServiceAccount/steg-pipeline', 'RoleBinding/steg-pipeline-edit', 'Pipeline/steg-fixture-pipeline', 'TriggerTemplate/steg-fixture', 'TriggerTemplate/steg-fixture resourcetemplates[0] PipelineRun/steg-fixture-']);
  });
});
