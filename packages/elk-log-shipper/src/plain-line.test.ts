import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Redactor } from '@steg/step-kit';
import { Batch } from './batch.ts';
import { DocEncoder } from './ecs-doc.ts';
import type { PlainLine } from './plain-line.ts';
import { scanFrameLine, scanKubeTime, scanPlainLine, specialAt } from './plain-line.ts';
import { splitKubeTimestamp } from './kube.ts';
import type { LogEvent } from './grouper.ts';
import { eventLines, Grouper } from './grouper.ts';
import type { PumpStats } from './pump.ts';
import { pump } from './pump.ts';

const run = { pipelineName: 'p', pipelineRunId: 'r', serviceName: 's', vcsRepository: 'https://git.example/x', vcsRevision: 'abc', vcsRef: 'main', labels: { team: 'a' } };
const src = { taskName: 't', taskRunId: 'tr', stepName: 'st', path: 'build.log' };
const FIXTURES = join(import.meta.dirname, '../test/fixtures/real');

/** What scanPlainLine says of the first line of `text`: its level and whether it is timed, or undefined when it is left to the string path. */
function scan(text: string): PlainLine | undefined {
  const out: PlainLine = { level: 'debug', timed: false };
  const buf = Buffer.from(text);
  return scanPlainLine(buf, 0, buf.length, out) < 0 ? undefined : out;
}

test('specialAt finds the first byte JSON must escape or that is not ASCII, as a byte loop does', () => {
  const special = (b: number): boolean => b < 0x20 || b === 0x22 || b === 0x5c || b >= 0x7f;
  const naive = (buf: Uint8Array, from: number, limit: number): number => {
    for (let i = from; i < limit; i++) if (special(buf[i] as number)) return i;
    return limit;
  };
  // Every byte value at every place in and across the words read at once, in a view that starts
  // at an odd offset of its memory (the words are read from there).
  const memory = Buffer.alloc(64);
  const buf = memory.subarray(3, 3 + 24);
  for (let b = 0; b < 256; b++) {
    for (let at = 0; at < buf.length; at++) {
      buf.fill(0x61);
      buf[at] = b;
      for (const from of [0, 1, 2, 3, 5]) {
        for (const limit of [from, from + 3, from + 4, from + 9, buf.length]) {
          assert.equal(specialAt(buf, from, limit), naive(buf, from, limit), `byte ${b} at ${at}, from ${from} to ${limit}`);
        }
      }
    }
  }
  // Neighbours of the edges next to each other (a borrow or carry between bytes must not hide or
  // invent one), and two buffers in turn.
  let seed = 7;
  const rnd = (n: number): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
  const edges = [0x00, 0x0a, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x5b, 0x5c, 0x5d, 0x7e, 0x7f, 0x80, 0xff, 0x61];
  const other = Buffer.alloc(40, 0x61);
  for (let k = 0; k < 20000; k++) {
    const n = 1 + rnd(24);
    for (let i = 0; i < n; i++) buf[i] = rnd(4) === 0 ? (edges[rnd(edges.length)] as number) : 0x20 + rnd(0x5f);
    const from = rnd(n);
    assert.equal(specialAt(buf, from, n), naive(buf, from, n), `${buf.subarray(0, n).toString('hex')} from ${from}`);
    assert.equal(specialAt(other, 0, other.length), other.length);
  }
});

test('takes plain lines with the level and time the string path gives them', () => {
  assert.deepEqual(scan('[INFO] Building step-counter 1.0\nx'), { level: 'info', timed: false });
  // Maven's markers decide, whatever the rest says (as lineLevel does).
  assert.deepEqual(scan('[INFO] 0 errors, ERROR count reset\nx'), { level: 'info', timed: false });
  assert.deepEqual(scan('[WARNING] deprecated error handler\nx'), { level: 'warn', timed: false });
  assert.deepEqual(scan('[WARN] slow\nx'), { level: 'warn', timed: false });
  assert.deepEqual(scan('2024-05-01T10:00:00.025Z INFO  [main] c.e.App - started\nx'), { level: 'info', timed: true });
  // A marker counts only in the first 120 characters.
  assert.deepEqual(scan(`${'a'.repeat(120)}ERROR\nx`), { level: 'info', timed: false });
  assert.deepEqual(scan(`${'a'.repeat(116)}ERROR\nx`), undefined);
});

