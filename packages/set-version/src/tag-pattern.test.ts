import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compilePattern, patternProblem } from './tag-pattern.ts';

describe('tag patterns', () => {
  it('matches v{version} and ignores tags that are not strict semver', () => {
    const p = compilePattern('v{version}');
    assert.equal(p.refGlob, 'refs/tags/v*');
    assert.equal(p.parse('v1.2.3'), '1.2.3');
    assert.equal(p.parse('v1.2.3-rc.1'), '1.2.3-rc.1');
    assert.equal(p.parse('v1.2'), undefined);
    assert.equal(p.parse('v01.2.3'), undefined);
    assert.equal(p.parse('vnext'), undefined);
    assert.equal(p.parse('1.2.3'), undefined);
    assert.equal(p.format('2.0.0'), 'v2.0.0');
  });
  it('fills {name} for monorepo patterns', () => {
    const at = compilePattern('{name}@{version}', 'api');
    assert.equal(at.refGlob, 'refs/tags/api@*');
    assert.equal(at.parse('api@1.0.0'), '1.0.0');
    assert.equal(at.parse('web@1.0.0'), undefined);
    const slash = compilePattern('{name}/v{version}', 'web');
    assert.equal(slash.parse('web/v2.1.0'), '2.1.0');
    assert.equal(slash.format('2.2.0'), 'web/v2.2.0');
  });
  it('explains bad patterns', () => {
    assert.match(patternProblem('release', '') ?? '', /\{version\}/);
    assert.match(patternProblem('{version}-{version}', '') ?? '', /exactly once/);
    assert.match(patternProblem('{name}@{version}', '') ?? '', /name/);
    assert.match(patternProblem('v*{version}', '') ?? '', /valid in a git tag/);
    assert.equal(patternProblem('v{version}', ''), undefined);
  });
});
