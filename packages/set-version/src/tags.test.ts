import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compilePattern } from './tag-pattern.ts';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { highestReleases, packedRefsText, packedTagCommit, releaseTags, tagsFromPacked } from './tags.ts';
import type { ReleaseTag } from './tags.ts';
import type { TagPattern } from './tag-pattern.ts';

const packedTags = (dir: string, p: TagPattern): Map<string, string> | undefined => {
  const text = packedRefsText(dir);
  return text === undefined ? undefined : tagsFromPacked(text, p);
};

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

  const sha = (c: string): string => c.repeat(40);
  // Without "sorted": the body below is not in refname order.
  const header = '# pack-refs with: peeled fully-peeled \n';
  // Unsorted on purpose, with non-semver, prerelease, unpeeled (lightweight) and peeled tags.
  const body = [
    `${sha('a')} refs/heads/main`,
    `${sha('1')} refs/tags/v1.9.0`,
    `^${sha('b')}`,
    `${sha('2')} refs/tags/v1.10.0`,
    `^${sha('c')}`,
    `${sha('d')} refs/tags/v1.10.1`,
    `${sha('3')} refs/tags/v2.0.0-rc.1`,
    `^${sha('e')}`,
    `${sha('4')} refs/tags/v01.2.3`,
    `${sha('5')} refs/tags/vnext`,
    `${sha('6')} refs/tags/v1.2`,
    `${sha('7')} refs/tags/api/v9.0.0`,
    `${sha('8')} refs/remotes/origin/v9.9.9`,
    `^${sha('f')}`,
  ].join('\n');
  const v = compilePattern('v{version}');
  // Names with commits; every tag's version must be the one in its name.
  const names = (tags: ReleaseTag[]): string[] =>
    tags.map((t) => {
      assert.ok(['v', 'api@', 'api/v'].some((b) => t.name === `${b}${t.version}` || t.name === `${b}${t.version}-app`), `${t.name} ${t.version}`);
      return `${t.name}@${t.commit[0]}`;
    });
  // What the general path would say: the full list up to and including the first tag not on head.
  const reference = (text: string, p: TagPattern, head: string): string[] => {
    const all = releaseTags(tagsFromPacked(text, p), p);
    const i = all.findIndex((t) => t.commit !== head);
    return names(i < 0 ? all : all.slice(0, i + 1));
  };

  it('finds the highest release tags in packed-refs as the sorted list has them, with or without a trailing newline', () => {
    for (const text of [header + body, `${header + body}\n`]) {
      assert.deepEqual(names(highestReleases(text, v, sha('9'))), ['v1.10.1@d']);
      assert.deepEqual(highestReleases(text, v, sha('9'))[0], { name: 'v1.10.1', version: '1.10.1', commit: sha('d') });
      // The highest is on HEAD: it comes first, then the highest one elsewhere (peeled).
      assert.deepEqual(names(highestReleases(text, v, sha('d'))), ['v1.10.1@d', 'v1.10.0@c']);
      // A lower tag on HEAD is not part of the list's head.
      assert.deepEqual(names(highestReleases(text, v, sha('b'))), ['v1.10.1@d']);
      for (const head of [sha('9'), sha('d'), sha('b'), sha('c')]) assert.deepEqual(names(highestReleases(text, v, head)), reference(text, v, head));
      // Other patterns: a monorepo component's tags only.
      const api = compilePattern('{name}/v{version}', 'api');
      assert.deepEqual(names(highestReleases(text, api, sha('9'))), ['api/v9.0.0@7']);
    }
  });

  it('finds every release tag on HEAD when there is none elsewhere, and none in a file without release tags', () => {
    const text = `${header}${sha('1')} refs/tags/v1.0.0\n^${sha('c')}\n${sha('c')} refs/tags/v1.0.10\n${sha('c')} refs/tags/v1.0.9\n${sha('2')} refs/tags/v2.0.0-rc.1\n^${sha('e')}\n`;
    assert.deepEqual(names(highestReleases(text, v, sha('c'))), ['v1.0.10@c', 'v1.0.9@c', 'v1.0.0@c']);
    assert.deepEqual(names(highestReleases(text, v, sha('c'))), reference(text, v, sha('c')));
    assert.deepEqual(highestReleases(`${header}${sha('1')} refs/tags/vnext\n`, v, sha('c')), []);
    assert.deepEqual(highestReleases('', v, sha('c')), []);
    // A "^" line is never a ref, and a name is the whole rest of its line.
    assert.deepEqual(highestReleases(`${header}^${sha('1')} refs/tags/v3.0.0\n${sha('2')} refs/tags/v3.0.0 x\n${sha('3')} refs/tags/v3.0.0x\n`, v, sha('c')), []);
  });

  it('orders numbers of any length numerically', () => {
    const text = `${header}${sha('1')} refs/tags/v9.0.0\n${sha('2')} refs/tags/v12345678901234567890.0.0\n${sha('3')} refs/tags/v10.0.0\n`;
    assert.deepEqual(names(highestReleases(text, v, sha('c'))), ['v12345678901234567890.0.0@2']);
  });

  it('looks a tag up by name in packed-refs as the map of all tags has it', () => {
    const text = header + body;
    const map = tagsFromPacked(text, v);
    for (const name of ['v1.9.0', 'v1.10.0', 'v1.10.1', 'v2.0.0-rc.1', 'vnext', 'v1.2', 'v1.10', 'v1.0.0', 'main']) {
      assert.equal(packedTagCommit(text, name), map.get(name), name);
    }
    assert.equal(packedTagCommit(text, 'v1.9.0'), sha('b'));
    assert.equal(packedTagCommit(text, 'v1.10.1'), sha('d'));
    assert.equal(packedTagCommit(`${text}\n`, 'v1.10.1'), sha('d'));
    // A ref elsewhere or a peeled line that looks like the name is not the tag.
    assert.equal(packedTagCommit(text, 'origin/v9.9.9'), undefined);
    assert.equal(packedTagCommit(`${header}^x refs/tags/v5.0.0\n`, 'v5.0.0'), undefined);
    assert.equal(packedTagCommit('', 'v1.0.0'), undefined);
  });

  it('finds the same tags through the runs of a sorted file as through every line, and falls back when the file is not sorted after all', () => {
    // A small deterministic generator: versions in several majors and minors, with prereleases,
    // leading zeros, other patterns' tags, lightweight and annotated tags, some on HEAD.
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const patterns = [compilePattern('v{version}'), compilePattern('{name}@{version}', 'api'), compilePattern('v{version}-app')];
    for (let round = 0; round < 60; round++) {
      const refs = new Map<string, [string, string | undefined]>();
      const count = 1 + rand(40);
      for (let i = 0; i < count; i++) {
        const n = (): string => String([0, 1, 2, 9, 10, 11, 99, 100][rand(8)]);
        const version = `${n()}.${n()}.${n()}${['', '', '', '-rc.1', '.0'][rand(5)]}`;
        const name = [`v${version}`, `api@${version}`, `v${version}-app`, `v0${version}`, `x${version}`][rand(5)] as string;
        const commit = sha('0123456789abcdef'[rand(16)] as string);
        refs.set(name, rand(2) === 0 ? [commit, undefined] : [sha('f'), commit]);
      }
      const head = sha('0123456789abcdef'[rand(16)] as string);
      const lines = (names: string[]): string => names.map((n) => { const [id, peeled] = refs.get(n) as [string, string | undefined]; return `${id} refs/tags/${n}\n${peeled ? `^${peeled}\n` : ''}`; }).join('');
      // JavaScript's string order is git's byte order for these ASCII names.
      const sorted = `# pack-refs with: peeled fully-peeled sorted \n${sha('a')} refs/heads/main\n${lines([...refs.keys()].sort())}`;
      const unsorted = `${header}${lines([...refs.keys()])}${sha('a')} refs/heads/main\n`;
      for (const p of patterns) {
        for (const h of [head, sha('9')]) {
          assert.deepEqual(names(highestReleases(sorted, p, h)), reference(sorted, p, h), `${p.source} ${sorted}`);
          assert.deepEqual(names(highestReleases(unsorted, p, h)), reference(unsorted, p, h), `${p.source} ${unsorted}`);
        }
      }
    }
    // A file that says "sorted" but is not: split runs of a major are noticed.
    const lying = `# pack-refs with: peeled fully-peeled sorted \n${sha('1')} refs/tags/v2.0.0\n${sha('2')} refs/tags/v1.0.0\n${sha('3')} refs/tags/v2.1.0\n`;
    assert.deepEqual(names(highestReleases(lying, v, sha('9'))), ['v2.1.0@3']);
  });
});
