import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveImage, unpinnedReason } from './image-ref.ts';

describe('unpinnedReason', () => {
  it('accepts a tag or a digest', () => {
    assert.equal(unpinnedReason('registry.example.com/steg/set-version:0.1.0'), undefined);
    assert.equal(unpinnedReason(`registry.example.com:5000/steg/set-version@sha256:${'0'.repeat(64)}`), undefined);
    assert.equal(unpinnedReason(`steg/set-version:latest@sha256:${'0'.repeat(64)}`), undefined);
  });

  it('refuses latest, no tag, an empty tag and a malformed digest', () => {
    assert.equal(unpinnedReason('steg/set-version:latest'), 'uses the tag latest');
    assert.equal(unpinnedReason('steg/set-version'), 'has no tag or digest');
    // A registry port is not a tag.
    assert.equal(unpinnedReason('registry.example.com:5000/steg/set-version'), 'has no tag or digest');
    assert.equal(unpinnedReason('steg/set-version:'), 'has an empty tag');
    assert.match(unpinnedReason('steg/set-version@sha256:abc') ?? '', /malformed digest/);
  });
});

describe('resolveImage', () => {
  it('replaces params with their defaults and lists what it cannot resolve', () => {
    const defaults = new Map([['registry', 'nexus.example.com'], ['tag', '1.2.3']]);
    assert.deepEqual(resolveImage('$(params.registry)/steg/x:$(params.tag)', defaults), { image: 'nexus.example.com/steg/x:1.2.3', unresolved: [] });
    assert.deepEqual(resolveImage('$(params.other)/steg/x:$(context.taskRun.name)', defaults), {
      image: '$(params.other)/steg/x:$(context.taskRun.name)',
      unresolved: ['$(params.other)', '$(context.taskRun.name)'],
    });
  });
});
