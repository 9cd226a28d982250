import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Grouper } from './grouper.ts';
import type { LogEvent } from './grouper.ts';

function group(text: string): LogEvent[] {
  const out: LogEvent[] = [];
  const g = new Grouper((e) => out.push(e));
  let off = 0;
  for (const line of text.split('\n')) {
    g.push(line, off);
    off += Buffer.byteLength(line) + 1;
  }
  g.flush();
  return out;
}

test('groups a Java stack trace with its causes', () => {
  const ev = group([
    'INFO starting',
    'java.lang.IllegalStateException: boom',
    '\tat com.example.App.run(App.java:10)',
    '\tat com.example.App.main(App.java:5)',
    'Caused by: java.io.IOException: disk',
    '\t... 2 more',
    'INFO after',
  ].join('\n'));
  assert.deepEqual(ev.map((e) => [e.kind, e.lines.length]), [['line', 1], ['stack', 5], ['line', 1]]);
  assert.equal(ev[1]?.offset, 'INFO starting\n'.length);
});

test('groups a Node stack trace', () => {
  const ev = group('TypeError: x is not a function\n    at run (/app/index.js:3:7)\n    at node:internal/main:1:1\ndone');
  assert.deepEqual(ev.map((e) => [e.kind, e.lines.length]), [['stack', 3], ['line', 1]]);
});

test('groups a Python traceback up to the exception line', () => {
  const ev = group([
    'Traceback (most recent call last):',
    '  File "/app/main.py", line 3, in <module>',
    '    main()',
    'ValueError: bad value',
    'next line',
  ].join('\n'));
  assert.deepEqual(ev.map((e) => [e.kind, e.lines.length]), [['python', 4], ['line', 1]]);
  assert.equal(ev[0]?.lines.at(-1), 'ValueError: bad value');
});

test('groups a Go panic with its goroutines', () => {
  const ev = group([
    'panic: runtime error: index out of range [3] with length 3',
    '',
    'goroutine 1 [running]:',
    'main.main()',
    '\t/app/main.go:8 +0x1d',
    'exit status 2',
    'make: *** [run] Error 1',
  ].join('\n'));
  assert.deepEqual(ev.map((e) => [e.kind, e.lines.length]), [['go', 6], ['line', 1]]);
});

test('groups Maven [ERROR] blocks and npm ERR! blocks', () => {
  const ev = group([
    '[INFO] BUILD FAILURE',
    '[ERROR] Failed to execute goal x on project y: Compilation failure',
    '[ERROR] /src/App.java:[5,9] cannot find symbol',
    '[ERROR] -> [Help 1]',
    'npm ERR! code E404',
    'npm ERR! 404 Not Found',
    'plain',
  ].join('\n'));
  assert.deepEqual(ev.map((e) => [e.kind, e.lines.length]), [['line', 1], ['maven', 3], ['npm', 2], ['line', 1]]);
});

test('a lone indented line is not a stack trace', () => {
  const ev = group('hello\n  world\n');
  assert.deepEqual(ev.map((e) => e.kind), ['line', 'line', 'line']);
});