test('leaves to the string path every line it could get wrong', () => {
  const left = [
    '', // an empty line
    'INFO ERROR in the head',
    'x fatal: no', 'a FAIL b', 'SEVERE x', 'CRITICAL x', 'PANIC x', 'not ok 1 - test', 'a WARN b', 'a warn b', 'DEBUG x', 'a TRACE b', 'a debug b', 'a trace b', 'x error y',
    'E0101 12:00:00 glog error', 'W0101 12:00:00 glog warning',
    '[ERROR] Failed to execute goal',
    '2024-05-01T10:00:00Z INFO not the canonical form', '2024-05-01T10:00:00.025+02:00 INFO offset',
    'say "hi"', 'back\\slash', 'tab\there', 'colour \x1b[31mred', 'caf\u00e9', 'crlf\r',
    '\tat com.example.App.run(App.java:10)', '    at run (app.js:1:1)', 'Caused by: java.io.IOException', '... 3 more',
    'Traceback (most recent call last):', 'panic: runtime error', 'fatal error: all goroutines are asleep', 'npm ERR! code E404', '{"message":"json"}',
  ];
  for (const l of left) assert.equal(scan(`${l}\nnext`), undefined, JSON.stringify(l));
  // Each marker at every place in the words the head is read by, and at the head's end.
  const markers = ['ERR', 'FATAL', 'FAIL', 'SEVERE', 'CRITICAL', 'PANIC', 'error', 'fatal', 'not ok', 'WARN', 'warn', 'DEBUG', 'TRACE', 'debug', 'trace'];
  const stamp = '2024-05-01T10:00:00.000Z ';
  for (const m of markers) {
    for (let k = 0; k < 9; k++) assert.equal(scan(`${stamp}${'x'.repeat(k)}${m} tail\nnext`), undefined, `${m} after ${k}`);
    const last = 120 - stamp.length - m.length;
    assert.equal(scan(`${stamp}${'x'.repeat(last)}${m} tail\nnext`), undefined, `${m} ending the head`);
    assert.notEqual(scan(`${stamp}${'x'.repeat(last + 1)}${m} tail\nnext`), undefined, `${m} past the head`);
  }
  // A line the next one may continue (a stack trace's first line), and a line with no byte after it.
  for (const next of ['\tat x.Y.z(Y.java:1)', '    at z (y.js:1:1)', 'Caused by: x', '... 3 more']) {
    assert.equal(scan(`java.lang.IllegalStateException: boom\n${next}`), undefined, next);
  }
  assert.equal(scan('[INFO] last line\n'), undefined);
  assert.equal(scan('[INFO] unfinished'), undefined);
});

