import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runInProcess, testdir } from '@steg/test-support';
import { step } from '../src/step.ts';
import { startTestServer } from './server.ts';

interface TaskStep {
  args: string[];
}
interface Task {
  spec: { params: { name: string; default?: string }[]; steps: TaskStep[] };
}

const taskFile = join(import.meta.dirname, '../../../tekton/tasks/steg-load-test/steg-load-test.yaml');

/** The Task's step args as Tekton renders them: params (defaults, then overrides) and workspace paths ("" when unbound). */
function renderArgs(params: Record<string, string>, workspaces: Record<string, string>): string[] {
  const task = parse(readFileSync(taskFile, 'utf8')) as Task;
  const values = new Map(task.spec.params.map((p) => [p.name, p.default ?? '']));
  for (const [k, v] of Object.entries(params)) values.set(k, v);
  const args = task.spec.steps[0]?.args ?? [];
  return args.map((a) =>
    a
      .replace(/\$\(params\.([\w-]+)\)/g, (_, n: string) => {
        assert.ok(values.has(n), `the Task uses an undeclared param ${n}`);
        return values.get(n) as string;
      })
      .replace(/\$\(workspaces\.([\w-]+)\.path\)/g, (_, n: string) => workspaces[n] ?? ''),
  );
}

// Short, gentle runs with relaxed generator checks: the suite shares 2 cores.
const PARAMS = { rate: '20', duration: '1s', warmup: '0s', thresholds: 'p(95)<10s', 'max-generator-lag': '2s', 'max-generator-cpu': '400' };

describe('steg-load-test Task: the optional auth workspace', () => {
  it('sends the auth-header key of a bound Secret as Authorization and never shows it', async () => {
    await using srv = await startTestServer();
    const canary = 'Bearer canary-7d3a91e4b2';
    await using dir = testdir({ 'source/.keep': '', 'auth/auth-header': `${canary}\n` });
    const args = renderArgs({ ...PARAMS, target: `${srv.url}/ok` }, { source: join(dir.path, 'source'), auth: join(dir.path, 'auth') });
    const r = await runInProcess(step, args, { cwd: join(dir.path, 'source') });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(srv.lastHeaders?.authorization, canary);
    for (const text of [r.stdout, r.stderr, JSON.stringify(r.results), readFileSync(join(dir.path, 'source/load-test-report/summary.json'), 'utf8')]) {
      assert.ok(!text.includes('canary-7d3a91e4b2'), 'the secret leaked');
    }
  });

  it('sends no Authorization header when the workspace is not bound', async () => {
    await using srv = await startTestServer();
    await using dir = testdir({ 'source/.keep': '' });
    const args = renderArgs({ ...PARAMS, target: `${srv.url}/ok` }, { source: join(dir.path, 'source') });
    assert.ok(args.includes('--auth-header-file='), 'the unbound workspace renders as an empty path');
    const r = await runInProcess(step, args, { cwd: join(dir.path, 'source') });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(srv.requests.get('/ok'), 'requests were sent');
    assert.equal(srv.lastHeaders?.authorization, undefined);
  });

  it('a bound Secret without the auth-header key is bad input (exit 2) before any request', async () => {
    await using srv = await startTestServer();
    await using dir = testdir({ 'source/.keep': '', 'auth/token': 'x' });
    const args = renderArgs({ ...PARAMS, target: `${srv.url}/ok` }, { source: join(dir.path, 'source'), auth: join(dir.path, 'auth') });
    const r = await runInProcess(step, args, { cwd: join(dir.path, 'source') });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /auth-header/);
    assert.equal(srv.requests.size, 0);
  });
});
