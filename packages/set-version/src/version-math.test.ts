import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bumpVersion, compareRelease, diffRelease, imageTagFor, incRelease, isRelease, sanitizeChannel } from './version-math.ts';

describe('version math', () => {
  it('bumps releases', () => {
    assert.equal(bumpVersion('1.3.7', 'patch'), '1.3.8');
    assert.equal(bumpVersion('1.3.7', 'minor'), '1.4.0');
    assert.equal(bumpVersion('1.3.7', 'major'), '2.0.0');
    assert.equal(bumpVersion('1.3.7', 'none'), '1.3.7');
  });
  it('bumps a breaking change below 1.0.0 as minor unless configured', () => {
    assert.equal(bumpVersion('0.4.2', 'major'), '0.5.0');
    assert.equal(bumpVersion('0.4.2', 'major', 'major'), '1.0.0');
  });
  it('accepts exactly the release versions semver accepts unchanged, and compares, diffs and raises them', () => {
    for (const v of ['0.0.0', '1.2.3', '10.20.30', `${Number.MAX_SAFE_INTEGER}.0.0`]) assert.ok(isRelease(v), v);
    for (const v of ['v1.2.3', ' 1.2.3', '1.2', '01.2.3', '1.2.3-rc.1', '1.2.3+b', `${Number.MAX_SAFE_INTEGER + 2}.0.0`, `1.2.${'1'.repeat(254)}`]) assert.ok(!isRelease(v), v);
    assert.ok(compareRelease('1.10.0', '1.9.9') > 0);
    assert.equal(compareRelease('2.0.0', '2.0.0'), 0);
    assert.throws(() => compareRelease('1.2', '1.2.0'), TypeError);
    assert.equal(diffRelease('1.2.3', '1.3.0'), 'minor');
    assert.equal(diffRelease('1.2.3', '1.2.3'), null);
    assert.equal(incRelease('1.2.3', 'patch'), '1.2.4');
    assert.equal(incRelease('1.2.3-rc.1', 'patch'), undefined);
    assert.throws(() => bumpVersion('1.2', 'minor'), /cannot bump/);
  });
  it('sanitises branch names into prerelease identifiers', () => {
    assert.equal(sanitizeChannel('feature/Login'), 'feature-login');
    assert.equal(sanitizeChannel('refs/heads/fix/JIRA-12_crash!!'), 'fix-jira-12-crash');
    assert.equal(sanitizeChannel('0123'), 'b0123');
    assert.equal(sanitizeChannel('___'), '');
    assert.ok(sanitizeChannel('x'.repeat(100)).length <= 40);
  });
  it('makes OCI-safe image tags', () => {
    assert.equal(imageTagFor('1.4.0+sha.abc1234'), '1.4.0_sha.abc1234');
    assert.equal(imageTagFor('1.4.0-mr.42.3'), '1.4.0-mr.42.3');
    assert.match(imageTagFor('1.4.0-feature-login.5'), /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/);
  });
});