/** A seeded build log of every kind of line, with the traps of plain-line.ts among them. */
function mixedLog(lines: number, seed: number): string {
  let s = seed;
  const rnd = (): number => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)] as T;
  const words = ['compiling', 'module', 'detail', 'ok', 'Tests', 'step-counter', 'resolved', 'done', 'com.example', 'in', 'ms'];
  const traps = ['error', 'ERROR', 'terror', 'Warn', 'WARNING', 'trace', 'fatal', 'FAIL', 'not ok', 'E1', 'caf\u00e9', '"q"', 'a\\b', 'x\ty', '\u2716', 'debug', 'panic:'];
  const text = (n: number): string => Array.from({ length: n }, () => pick(rnd() < 0.03 ? traps : words)).join(' ');
  let t = Date.parse('2024-05-01T10:00:00Z');
  const out: string[] = [];
  while (out.length < lines) {
    t += Math.floor(rnd() * 2000);
    const r = rnd();
    if (r < 0.3) out.push(`[INFO] ${text(1 + Math.floor(rnd() * 30))}`);
    else if (r < 0.4) out.push(`[WARNING] ${text(3)}`);
    else if (r < 0.55) out.push(`${new Date(t).toISOString()} ${pick(['INFO', 'WARN', 'DEBUG', 'info'])} ${text(2 + Math.floor(rnd() * 25))}`);
    else if (r < 0.6) out.push(`${new Date(t).toISOString().replace('.', ',')} odd timestamp`, `${new Date(t).toISOString().slice(0, 19)}+01:00 offset ${text(2)}`);
    else if (r < 0.65) out.push(JSON.stringify({ '@timestamp': new Date(t).toISOString(), level: pick(['info', 'warn', 'error']), message: text(4) }));
    else if (r < 0.72) out.push(`java.lang.IllegalStateException: ${text(3)}`, '\tat com.example.A.run(A.java:1)', `Caused by: java.io.IOException: ${text(2)}`, '\t... 1 more');
    else if (r < 0.735) out.push(`java.lang.RuntimeException: ${text(2)}`, '\tat a.B.c(B.java:1)', '\tat "quoted".D(D.java:2)', '\tat a\\b.E(E.java:3)', '    at node (x.js:1:1)', '\tat a.B.c(B.java:4)', '\tat caf\u00e9.F(F.java:5)', '\tat a.B.c(B.java:6)');
    else if (r < 0.74) out.push(pick(['', '   ', 'code 1', 'errno 2']), '\tat a.B.first(B.java:1)', '\tat a.B.second(B.java:2)');
    else if (r < 0.7405) out.push('java.lang.StackOverflowError', ...Array.from({ length: 1100 }, (_, k) => `\tat a.B.r${k}(B.java:${k})`));
    else if (r < 0.75) out.push('Traceback (most recent call last):', '  File "/app/run.py", line 1, in <module>', `ValueError: ${text(2)}`, `[INFO] ${text(2)}`);
    else if (r < 0.78) out.push(`panic: ${text(2)}`, '', 'goroutine 1 [running]:', 'main.main()', '\t/app/main.go:5 +0x1d', 'exit status 2', `plain ${text(2)}`);
    else if (r < 0.8) out.push('npm ERR! code E404', `npm ERR! 404 ${text(2)}`, `[INFO] ${text(2)}`);
    else if (r < 0.85) out.push(`E${String(Math.floor(rnd() * 9999)).padStart(4, '0')} glog ${text(2)}`, `plain\r`, '', '\x1b[32mgreen\x1b[0m done');
    else out.push(`${text(1 + Math.floor(rnd() * 40))}`);
  }
  return `${out.join('\n')}\n`;
}

interface PumpRun {
  plainLineBytes: boolean;
  redactor?: Redactor;
  /** Lines carry the Kubernetes timestamp prefix. */
  kube?: boolean;
}

/**
 * The `_bulk` bytes and the stats pump makes of `log` split into chunks at the given sizes
 * (cycled), with or without plain lines taken as bytes. The chunks come in one reused buffer, as
 * read-chunks.ts gives them: whatever keeps bytes of a chunk must copy them.
 */
async function pumped(log: Buffer, sizes: number[], r: PumpRun): Promise<{ bulk: Buffer; stats: PumpStats }> {
  const batches: Buffer[] = [];
  let batch = new Batch();
  const sink = {
    get batch(): Batch {
      return batch;
    },
    get full(): boolean {
      return batch.byteLength > 16 * 1024;
    },
    written(): undefined {
      if (batch.byteLength > 16 * 1024) {
        batches.push(Buffer.from(batch.bulk()));
        batch = new Batch();
      }
      return undefined;
    },
  };
  async function* input(): AsyncGenerator<Buffer> {
    const reused = Buffer.alloc(Math.max(...sizes));
    for (let i = 0, k = 0; i < log.length; k++) {
      const n = Math.min(sizes[k % sizes.length] as number, log.length - i);
      log.copy(reused, 0, i, i + n);
      yield reused.subarray(0, n);
      reused.fill(0x7e);
      i += n;
    }
  }
  const { redactor } = r;
  const redact = redactor ? (t: string): string => redactor.redact(t) : undefined;
  const stats = await pump(input(), new DocEncoder(run, src, '2024-05-01T09:00:00.000Z', redact), sink, {
    plainLineBytes: r.plainLineBytes,
    kubeTimestamps: r.kube === true,
    ...(redactor ? { mayHoldSecret: (c: Buffer) => redactor.occursIn(c) } : {}),
  });
  batches.push(Buffer.from(batch.bulk()));
  return { bulk: Buffer.concat(batches), stats };
}

