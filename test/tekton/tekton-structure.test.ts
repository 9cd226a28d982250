import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expressionsIn, isTektonVariable, paramRef } from './tekton-structure.ts';

describe('expressions', () => {
  it('finds every $(...) in a string', () => {
    assert.deepEqual(expressionsIn('--a=$(params.a) --b=$( results.b.path )/x $notone'), ['params.a', 'results.b.path']);
  });

  it('tells Tekton variables from shell command substitution', () => {
    for (const v of ['params.x', 'params["x"]', 'results.r.path', 'workspaces.w.path', 'context.taskRun.name', 'tasks.t.results.r', 'step.results.r.path', 'credentials.path']) assert.ok(isTektonVariable(v), v);
    for (const v of ['date +%s', 'cat /tmp/params.txt', 'paramsx', 'git rev-parse HEAD']) assert.ok(!isTektonVariable(v), v);
  });

  it('reads the param of every reference form Tekton has', () => {
    assert.equal(paramRef('params.x'), 'x');
    assert.equal(paramRef('params.x[*]'), 'x');
    assert.equal(paramRef('params.obj.key'), 'obj');
    assert.equal(paramRef('params["dotted.name"]'), 'dotted.name');
    assert.equal(paramRef("params['x']"), 'x');
    assert.equal(paramRef('tt.params.x', 'tt.params'), 'x');
    assert.equal(paramRef('context.taskRun.name'), undefined);
    assert.equal(paramRef('paramsx'), undefined);
  });
});
