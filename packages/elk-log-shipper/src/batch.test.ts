import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Batch, LineShape, LineTime } from './batch.ts';
import type { Level } from './classify.ts';

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

test('writeEvents writes what events() gives into memory of the caller, and refuses memory too small', () => {
  const b = filled();
  const memory = Buffer.alloc(b.byteLength + 10, 0xff);
  const n = b.writeEvents(memory);
  assert.deepEqual(memory.subarray(0, n), b.events());
  assert.throws(() => b.writeEvents(Buffer.alloc(b.byteLength - 1)), RangeError);
});

test('select and slice copy the chosen documents with their ids, indexes and spool marks', () => {
  const b = filled();
  const s = b.select([2, 1]);
  assert.deepEqual([s.item(0), s.item(1)], [docs[2], docs[1]]);
  assert.equal(s.bulk().toString('utf8'), `{"create":{"_id":"a-2"}}\n{"message":"three"}\n{"create":{"_index":"logs-old-default","_id":"a-1"}}\n${docs[1]?.json}\n`);
  const tail = b.slice(1, 3);
  assert.deepEqual([tail.item(0), tail.item(1)], [docs[1], docs[2]]);
});

test('addLine writes the same document the JSON encoder would, for plain, escaped and non-ASCII text', () => {
  const shape = new LineShape('pfx', '"cicd.pipeline.run.id":"run-1","labels":{"team":"Grüße"}');
  const cases: [number, string, string, Level][] = [
    [0, '2024-05-01T10:00:00.000Z', '[INFO] plain text', 'info'],
    [123456789, '2024-05-01T10:00:00.001Z', 'quote " backslash \\ tab \t bell \u0007 end', 'warn'],
    [2 ** 40 + 7, '2024-05-01T10:00:00.002Z', 'Grüße, 日本, 🚀 and a lone \ud800 surrogate', 'debug'],
    [35, '2024-05-01T10:00:00.003Z', '', 'trace'],
  ];
  const b = new Batch(16);
  for (const [offset, time, message, level] of cases) b.addLine(shape, offset, time, message, level);
  const lines = b.bulk().toString('utf8').split('\n');
  assert.equal(lines.at(-1), '');
  cases.forEach(([offset, time, message, level], i) => {
    const id = `pfx-${offset.toString(36)}`;
    assert.deepEqual(JSON.parse(lines[2 * i] as string), { create: { _id: id } });
    assert.deepEqual(JSON.parse(lines[2 * i + 1] as string), { '@timestamp': time, message, 'log.level': level, 'log.offset': offset, 'cicd.pipeline.run.id': 'run-1', labels: { team: 'Grüße' } });
    assert.equal(b.id(i), id);
    assert.equal(b.doc(i).toString('utf8'), lines[2 * i + 1]);
  });
  assert.equal(b.byteLength, Buffer.byteLength(lines.join('\n')));
});

test('addLineBytes writes what addLine writes, at every length of offset in base 10 and 36, with times of any length', () => {
  const shape = new LineShape('pfx', '"cicd.pipeline.run.id":"run-1"');
  const src = Buffer.from('xx[INFO] a line of the log long enough to be copied whole\n[WARNING] short\n');
  const lines: [number, number, Level][] = [[2, src.indexOf('\n'), 'info'], [src.indexOf('\n') + 1, src.length - 1, 'warn']];
  // Each side of each change in the number of digits, and past 2^31 where the digits take floating point.
  const offsets = [0, 9, 10, 35, 36, 99, 100, 1295, 1296, 46655, 46656, 1679615, 1679616, 60466175, 60466176, 999999999, 1e9, 2 ** 31 - 1, 2 ** 31, 2 ** 40 + 7, Number.MAX_SAFE_INTEGER];
  const times = ['2024-05-01T10:00:00.000Z', '+275760-09-13T00:00:00.000Z', '2024-05-01T10:00:00Z', 'x'.repeat(40)];
  const byBytes = new Batch(16);
  const byText = new Batch(16);
  const time = new LineTime();
  offsets.forEach((offset, i) => {
    const t = times[i % times.length] as string;
    if (t.length === 24) time.setCanonical(Buffer.from(`..${t}`), 2);
    else time.setText(t);
    assert.equal(time.text(), t);
    const [start, end, level] = lines[i % 2] as [number, number, Level];
    byBytes.addLineBytes(shape, offset, time, src, start, end, level);
    byText.addLine(shape, offset, t, src.toString('latin1', start, end), level);
  });
  assert.equal(byBytes.bulk().toString('latin1'), byText.bulk().toString('latin1'));
  const docs = byBytes.bulk().toString('utf8').trim().split('\n').filter((_, k) => k % 2 === 1).map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(docs.map((d) => d['log.offset']), offsets);
  assert.deepEqual(offsets.map((_, i) => byBytes.id(i)), offsets.map((o) => `pfx-${o.toString(36)}`));
});

test('add mixes with addLine; events() gives every document its id', () => {
  const b = new Batch();
  b.addLine(new LineShape('p', ''), 10, '2024-05-01T10:00:00.000Z', 'one', 'info');
  b.add({ id: 'p-b', json: '{"message":"two","x":1}' });
  b.add(docs[1] as (typeof docs)[number]);
  const events = b.events().toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(events.map((e) => e['event.id']), ['p-a', 'p-b', 'a-1']);
  assert.deepEqual(events[1], { message: 'two', x: 1, 'event.id': 'p-b' });
  assert.equal(b.index(2), 'logs-old-default');
  assert.equal(b.index(0), undefined);
});

test('release hands the memory to the next batch and leaves this one empty', () => {
  const b = filled(4096);
  const mem = b.release();
  assert.equal(b.length, 0);
  assert.equal(b.byteLength, 0);
  const next = new Batch(4096, mem);
  next.add(docs[0] as (typeof docs)[number]);
  const body = '{"create":{"_id":"a-0"}}\n{"message":"plain"}\n';
  assert.equal(next.bulk().toString('utf8'), body);
  assert.equal(mem.toString('utf8', 0, next.byteLength), body, 'the released memory is reused');
  const small = Buffer.alloc(16);
  const tooSmall = new Batch(8192, small);
  tooSmall.add(docs[0] as (typeof docs)[number]);
  assert.ok(small.every((b) => b === 0), 'memory too small for the capacity is left alone');
});

test('addWithLines writes the same bytes as the lines joined and JSON-escaped whole', () => {
  const traces: string[][] = [
    ['java.lang.IllegalStateException: boom', '\tat com.example.A.run(A.java:10)', '\tat com.example.B.run(B.java:11)', '\t... 3 more'],
    ['Error: "quoted" and \\ back', '    at Object.<anonymous> (/app/x.js:1:1)', '\tat\ttwo tabs', 'Caused by: Grüße 日本 🚀'],
    ['ctrl \u0001 \u001f \u007f', '\t', '', '\ttab then "quote"', '\t\u00e9', 'lone \ud800 surrogate'],
    ['single line only'],
  ];
  for (const lines of traces) {
    const byLines = new Batch(16);
    byLines.addWithLines('t-1', '{"message":"m"', 'error.stack_trace', lines);
    const whole = new Batch();
    whole.add({ id: 't-1', json: `{"message":"m","error.stack_trace":${JSON.stringify(lines.join('\n'))}}` });
    assert.equal(byLines.bulk().toString('utf8'), whole.bulk().toString('utf8'), JSON.stringify(lines));
    assert.equal(byLines.id(0), 't-1');
    assert.deepEqual(JSON.parse(byLines.doc(0).toString('utf8')), { message: 'm', 'error.stack_trace': lines.join('\n') });
  }
});
