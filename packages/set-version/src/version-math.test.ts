import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bumpVersion, imageTagFor, sanitizeChannel } from './version-math.ts';

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
