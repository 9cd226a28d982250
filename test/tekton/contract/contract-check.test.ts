// Contract cases the broken fixtures do not show: the forms of passing a param that are accepted.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkContract } from './contract-check.ts';
import { FIXTURES } from '../fixture-paths.ts';
import { parseDocuments } from '../load-documents.ts';
import { formatProblem } from '../problem.ts';

/** A Task for fixtures/steps/fixture-echo; `params` and `steps` are YAML list items, indented by 4. */
function task({ name = 'steg-fixture-echo', annotations = '', params = '', results = ['said', 'summary'], steps }: { name?: string; annotations?: string; params?: string; results?: string[]; steps: string }): string {
  return `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: ${name}
  annotations: {${annotations}}
spec:
  params:
    - {name: image, type: string, default: registry.example.com/steg/fixture-echo:0.1.0}
    - {name: url, type: string}
${params}
  results:
${results.map((r) => `    - {name: ${r}}`).join('\n')}
  steps:
${steps}
`;
}

const ECHO = `    - name: echo
      image: $(params.image)
      command: [node, /app/step.mjs]`;
const BASE_ARGS = ['--url=$(params.url)', '--token-file=/secrets/token'];
const args = (...extra: string[]): string => `      args: ${JSON.stringify([...BASE_ARGS, ...extra])}`;

async function contractOf(yaml: string): Promise<{ problems: string[]; steps: string[] }> {
  const { docs, problems } = parseDocuments(yaml, 'inline.yaml');
  assert.deepEqual(problems, []);
  const result = await checkContract(docs[0] as never, FIXTURES.steps);
  return { problems: result.problems.map(formatProblem), steps: result.steps };
}

describe('contract', () => {
  it('passes the minimal Task and names the step it checked', async () => {
    assert.deepEqual(await contractOf(task({ steps: `${ECHO}\n${args()}` })), { problems: [], steps: ['fixture-echo'] });
  });

  it('accepts a list param as a Tekton array passed with [*]', async () => {
    const params = '    - {name: tags, type: array, default: [a, b]}';
    const r = await contractOf(task({ params, steps: `${ECHO}\n${args('--tags', '$(params.tags[*])')}` }));
    assert.deepEqual(r.problems, []);
  });

  it('accepts a param passed as --name value (two args) and through env inherited from stepTemplate', async () => {
    const params = '    - {name: greeting, type: string, default: hello}\n    - {name: mode, type: string, default: fast}';
    const yaml = task({ params, steps: `${ECHO}\n${args('--greeting', '$(params.greeting)')}` }).replace(
      '  steps:',
      '  stepTemplate:\n    env:\n      - {name: STEG_MODE, value: $(params.mode)}\n  steps:',
    );
    assert.deepEqual((await contractOf(yaml)).problems, []);
  });

  it('accepts the file of a secret as a Task param, and the builtins log-format and deadline', async () => {
    const params = '    - {name: token-file, type: string, default: /secrets/token}\n    - {name: deadline, type: string, default: 10m}\n    - {name: log-format, type: string, default: text}';
    const steps = `${ECHO}\n      args: ["--url=$(params.url)", "--token-file=$(params.token-file)", "--deadline=$(params.deadline)"]\n      env: [{name: STEG_LOG_FORMAT, value: $(params.log-format)}]`;
    assert.deepEqual((await contractOf(task({ params, steps }))).problems, []);
  });

  it('skips params listed as Task-only, and reports them when not listed', async () => {
    const params = '    - {name: skip, type: string, default: "false"}';
    const steps = `${ECHO}\n${args()}`;
    assert.deepEqual((await contractOf(task({ params, steps, annotations: '"steg/task-only-params": "skip, other"' }))).problems, []);
    const r = await contractOf(task({ params, steps }));
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0] as string, /\[contract-param-undeclared\] param "skip" is not declared by step fixture-echo/);
  });

  it('accepts a required param given literally', async () => {
    const yaml = task({ steps: `${ECHO}\n      args: ["--url=https://example.com", "--token-file=/secrets/token"]` }).replace('    - {name: url, type: string}\n', '');
    assert.deepEqual((await contractOf(yaml)).problems, []);
  });

  it('identifies the step from a literal image pinned by digest', async () => {
    const steps = `    - name: echo\n      image: registry.example.com/steg/fixture-echo@sha256:${'a'.repeat(64)}\n      command: [node, /app/step.mjs]\n${args()}`;
    assert.deepEqual(await contractOf(task({ steps })), { problems: [], steps: ['fixture-echo'] });
  });

  it('takes the union of the results of several steg steps', async () => {
    const steps = `${ECHO}\n${args()}\n${ECHO.replace('name: echo', 'name: echo-again')}\n${args()}`;
    assert.deepEqual(await contractOf(task({ steps })), { problems: [], steps: ['fixture-echo', 'fixture-echo'] });
  });

  it('leaves Tasks that run no steg image alone unless they are named steg-*', async () => {
    const steps = '    - {name: tool, image: "registry.example.com/tools/tool:1.0", command: [tool]}';
    assert.deepEqual(await contractOf(task({ name: 'other-tool', results: ['said'], steps })), { problems: [], steps: [] });
    const r = await contractOf(task({ results: ['said'], steps }));
    assert.match(r.problems.join('\n'), /\[contract-unknown-step\] runs no steg step image/);
  });
});
