import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from './lint-cli.ts';
import { FIXTURES } from './fixture-paths.ts';
import { REPO_ROOT } from './paths.ts';

function capture(): { out: string[]; err: string[]; io: { cwd: string; out: (s: string) => void; err: (s: string) => void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { cwd: REPO_ROOT, out: (s) => out.push(s), err: (s) => err.push(s) } };
}

describe('lint-cli', () => {
  it('prints every problem and exits 1', async () => {
    const c = capture();
    const code = await runCli([join(FIXTURES.broken, 'image-tag.yaml'), join(FIXTURES.broken, 'command-required.yaml')], c.io);
    assert.equal(code, 1);
    const text = c.out.join('');
    assert.match(text, /image-tag\.yaml:\d+: Task\/fixture-tool \[image-tag\] step "run" image registry\.example\.com\/tools\/tool:latest uses the tag latest/);
    assert.match(text, /command-required\.yaml:\d+: Task\/fixture-tool \[command-required\]/);
    assert.match(c.err.join(''), /2 problem\(s\)/);
  });

  it('exits 0 with a one-line summary when clean', async () => {
    const c = capture();
    // The good StepAction runs steg/fixture-echo, which packages/ does not have: lint only the Pipeline file.
    const code = await runCli([join(FIXTURES.good, 'pipeline-and-friends.yaml')], c.io);
    assert.equal(code, 0, c.out.join(''));
    assert.deepEqual(c.out, ['lint:tekton: ok, 1 files, 5 documents (2 schema-checked, 0 step contracts)\n']);
  });

  it('prints problems as JSON lines with --json', async () => {
    const c = capture();
    assert.equal(await runCli(['--json', join(FIXTURES.broken, 'image-tag.yaml')], c.io), 1);
    const problems = c.out.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      problems.map((p) => [p.file, p.line, p.resource, p.rule, p.path]),
      [['test/tekton/fixtures/broken/image-tag.yaml', 20, 'Task/fixture-tool', 'image-tag', '/spec/steps/0/image']],
    );
  });

  it('exits 2 naming the folder when the schemas are missing', async () => {
    const c = capture();
    const before = process.env.STEG_TEKTON_SCHEMAS;
    process.env.STEG_TEKTON_SCHEMAS = join(REPO_ROOT, 'no-such-schemas');
    try {
      assert.equal(await runCli([FIXTURES.good], c.io), 2);
    } finally {
      if (before === undefined) delete process.env.STEG_TEKTON_SCHEMAS;
      else process.env.STEG_TEKTON_SCHEMAS = before;
    }
    assert.match(c.err.join(''), /no-such-schemas.*STEG_TEKTON_SCHEMAS/);
  });
});
