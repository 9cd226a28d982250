import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compilePattern } from './tag-pattern.ts';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packedTags, releaseTags } from './tags.ts';

describe('release tags', () => {
  it('keeps strict release versions only, highest first (numerically)', () => {
    const tags = releaseTags(
      new Map([
        ['v1.9.0', 'a'],
        ['v1.10.0', 'b'],
        ['v10.0.0', 'c'],
        ['v9.99.99', 'd'],
        ['v2.0.0-rc.1', 'e'],
        ['v1.2', 'f'],
        ['v01.2.3', 'g'],
        ['v1.2.3+build', 'h'],
        ['vnext', 'i'],
      ]),
      compilePattern('v{version}'),
    );
    assert.deepEqual(tags.map((t) => t.name), ['v10.0.0', 'v9.99.99', 'v1.10.0', 'v1.9.0']);
    assert.deepEqual(tags[0], { name: 'v10.0.0', version: '10.0.0', commit: 'c' });
    // Parts of 1024 and more take the general sort.
    const big = releaseTags(new Map([['v1.2048.0', 'a'], ['v1.999.0', 'b'], ['v12345678901234567890.0.0', 'c'], ['v2.0.0', 'd']]), compilePattern('v{version}'));
    assert.deepEqual(big.map((t) => t.name), ['v12345678901234567890.0.0', 'v2.0.0', 'v1.2048.0', 'v1.999.0']);
  });

  it('reads peeled tags from packed-refs, and leaves loose tags, reftable and unpeeled files to git', () => {
    const dir = mkdtempSync(join(tmpdir(), 'steg-packed-'));
    try {
      const a = 'a'.repeat(40);
      const c = 'c'.repeat(40);
      const header = '# pack-refs with: peeled fully-peeled sorted \n';
      const body = `${a} refs/heads/main\n${'1'.repeat(40)} refs/tags/v1.0.0\n^${c}\n${'2'.repeat(40)} refs/tags/v1.1.0\n${'3'.repeat(40)} refs/tags/other\n^${a}\n`;
      mkdirSync(join(dir, 'refs', 'tags', 'api'), { recursive: true });
      writeFileSync(join(dir, 'packed-refs'), header + body);
      const p = compilePattern('v{version}');
      assert.deepEqual([...(packedTags(dir, p) ?? [])], [['v1.0.0', c], ['v1.1.0', '2'.repeat(40)]]);
      writeFileSync(join(dir, 'packed-refs'), body);
      assert.equal(packedTags(dir, p), undefined);
      writeFileSync(join(dir, 'packed-refs'), header + body);
      writeFileSync(join(dir, 'refs', 'tags', 'api', 'v2.0.0'), `${a}\n`);
      assert.equal(packedTags(dir, p), undefined);
      rmSync(join(dir, 'refs', 'tags', 'api', 'v2.0.0'));
      mkdirSync(join(dir, 'reftable'));
      assert.equal(packedTags(dir, p), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
