import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getKustomizeImage, parseYamlPath, setKustomizeImage, setYamlPath, YamlEditError } from './yaml-edit.ts';

const values = `# Helm values
replicaCount: 1
image:
  repository: nexus.example.com/app # the Nexus proxy
  # the tag Argo CD deploys
  tag: "1.0.0"
containers:
  - name: a
    image: x:1
`;

describe('YAML edits', () => {
  it('parses paths with dots, indexes and quoted keys', () => {
    assert.deepEqual(parseYamlPath('image.tag'), ['image', 'tag']);
    assert.deepEqual(parseYamlPath('spec.containers[0].image'), ['spec', 'containers', 0, 'image']);
    assert.deepEqual(parseYamlPath('a["b.c"].d'), ['a', 'b.c', 'd']);
    assert.throws(() => parseYamlPath('a..b'), YamlEditError);
    assert.throws(() => parseYamlPath(''), YamlEditError);
  });
  it('sets a value keeping comments, quotes and the other lines', () => {
    const out = setYamlPath(values, ['image', 'tag'], '1.4.0', 'values.yaml');
    assert.equal(out, values.replace('tag: "1.0.0"', 'tag: "1.4.0"'));
    const out2 = setYamlPath(values, ['containers', 0, 'image'], 'x:2', 'values.yaml');
    assert.equal(out2, values.replace('image: x:1', 'image: x:2'));
  });
  it('returns the same text when the value is already there', () => {
    assert.equal(setYamlPath(values, ['image', 'tag'], '1.0.0', 'values.yaml'), values);
  });
  it('refuses a path that does not exist or is not a scalar', () => {
    assert.throws(() => setYamlPath(values, ['image', 'version'], '1', 'values.yaml'), /values.yaml has no image.version/);
    assert.throws(() => setYamlPath(values, ['image'], '1', 'values.yaml'), /is a map/);
    assert.throws(() => setYamlPath('a: [', ['a'], '1', 'bad.yaml'), /not valid YAML/);
  });
  it('sets kustomize images[].newTag and digest, adding the entry when absent', () => {
    const k = `# overlay\nimages:\n  - name: reg/app\n    newTag: "1.0.0" # set by the pipeline\n  - name: reg/other\n    newTag: "9"\n`;
    const out = setKustomizeImage(k, 'reg/app', { tag: '1.1.0' }, 'k.yaml');
    assert.equal(out, k.replace('"1.0.0"', '"1.1.0"'));
    assert.equal(setKustomizeImage(out, 'reg/app', { tag: '1.1.0' }, 'k.yaml'), out);
    const withDigest = setKustomizeImage(out, 'reg/app', { digest: `sha256:${'a'.repeat(64)}` }, 'k.yaml');
    assert.deepEqual(getKustomizeImage(withDigest, 'reg/app', 'k.yaml'), { newTag: '1.1.0', digest: `sha256:${'a'.repeat(64)}` });
    const added = setKustomizeImage('resources: [../base]\n', 'reg/new', { tag: '2.0.0' }, 'k.yaml');
    assert.deepEqual(getKustomizeImage(added, 'reg/new', 'k.yaml'), { newTag: '2.0.0' });
  });
});
