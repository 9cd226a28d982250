import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compilePattern } from './tag-pattern.ts';
import { releaseTags } from './tags.ts';

describe('release tags', () => {
  it('keeps strict release versions only, highest first (numerically)', () => {
    const tags = releaseTags(
      [
        ['v1.9.0', 'a'],
        ['v1.10.0', 'b'],
        ['v10.0.0', 'c'],
        ['v9.99.99', 'd'],
        ['v2.0.0-rc.1', 'e'],
        ['v1.2', 'f'],
        ['v01.2.3', 'g'],
        ['v1.2.3+build', 'h'],
        ['vnext', 'i'],
      ],
      compilePattern('v{version}'),
    );
    assert.deepEqual(tags.map((t) => t.name), ['v10.0.0', 'v9.99.99', 'v1.10.0', 'v1.9.0']);
  });
});
