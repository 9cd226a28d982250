import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexTemplate, isDataStreamName, nestProperties, templatePattern } from './template.ts';

test('nests dotted field names into mapping properties', () => {
  assert.deepEqual(nestProperties({ 'a.b': { type: 'keyword' }, 'a.c': { type: 'long' }, d: { type: 'text' } }), {
    a: { properties: { b: { type: 'keyword' }, c: { type: 'long' } } },
    d: { type: 'text' },
  });
});

test('makes a data stream template for logs-*-* names and a plain one otherwise', () => {
  assert.equal(isDataStreamName('logs-steg.build-default'), true);
  assert.equal(templatePattern('logs-steg.build-default'), 'logs-steg.build-*');
  assert.ok('data_stream' in indexTemplate('logs-steg.build-default'));
  assert.equal(isDataStreamName('build-logs'), false);
  assert.ok(!('data_stream' in indexTemplate('build-logs')));
});
