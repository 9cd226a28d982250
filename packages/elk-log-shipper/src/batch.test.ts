import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Batch } from './batch.ts';

const docs = [
  { id: 'a-0', json: '{"message":"plain"}' },
  { id: 'a-1', json: '{"message":"Grüße, 日本, 🚀"}', index: 'logs-old-default' },
  { id: 'a-2', json: '{"message":"three"}', fromSpool: true },
];

function filled(capacity?: number): Batch {
  const b = new Batch(capacity);
  for (const d of docs) b.add(d);
  return b;
}

test('the bulk body is a create action and the document per item, UTF-8, newline-terminated', () => {
  const body = filled().bulk().toString('utf8');
  assert.equal(
    body,
    '{"create":{"_id":"a-0"}}\n{"message":"plain"}\n' +
      '{"create":{"_index":"logs-old-default","_id":"a-1"}}\n{"message":"Grüße, 日本, 🚀"}\n' +
      '{"create":{"_id":"a-2"}}\n{"message":"three"}\n',
  );
});

test('grows past its first capacity without losing bytes', () => {
  const small = filled(8);
  assert.equal(small.bulk().toString('utf8'), filled().bulk().toString('utf8'));
  assert.equal(small.byteLength, Buffer.byteLength(small.bulk()));
});

test('gives each document back as bytes and as an item', () => {
  const b = filled();
  assert.equal(b.length, 3);
  assert.equal(b.doc(1).toString('utf8'), docs[1]?.json);
  assert.deepEqual(b.item(1), docs[1]);
  assert.deepEqual(b.item(2), docs[2]);
});

test('events() adds event.id to each document for targets without action lines', () => {
  const lines = filled().events().toString('utf8').split('\n');
  assert.equal(lines.at(-1), '');
  assert.deepEqual(JSON.parse(lines[1] as string), { message: 'Grüße, 日本, 🚀', 'event.id': 'a-1' });
});

test('select and slice copy the chosen documents with their ids, indexes and spool marks', () => {
  const b = filled();
  const s = b.select([2, 1]);
  assert.deepEqual([s.item(0), s.item(1)], [docs[2], docs[1]]);
  assert.equal(s.bulk().toString('utf8'), `{"create":{"_id":"a-2"}}\n{"message":"three"}\n{"create":{"_index":"logs-old-default","_id":"a-1"}}\n${docs[1]?.json}\n`);
  const tail = b.slice(1, 3);
  assert.deepEqual([tail.item(0), tail.item(1)], [docs[1], docs[2]]);
});
