import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DECODE_WINDOW, LineSplitter } from './line-splitter.ts';

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

test('a line over several chunks, some without a newline, keeps its offset', () => {
  assert.deepEqual(split(['ab', 'cd', 'ef\ngh', 'i', 'j\r', '\nk\n']), [['abcdef', 0], ['ghij', 7], ['k', 13]]);
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

/** Lines and byte offsets as a plain split of the whole input gives them. */
function reference(input: Buffer): [string, number][] {
  const out: [string, number][] = [];
  let start = 0;
  while (start < input.length) {
    let nl = input.indexOf(0x0a, start);
    if (nl < 0) nl = input.length;
    const stop = nl > start && input[nl - 1] === 0x0d ? nl - 1 : nl;
    out.push([input.toString('utf8', start, stop), start]);
    start = nl + 1;
  }
  return out;
}

test('ASCII chunks larger than the decode window: every line whole, with its offset, also when paused', () => {
  // Lines of every length up to 300 bytes, CRLF now and then, one line longer than the window,
  // so lines end at, just before and just after each window edge.
  const lines: string[] = [];
  for (let i = 0; lines.join('').length < 3 * DECODE_WINDOW; i++) lines.push(`${'x'.repeat(i % 300)}${i}${i % 7 === 0 ? '\r\n' : '\n'}`);
  lines.splice(100, 0, `${'long'.repeat(DECODE_WINDOW / 2)}\n`);
  const input = Buffer.from(lines.join(''));
  const expected = reference(input);
  for (const chunkSize of [DECODE_WINDOW - 1, DECODE_WINDOW + 1, 256 * 1024]) {
    const out: [string, number][] = [];
    const s = new LineSplitter((t, o) => out.push([t, o]));
    let asks = 0;
    let pauses = 0;
    for (let i = 0; i < input.length; i += chunkSize) {
      s.feed(input.subarray(i, i + chunkSize));
      // Stop at every 97th line, as a full batch would, and go on.
      while (!s.drain(() => ++asks % 97 === 0)) pauses++;
    }
    s.end();
    assert.ok(pauses > 10);
    assert.deepEqual(out, expected, `chunks of ${chunkSize} bytes`);
  }
});
