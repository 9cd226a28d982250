// Each file in fixtures/broken breaks exactly one rule; its header says which (`# rule:`), on which
// resource (`# resource:`) and, for schema fixtures, in which Tekton releases (`# versions:`).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CONTRACT_RULES } from './contract/contract-check.ts';
import { FIXTURES } from './fixture-paths.ts';
import { RULES } from './lint-rules.ts';
import { lintPaths } from './lint.ts';
import { REPO_ROOT } from './paths.ts';
import { formatProblem } from './problem.ts';

const files = readdirSync(FIXTURES.broken).filter((f) => f.endsWith('.yaml')).sort();

function header(file: string, key: string): string | undefined {
  return new RegExp(`^# ${key}: (.+)$`, 'm').exec(readFileSync(join(FIXTURES.broken, file), 'utf8'))?.[1]?.trim();
}

describe('broken fixtures', () => {
  for (const file of files) {
    const rule = header(file, 'rule');
    it(`${file} breaks only ${rule}`, async () => {
      assert.ok(rule, `${file} has no "# rule:" header`);
      assert.ok(file === `${rule}.yaml` || file.startsWith(`${rule}--`), `${file} is named for its rule (${rule}.yaml or ${rule}--<variant>.yaml)`);
      const resource = header(file, 'resource');
      const report = await lintPaths([join(FIXTURES.broken, file)], { cwd: REPO_ROOT, packagesDir: FIXTURES.steps });
      const lines = report.problems.map(formatProblem);
      assert.ok(report.problems.length > 0, `${file}: expected ${rule} to fire, nothing did`);
      assert.deepEqual([...new Set(report.problems.map((p) => p.rule))], [rule], `${file}: expected only ${rule}, got:\n${lines.join('\n')}`);
      const shownFile = relative(REPO_ROOT, join(FIXTURES.broken, file));
      for (const line of lines) {
        assert.ok(line.startsWith(`${shownFile}:`), `names the file: ${line}`);
        assert.ok(line.includes(` ${resource} `), `names the resource ${resource}: ${line}`);
        assert.ok(line.includes(`[${rule}]`), `names the rule: ${line}`);
      }
      const versions = header(file, 'versions');
      if (versions) assert.deepEqual([...new Set(report.problems.map((p) => p.version))], [versions], `${file}: the Tekton releases named`);
    });
  }

  it('has a fixture for every rule', () => {
    const ids = ['yaml-parse', 'schema', ...RULES.map((r) => r.id), ...Object.keys(CONTRACT_RULES)];
    const covered = new Set(files.map((f) => header(f, 'rule')));
    assert.deepEqual(ids.filter((id) => !covered.has(id)), []);
  });

  it('lists every rule in test/tekton/README.md', () => {
    const readme = readFileSync(join(REPO_ROOT, 'test', 'tekton', 'README.md'), 'utf8');
    const ids = ['yaml-parse', 'schema', ...RULES.map((r) => r.id), ...Object.keys(CONTRACT_RULES)];
    assert.deepEqual(ids.filter((id) => !readme.includes(`| \`${id}\` |`)), []);
  });

  it('gives every rule a unique id', () => {
    const ids = [...RULES.map((r) => r.id), ...Object.keys(CONTRACT_RULES)];
    assert.equal(new Set(ids).size, ids.length);
  });
});
