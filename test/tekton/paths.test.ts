import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { schemasDir } from './paths.ts';

describe('schemasDir', () => {
  it('is ../shared/tekton-schemas beside the repository', () => {
    assert.equal(schemasDir({}, '/ci/clone/steg'), resolve('/ci/clone/shared/tekton-schemas'));
  });

  it('follows STEG_TEKTON_SCHEMAS', () => {
    assert.equal(schemasDir({ STEG_TEKTON_SCHEMAS: '/opt/schemas' }, '/ci/clone/steg'), '/opt/schemas');
  });
});