/** The `_bulk` bytes of pumped(). */
async function bulk(log: Buffer, sizes: number[], plainLineBytes: boolean, redactor?: Redactor): Promise<Buffer> {
  return (await pumped(log, sizes, redactor ? { plainLineBytes, redactor } : { plainLineBytes })).bulk;
}

test('gives byte for byte the documents of the string path, whatever the chunks', async () => {
  for (const seed of [1, 2, 3]) {
    // A trace longer than an event may be, cut where the string path cuts it.
    const long = ['java.lang.StackOverflowError', ...Array.from({ length: 1100 }, (_, k) => `\tat a.B.r${k}(B.java:${k})`), '[INFO] after'];
    const log = Buffer.from(`${mixedLog(8000, seed)}${long.join('\n')}\n`);
    // The test means something only when plain lines are many and others too.
    const lines = log.toString('utf8').split('\n');
    let taken = 0;
    for (let i = 0, at = 0; i < lines.length - 1; at += Buffer.byteLength(lines[i] as string) + 1, i++) {
      if (scanPlainLine(log, at, log.length, { level: 'info', timed: false }) >= 0 || scanFrameLine(log, at, log.length) >= 0) taken++;
    }
    assert.ok(taken > lines.length * 0.3 && taken < lines.length * 0.9, `${taken} of ${lines.length} lines taken as bytes`);
    const text = await bulk(log, [log.length], false);
    for (const sizes of [[log.length], [65536], [7, 1000, 13, 40000], [1, 2, 3, 500]]) {
      assert.ok((await bulk(log, sizes, true)).equals(text), `seed ${seed}, chunks ${sizes.join(',')}`);
    }
  }
});

test('gives byte for byte the documents of the string path for the real build logs', async () => {
  for (const name of readdirSync(FIXTURES)) {
    const log = readFileSync(join(FIXTURES, name));
    assert.ok((await bulk(log, [4096], true)).equals(await bulk(log, [4096], false)), name);
  }
});

test('masks a secret in a plain line: a chunk that holds one goes through the mask', async () => {
  const r = new Redactor();
  r.add('hunter2-secret');
  const plain = Array.from({ length: 200 }, (_, i) => `[INFO] line ${i}`);
  plain[150] = '[INFO] logging in with hunter2-secret';
  const log = Buffer.from(`${plain.join('\n')}\n`);
  for (const sizes of [[log.length], [512], [100, 37]]) {
    const out = await bulk(log, sizes, true, r);
    assert.equal(out.includes('hunter2'), false, `chunks ${sizes.join(',')}`);
    assert.ok(out.includes('"message":"[INFO] logging in with ***"'));
    assert.ok(out.equals(await bulk(log, sizes, false, r)));
  }
});

