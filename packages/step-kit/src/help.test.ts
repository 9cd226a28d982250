import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderParamsTable, renderResultsTable } from './help.ts';
import { param } from './params.ts';
import { defineStep } from './step.ts';

const step = defineStep({
  name: 't',
  description: 'd',
  params: {
    wait: param.duration({ description: 'how long | at most', default: '90s' }),
    url: param.url({ description: 'where', required: true }),
    key: param.secret({ description: 'the key' }),
  },
  results: { out: { description: 'the out', type: 'json' } },
  run: async () => undefined,
});

test('the README param table comes from the declaration', () => {
  assert.equal(
    renderParamsTable(step),
    [
      '| param | type | default | env | description |',
      '| --- | --- | --- | --- | --- |',
      '| `--wait` | duration | `1m30s` | `STEG_WAIT` | how long \\| at most |',
      '| `--url` | url | *required* | `STEG_URL` | where |',
      '| `--key-file` | secret |  | `STEG_KEY`, `STEG_KEY_FILE` | the key |',
    ].join('\n'),
  );
  assert.equal(renderResultsTable(step), '| result | description |\n| --- | --- |\n| `out` | the out (JSON) |');
});

test('declarations refuse names that are not kebab-case or that step-kit reserves', () => {
  const base = { name: 'x', description: 'x', results: {}, run: async () => undefined };
  assert.throws(() => defineStep({ ...base, params: { Bad_Name: param.string({ description: 'x' }) } }), /kebab-case/);
  assert.throws(() => defineStep({ ...base, params: { deadline: param.string({ description: 'x' }) } }), /reserved/);
});
