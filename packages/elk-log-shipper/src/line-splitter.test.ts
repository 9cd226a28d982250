import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter } from './line-splitter.ts';

function split(chunks: string[]): [string, number][] {
  const out: [string, number][] = [];
  const s = new LineSplitter((t, o) => out.push([t, o]));
  for (const c of chunks) s.push(Buffer.from(c));
  s.end();
  return out;
}

test('keeps byte offsets of lines across chunk boundaries', () => {
  assert.deepEqual(split(['ab\ncd', 'e\r\nf', 'g\n']), [['ab', 0], ['cde', 3], ['fg', 8]]);
});

test('emits a last line without a newline', () => {
  assert.deepEqual(split(['a\nb']), [['a', 0], ['b', 2]]);
});

test('offsets count bytes, not characters', () => {
  assert.deepEqual(split(['å\nb\n']), [['å', 0], ['b', 3]]);
});

test('gives the same lines whatever the chunking', () => {
  const text = 'one\ntwo\r\n\nthree\nfour';
  const whole = split([text]);
  for (let i = 1; i < text.length; i++) assert.deepEqual(split([text.slice(0, i), text.slice(i)]), whole);
});

test('ASCII and non-ASCII chunks in one stream keep byte offsets', () => {
  const text = 'plain ascii\r\nmore\nGrüße\nend\n';
  const expected: [string, number][] = [['plain ascii', 0], ['more', 13], ['Grüße', 18], ['end', 26]];
  assert.deepEqual(split([text]), expected);
  for (let i = 1; i < text.length; i++) assert.deepEqual(split([text.slice(0, i), text.slice(i)]), expected);
});

test('drain stops when asked and goes on where it stopped, across chunks', () => {
  const text = 'a1\nb22\nGrüße\nc333\nd\n';
  const out: [string, number][] = [];
  const s = new LineSplitter((t, o) => out.push([t, o]));
  for (const chunk of [text.slice(0, 9), text.slice(9)]) {
    s.feed(Buffer.from(chunk));
    let stops = 0;
    // Pause before every second line, as a full batch would.
    while (!s.drain(() => out.length % 2 === 1 && stops++ % 2 === 0)) assert.ok(stops < 20);
  }
  s.end();
  assert.deepEqual(out, split([text]));
  assert.throws(() => {
    s.feed(Buffer.from('x\ny\n'));
    s.drain(() => true);
    s.feed(Buffer.from('z\n'));
  }, /before the previous chunk was drained/);
});