test('a trace with frames kept as bytes reads as its text where the text is needed (joined to be masked)', () => {
  const events: LogEvent[] = [];
  const g = new Grouper((e) => events.push(e));
  g.push('java.lang.IllegalStateException: boom', 0);
  const frame = Buffer.from('\tat com.example.App.run(App.java:10)\n');
  assert.equal(scanFrameLine(frame, 0, frame.length), frame.length - 1);
  assert.equal(g.pushFrame(frame, 0, frame.length - 1), true);
  g.push('Caused by: java.io.IOException: disk', 50);
  g.flush();
  assert.deepEqual(eventLines(events[0] as LogEvent), ['java.lang.IllegalStateException: boom', '\tat com.example.App.run(App.java:10)', 'Caused by: java.io.IOException: disk']);
  for (const redact of [undefined, (t: string): string => t.replace('disk', '***')]) {
    const batch = new Batch();
    new DocEncoder(run, src, '2024-05-01T09:00:00.000Z', redact).write(events[0] as LogEvent, batch);
    const doc = JSON.parse(batch.doc(0).toString('utf8')) as Record<string, string>;
    assert.equal(doc['error.stack_trace'], `java.lang.IllegalStateException: boom\n\tat com.example.App.run(App.java:10)\nCaused by: java.io.IOException: ${redact ? '***' : 'disk'}`);
  }
});

/** A Kubernetes log timestamp of the kinds the API writes (RFC 3339 with up to nine fraction digits), and some it does not. */
function kubePrefix(rnd: () => number, t: number): string {
  const iso = new Date(t).toISOString();
  const r = rnd();
  if (r < 0.5) return `${iso.slice(0, 19)}.${String(Math.floor(rnd() * 1e9)).padStart(9, '0').slice(0, 1 + Math.floor(rnd() * 9))}Z `;
  if (r < 0.6) return `${iso.slice(0, 19)}Z `;
  if (r < 0.65) return `${iso.slice(0, 19)}.1234567891Z `; // ten digits
  if (r < 0.7) return `${iso.slice(0, 19)}+02:00 `;
  if (r < 0.75) return `${iso.slice(0, 19)}.Z `;
  if (r < 0.8) return `${['2023-02-29', '2024-02-29', '2024-02-30', '2024-04-31', '2024-13-01', '0999-01-01', '2024-00-10'][Math.floor(rnd() * 7)]}${iso.slice(10, 19)}.5Z `;
  if (r < 0.85) return `${iso.slice(0, 11)}24:00:00Z `;
  if (r < 0.9) return '';
  return `${iso.slice(0, 23)}Z `;
}

test('reads a Kubernetes timestamp as kube.ts does, or leaves the line to it', () => {
  let seed = 11;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const out = new Uint8Array(24);
  let read = 0;
  for (let i = 0; i < 20000; i++) {
    const line = `${kubePrefix(rnd, Date.parse('2024-01-01T00:00:00Z') + Math.floor(rnd() * 4e10))}[INFO] x`;
    const buf = Buffer.from(`${line}\n`);
    const at = scanKubeTime(buf, 0, buf.length, out);
    if (at < 0) continue;
    read++;
    const { ts, text } = splitKubeTimestamp(line);
    assert.equal(Buffer.from(out).toString('latin1'), ts, line);
    assert.equal(buf.toString('latin1', at, buf.length - 1), text, line);
  }
  assert.ok(read > 10000 && read < 19000, `${read} of 20000 read`);
});

test('with Kubernetes timestamps, gives byte for byte the documents and the last timestamp of the string path', async () => {
  let seed = 5;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  let t = Date.parse('2024-02-28T23:59:00Z');
  const lines = mixedLog(6000, 4).split('\n').slice(0, -1).map((l) => `${kubePrefix(rnd, (t += Math.floor(rnd() * 3000)))}${l}`);
  // The log ends on lines taken as bytes, and on one that is not.
  for (const tail of [['2024-03-01T10:00:00.123456Z [INFO] last'], ['2024-03-01T10:00:00.5Z [INFO] last', 'no timestamp']]) {
    const log = Buffer.from(`${[...lines, ...tail].join('\n')}\n`);
    const text = await pumped(log, [65536], { plainLineBytes: false, kube: true });
    for (const sizes of [[65536], [7, 1000, 13, 40000]]) {
      const bytes = await pumped(log, sizes, { plainLineBytes: true, kube: true });
      assert.ok(bytes.bulk.equals(text.bulk), `chunks ${sizes.join(',')}`);
      assert.deepEqual(bytes.stats, text.stats);
    }
  }
});
