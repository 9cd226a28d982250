import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testdir } from '@steg/test-support';
import { editGradleProperties, editPackageJson, editPackageLock, editPom, jsonStringRange, planVersionEdits, VersionFileError } from './version-files.ts';

const pkg = `{
  "name": "app",
    "version":   "1.0.0",
  "dependencies": { "x": { "version": "9.9.9" } },
  "tab":\t"keep"
}
`;

describe('version files', () => {
  it('finds JSON string values by key path only at that path', () => {
    assert.ok(jsonStringRange(pkg, ['version']));
    assert.equal(jsonStringRange('{"a":{"version":"1"}}', ['version']), undefined);
    assert.ok(jsonStringRange('{"a":{"version":"1"}}', ['a', 'version']));
  });
  it('sets package.json version keeping its formatting', () => {
    assert.equal(editPackageJson(pkg, '1.4.0'), pkg.replace('"1.0.0"', '"1.4.0"'));
    assert.throws(() => editPackageJson('{"name":"x"}', '1.0.0'), VersionFileError);
    assert.throws(() => editPackageJson('{oops', '1.0.0'), /not valid JSON/);
  });
  it('sets the root version and packages[""] in package-lock.json, not the dependencies', () => {
    const lock = JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, packages: { '': { name: 'app', version: '1.0.0' }, 'node_modules/x': { version: '1.0.0' } } }, null, 2);
    const out = JSON.parse(editPackageLock(lock, '2.0.0'));
    assert.equal(out.version, '2.0.0');
    assert.equal(out.packages[''].version, '2.0.0');
    assert.equal(out.packages['node_modules/x'].version, '1.0.0');
  });
  it('sets the project version in pom.xml, never the parent or a dependency', () => {
    const pom = `<?xml version="1.0"?>
<project>
  <!-- <version>0.0.0</version> in a comment -->
  <parent><groupId>g</groupId><version>5.0.0</version></parent>
  <artifactId>app</artifactId>
  <version>1.0.0-SNAPSHOT</version>
  <dependencies><dependency><version>3.1</version></dependency></dependencies>
</project>
`;
    assert.equal(editPom(pom, '1.4.0'), pom.replace('1.0.0-SNAPSHOT', '1.4.0'));
    assert.throws(() => editPom('<project><parent><version>1</version></parent></project>', '1.0.0'), /inherits the parent/);
  });
  it('sets gradle.properties version, adding it when absent', () => {
    assert.equal(editGradleProperties('# c\nversion = 1.0.0\ngroup=x\n', '2.0.0'), '# c\nversion = 2.0.0\ngroup=x\n');
    assert.equal(editGradleProperties('group=x', '2.0.0'), 'group=x\nversion=2.0.0\n');
  });
  it('plans all edits before writing anything, and refuses unknown files and missing YAML paths', () => {
    using d = testdir({
      'package.json': pkg,
      'package-lock.json': { name: 'app', version: '1.0.0', packages: { '': { version: '1.0.0' } } },
      'charts/app/Chart.yaml': '# chart\napiVersion: v2\nname: app\nversion: 0.1.0 # chart version\nappVersion: "0.1.0"\n',
      'deploy/values.yaml': 'image:\n  tag: old # here\n',
    });
    const edits = planVersionEdits(d.path, ['package.json', 'charts/app/Chart.yaml', 'VERSION'], ['deploy/values.yaml:image.tag'], '1.4.0');
    const byName = Object.fromEntries(edits.map((e) => [e.file.slice(d.path.length + 1), e.after]));
    assert.deepEqual(Object.keys(byName).sort(), ['VERSION', 'charts/app/Chart.yaml', 'deploy/values.yaml', 'package-lock.json', 'package.json']);
    assert.equal(byName['charts/app/Chart.yaml'], '# chart\napiVersion: v2\nname: app\nversion: 1.4.0 # chart version\nappVersion: "1.4.0"\n');
    assert.equal(byName['deploy/values.yaml'], 'image:\n  tag: 1.4.0 # here\n');
    assert.equal(byName.VERSION, '1.4.0\n');
    assert.throws(() => planVersionEdits(d.path, ['setup.py'], [], '1.0.0'), /unknown kind of version file/);
    assert.throws(() => planVersionEdits(d.path, [], ['deploy/values.yaml:image.missing'], '1.0.0'), /has no image.missing/);
    assert.throws(() => planVersionEdits(d.path, ['nope/package.json'], [], '1.0.0'), /does not exist/);
  });
});
