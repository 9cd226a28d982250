// The real Tekton files under tekton/ pass schemas, lint and the step contract. Other engineers
// add Tasks as their steps land, so the checks below make sure a pass means something was checked.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { lintPaths } from './lint.ts';
import { PACKAGES_DIR, REPO_ROOT } from './paths.ts';
import { formatProblem } from './problem.ts';

const TEKTON = join(REPO_ROOT, 'tekton');

function yamlFilesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => relative(REPO_ROOT, join(dir, f)))
    .sort();
}

/** Step packages: src/step.ts declares `export const step` (step-kit's own step.ts holds the types, not a step). */
function isStepPackage(pkg: string): boolean {
  const file = join(PACKAGES_DIR, pkg, 'src', 'step.ts');
  return existsSync(file) && /export const step\b/.test(readFileSync(file, 'utf8'));
}

const subdirs = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((d) => statSync(join(dir, d)).isDirectory()).sort() : []);

describe('tekton/', () => {
  it('passes schemas, lint and contract, and every YAML file there was checked', async (t) => {
    const report = await lintPaths([TEKTON], { cwd: REPO_ROOT });
    assert.deepEqual(report.problems.map(formatProblem), [], 'problems in tekton/ (run npm run lint:tekton)');
    assert.deepEqual(report.files, yamlFilesBelow(TEKTON), 'the lint read every YAML file under tekton/');

    const steps = subdirs(PACKAGES_DIR).filter(isStepPackage);
    const taskDirs = subdirs(join(TEKTON, 'tasks'));
    // A Task folder named for a step (<name> or steg-<name>) holds a Task checked against that step's declaration.
    const stepOfDir = (dir: string): string | undefined => [dir, dir.replace(/^steg-/, '')].find((n) => steps.includes(n));
    for (const dir of taskDirs) {
      const name = stepOfDir(dir);
      if (name == null) continue;
      const checked = report.contracts.filter((c) => c.file.startsWith(`tekton/tasks/${dir}/`) && c.steps.includes(name));
      const found = report.documents.filter((d) => d.file.startsWith(`tekton/tasks/${dir}/`)).map((d) => d.resource);
      assert.ok(checked.length > 0, `tekton/tasks/${dir}/ has no Task running steg/${name} whose contract could be checked (found: ${found.join(', ') || 'no documents'})`);
    }
    // Any Task folder (also one for a multi-step Task) holds at least one Task.
    for (const dir of taskDirs) {
      const tasks = report.documents.filter((d) => d.file.startsWith(`tekton/tasks/${dir}/`) && d.kind === 'Task');
      assert.ok(tasks.length > 0, `tekton/tasks/${dir}/ holds no Task`);
    }
    const withoutTask = steps.filter((s) => !taskDirs.some((d) => stepOfDir(d) === s));
    if (withoutTask.length > 0) t.diagnostic(`steps without a Task yet (tekton/tasks/<name>/): ${withoutTask.join(', ')}`);
    t.diagnostic(`checked ${report.files.length} files, ${report.documents.length} documents, ${report.contracts.length} step contracts`);
  });
});
