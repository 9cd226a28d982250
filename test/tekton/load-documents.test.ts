import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocuments } from './load-documents.ts';

describe('parseDocuments', () => {
  it('reads every document, skips empty ones and names each kind/name', () => {
    const { docs, problems } = parseDocuments('---\nkind: Task\nmetadata: {name: a}\n---\n---\nkind: ConfigMap\n', 'x.yaml');
    assert.deepEqual(problems, []);
    assert.deepEqual(docs.map((d) => [d.index, d.resource]), [[0, 'Task/a'], [2, 'ConfigMap/(document 3)']]);
  });

  it('reports a document that is not a mapping', () => {
    const { problems } = parseDocuments('kind: Task\n---\n- a\n- b\n', 'x.yaml');
    assert.deepEqual(problems.map((p) => [p.resource, p.rule]), [['document 2', 'yaml-parse']]);
  });

  it('finds the line of a path, or of its nearest existing parent', () => {
    const { docs } = parseDocuments('kind: Task\nspec:\n  steps:\n    - name: a\n      image: x\n', 'x.yaml');
    const doc = docs[0];
    assert.ok(doc);
    assert.equal(doc.lineOf(['spec', 'steps', 0, 'image']), 5);
    assert.equal(doc.lineOf(['spec', 'steps', 0, 'command']), 4);
  });
});
