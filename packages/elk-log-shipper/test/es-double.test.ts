// The Elasticsearch double's own shortcuts (a fast path for plain create actions, filtered
// responses serialized once per item shape) must answer exactly as its general path does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EsDouble, filterPath, filteredBulkResponse } from './doubles/es-double.ts';

const items = [
  { create: { _index: '.ds-a', _id: 'x1', _version: 1, result: 'created', _shards: { total: 2, successful: 1, failed: 0 }, _seq_no: 0, _primary_term: 1, status: 201 } },
  { create: { _index: '.ds-a', _id: 'x2', _version: 1, result: 'created', _shards: { total: 2, successful: 1, failed: 0 }, _seq_no: 1, _primary_term: 1, status: 201 } },
  { create: { _index: '.ds-a', _id: 'x3', status: 409, error: { type: 'version_conflict_engine_exception', reason: '[x3]: version conflict' } } },
  { index: { _index: 'b', _id: 'x4', _version: 2, result: 'updated', _shards: { total: 2, successful: 1, failed: 0 }, _seq_no: 2, _primary_term: 1, status: 200 } },
  { create: { _index: '.ds-a', _id: 'x5', status: 429, error: { type: 'es_rejected_execution_exception', reason: 'rejected' } } },
  { create: { _index: '.ds-a', _id: 'x6', _version: 1, result: 'created', _shards: { total: 2, successful: 1, failed: 0 }, _seq_no: 3, _primary_term: 1, status: 201 } },
];

test('filtered bulk responses equal filter_path applied to the whole response', () => {
  const filters = ['errors,items.*.status,items.*.error', 'items.*._id', 'items.*._seq_no,errors', 'errors', 'took', '*', 'items', 'items.create.status', 'items.index.status', 'items.*.error.type', 'nothing.here'];
  for (const filter of filters) {
    for (const subset of [items, items.slice(0, 2), items.slice(2, 3), []]) {
      // Twice: the second answer comes from what the first cached.
      for (let round = 0; round < 2; round++) {
        const want = JSON.stringify(filterPath({ errors: true, took: 7, items: subset }, filter));
        assert.equal(filteredBulkResponse(true, 7, subset, filter), want, `${filter} on ${subset.length} items`);
      }
    }
  }
});

test('create actions read by the fast path give the same ids as JSON.parse, other forms still parse', async () => {
  await using es = await new EsDouble().start();
  const lines = [
    '{"create":{"_id":"plain-1"}}', '{"@timestamp":"2024-05-01T10:00:00.000Z","message":"a"}',
    '{"create":{"_id":"with \\"quote\\""}}', '{"@timestamp":"2024-05-01T10:00:00.000Z","message":"b"}',
    '{"create":{"_id":"caf\u00e9"}}', '{"@timestamp":"2024-05-01T10:00:00.000Z","message":"c"}',
    '{ "create" : { "_id" : "spaced" } }', '{"@timestamp":"2024-05-01T10:00:00.000Z","message":"d"}',
    '{"create":{"_index":"logs-steg.other","_id":"other-1"}}', '{"@timestamp":"2024-05-01T10:00:00.000Z","message":"e"}',
    '{"create":{"_id":"plain-2"}}', '{"message":"no timestamp"}',
  ];
  const res = await fetch(`${es.url}/logs-steg.fast/_bulk`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: `${lines.join('\n')}\n` });
  const body = (await res.json()) as { errors: boolean; items: { create: { _id: string; status: number } }[] };
  assert.equal(res.status, 200);
  assert.deepEqual(body.items.map((i) => [i.create._id, i.create.status]), [
    ['plain-1', 201], ['with "quote"', 201], ['caf\u00e9', 201], ['spaced', 201], ['other-1', 201], ['plain-2', 201],
  ]);
  assert.deepEqual(es.bulks[0]?.ids, ['plain-1', 'with "quote"', 'caf\u00e9', 'spaced', 'other-1', 'plain-2']);
  assert.deepEqual([...es.docs('logs-steg.other').keys()], ['other-1']);
  assert.equal(JSON.parse(es.docs('logs-steg.fast').get('plain-1') ?? '{}').message, 'a');

  const bad = await fetch(`${es.url}/logs-steg.fast/_bulk`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: '{"create":{"_id":"x"}\n{}\n' });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /x_content_parse_exception/);
});

test('benchmark mode (documents counted, not stored) still refuses a data stream document without @timestamp', async () => {
  await using es = await new EsDouble({ store: false }).start();
  await fetch(`${es.url}/_index_template/t`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ index_patterns: ['logs-*'], data_stream: {} }) });
  const body = '{"create":{"_id":"a"}}\n{"@timestamp":"2024-05-01T10:00:00.000Z"}\n{"create":{"_id":"b"}}\n{"message":"x","t":"\\"@timestamp\\""}\n{"create":{"_id":"c"}}\n{"message":"y","@timestamp":"2024-05-01T10:00:00.000Z"}\n';
  const res = await fetch(`${es.url}/logs-steg.count/_bulk?filter_path=errors,items.*.status`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
  assert.deepEqual(await res.json(), { errors: true, items: [{ create: { status: 201 } }, { create: { status: 400 } }, { create: { status: 201 } }] });
  assert.equal(es.indices.get('logs-steg.count')?.count, 2);
  // Now that the data stream exists, its creates are counted without items built: the same answers.
  const again = await fetch(`${es.url}/logs-steg.count/_bulk?filter_path=errors,items.*.status,items.*.error.type`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: `${body}{"index":{"_id":"d"}}\n{"@timestamp":"2024-05-01T10:00:00.000Z"}\n` });
  assert.deepEqual(await again.json(), {
    errors: true,
    items: [
      { create: { status: 201 } }, { create: { status: 400, error: { type: 'document_parsing_exception' } } }, { create: { status: 201 } },
      { index: { status: 400, error: { type: 'illegal_argument_exception' } } },
    ],
  });
  assert.equal(es.indices.get('logs-steg.count')?.count, 4);
  // A filter that keeps the id: every item is built.
  const ids = await fetch(`${es.url}/logs-steg.count/_bulk?filter_path=items.*._id`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
  assert.deepEqual(await ids.json(), { items: [{ create: { _id: 'a' } }, { create: { _id: 'b' } }, { create: { _id: 'c' } }] });
});
