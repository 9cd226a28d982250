import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { commitBump, commitsBump } from './conventional.ts';

describe('Conventional Commits', () => {
  it('reads feat as minor, fix and perf as patch, others as none', () => {
    assert.equal(commitBump('feat: add login'), 'minor');
    assert.equal(commitBump('feat(ui): add login'), 'minor');
    assert.equal(commitBump('fix: crash'), 'patch');
    assert.equal(commitBump('perf(db): faster'), 'patch');
    assert.equal(commitBump('chore: deps'), 'none');
    assert.equal(commitBump('docs: readme'), 'none');
    assert.equal(commitBump('Merge branch x'), 'none');
    assert.equal(commitBump('feature: not a type we know'), 'none');
    assert.equal(commitBump('featx add'), 'none');
  });
  it('reads ! and BREAKING CHANGE footers as major', () => {
    assert.equal(commitBump('feat!: drop v1 API'), 'major');
    assert.equal(commitBump('refactor(api)!: rename'), 'major');
    assert.equal(commitBump('fix: x\n\nBREAKING CHANGE: the config moved'), 'major');
    assert.equal(commitBump('chore: x\n\nBREAKING-CHANGE: gone'), 'major');
    assert.equal(commitBump('fix: mention breaking change in text'), 'patch');
  });
  it('takes the largest bump of many commits', () => {
    assert.equal(commitsBump(['chore: a', 'fix: b', 'feat: c']), 'minor');
    assert.equal(commitsBump(['chore: a']), 'none');
    assert.equal(commitsBump([]), 'none');
    assert.equal(commitsBump(['fix: a', 'feat!: b', 'feat: c']), 'major');
  });
});
