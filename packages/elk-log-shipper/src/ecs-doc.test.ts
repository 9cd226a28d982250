import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Batch } from './batch.ts';
import type { Level } from './classify.ts';
import { DocEncoder, isoFromMillis, leadingTimestamp, parseJsonLine } from './ecs-doc.ts';
import type { LogEvent } from './grouper.ts';

test('isoFromMillis gives what Date.prototype.toISOString gives, across seconds, days and odd values', () => {
  const values = [0, 1, 999, 1000, 1714557600025, 1714557600999, 1714557601000, 1714557599999, 253402300799999, 253402300800000, -1, -1001, 1714557600025.9, -0.5, 8.64e15];
  let seed = 7;
  for (let i = 0; i < 2000; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    values.push(1714557600000 + (seed % 5000) * (i % 3 === 0 ? 1 : 997));
  }
  for (const v of values) assert.equal(isoFromMillis(v), new Date(Math.trunc(v)).toISOString(), String(v));
  assert.equal(isoFromMillis(1e20), undefined);
  assert.equal(isoFromMillis(Number.NaN), undefined);
});

test('leadingTimestamp reads the canonical form as it is and other ISO forms through Date', () => {
  const cases: [string, string | undefined][] = [
    ['2024-05-01T10:00:00.025Z INFO  [main] c.e.s.App - started', '2024-05-01T10:00:00.025Z'],
    ['2024-05-01T10:00:00.025Z', '2024-05-01T10:00:00.025Z'],
    ['2024-05-01T10:00:00.025Zsomething', '2024-05-01T10:00:00.025Z'],
    // More or fewer fraction digits, no fraction, or an offset: normalised to UTC milliseconds.
    ['2024-05-01T10:00:00.0251Z x', '2024-05-01T10:00:00.025Z'],
    ['2024-05-01T10:00:00.02Z x', '2024-05-01T10:00:00.020Z'],
    ['2024-05-01T10:00:00Z x', '2024-05-01T10:00:00.000Z'],
    ['2024-05-01T12:00:00.025+02:00 x', '2024-05-01T10:00:00.025Z'],
    // Not a timestamp at the start, or no zone.
    ['2024-05-01T10:00:00.025 x', undefined],
    ['2024-05-01 10:00:00.025Z x', undefined],
    ['2024-05-01T10:0a:00.025Z x', undefined],
    ['x2024-05-01T10:00:00.025Z', undefined],
    ['[INFO] 2024-05-01T10:00:00.025Z', undefined],
  ];
  for (const [line, want] of cases) assert.equal(leadingTimestamp(line), want, line);
});

test('parseJsonLine reads pino, ECS and logrus shapes', () => {
  assert.deepEqual(parseJsonLine('{"level":30,"time":1714557600025,"msg":"hello","pid":7}'), {
    message: 'hello', level: 'info', timestamp: '2024-05-01T10:00:00.025Z', errorMessage: undefined, stack: undefined,
  });
  assert.equal(parseJsonLine('{"level":40,"time":1714557600,"msg":"seconds"}')?.timestamp, '2024-05-01T10:00:00.000Z');
  assert.deepEqual(parseJsonLine('{"@timestamp":"2024-05-01T10:00:00.000Z","log":{"level":"WARN"},"message":"nested"}'), {
    message: 'nested', level: 'warn', timestamp: '2024-05-01T10:00:00.000Z', errorMessage: undefined, stack: undefined,
  });
  assert.equal(parseJsonLine('{"log.level":"error","message":"flat"}')?.level, 'error');
  assert.equal(parseJsonLine('{"level":null,"severity":"warning","message":"null level"}')?.level, 'warn');
  const err = parseJsonLine('{"level":"info","msg":"x","err":{"message":"boom","stack":"Error: boom\\n    at f (a.js:1:1)"}}');
  assert.deepEqual([err?.level, err?.errorMessage, err?.stack], ['error', 'boom', 'Error: boom\n    at f (a.js:1:1)']);
  assert.equal(parseJsonLine('{"time":1e20,"msg":"out of range"}')?.timestamp, undefined);
  assert.equal(parseJsonLine('{"msg":"no time"}')?.timestamp, undefined);
  assert.equal(parseJsonLine('[1,2]'), undefined);
  assert.equal(parseJsonLine('{not json}'), undefined);
});

test('parseJsonLine takes a level such as "constructor" for no level, not for what objects inherit', () => {
  assert.equal(parseJsonLine('{"level":"constructor","msg":"x"}')?.level, undefined);
  assert.equal(parseJsonLine('{"level":"toString","msg":"x"}')?.level, undefined);
});

/** What parseJsonLine gave before it read a line's fields in one pass: each name looked up in turn, flat first, then nested. */
function parseJsonLineByNames(text: string): ReturnType<typeof parseJsonLine> {
  let o: Record<string, unknown>;
  try {
    const v: unknown = JSON.parse(text);
    if (v == null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    o = v as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const field = (flat: string): unknown => {
    if (o[flat] !== undefined || !flat.includes('.')) return o[flat];
    let cur: unknown = o;
    for (const part of flat.split('.')) {
      if (cur == null || typeof cur !== 'object') return undefined;
      cur = (cur as Record<string, unknown>)[part];
    }
    return cur;
  };
  const firstString = (names: string[]): string | undefined => names.map(field).find((v): v is string => typeof v === 'string' && v !== '');
  const firstField = (names: string[]): unknown => names.map(field).find((v) => v != null);
  const pino: Record<number, Level> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
  const levels: Record<string, Level> = { trace: 'trace', debug: 'debug', info: 'info', information: 'info', notice: 'info', warn: 'warn', warning: 'warn', error: 'error', err: 'error', severe: 'error', fatal: 'fatal', critical: 'fatal', crit: 'fatal', panic: 'fatal', emergency: 'fatal', alert: 'fatal' };
  const message = firstString(['message', 'msg', 'log', 'text']) ?? text;
  const raw = firstField(['log.level', 'level', 'severity', 'lvl']);
  let level = typeof raw === 'number' ? pino[raw] : typeof raw === 'string' && Object.hasOwn(levels, raw.toLowerCase()) ? levels[raw.toLowerCase()] : undefined;
  const t = firstField(['@timestamp', 'timestamp', 'time', 'ts']);
  let timestamp: string | undefined;
  if (typeof t === 'number') {
    const ms = Math.trunc(t > 1e12 ? t : t * 1000);
    timestamp = Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : undefined;
  } else if (typeof t === 'string' && !Number.isNaN(Date.parse(t))) {
    timestamp = new Date(Date.parse(t)).toISOString();
  }
  const errorMessage = firstString(['error.message', 'err.message']) ?? (typeof o.error === 'string' ? o.error : undefined);
  const stack = firstString(['error.stack_trace', 'err.stack', 'error.stack', 'stack', 'stacktrace']);
  if ((errorMessage != null || stack != null) && (level == null || level === 'info')) level = 'error';
  return { message, level, timestamp, errorMessage: errorMessage ?? (stack ? stack.split('\n')[0] : undefined), stack };
}

test('parseJsonLine reads every shape of fields as looking each name up in turn does', () => {
  let seed = 7;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)] as T;
  const names = ['message', 'msg', 'log', 'text', 'log.level', 'level', 'severity', 'lvl', '@timestamp', 'timestamp', 'time', 'ts', 'error.message', 'err.message', 'error', 'err', 'error.stack_trace', 'err.stack', 'error.stack', 'stack', 'stacktrace', 'pid', 'hostname'];
  const leaf = (): unknown => pick(['', 'hello', 'WARN', 'error', 'constructor', 'Error: boom\n    at f (a.js:1:1)', '2024-05-01T10:00:00.123Z', '2024-05-01T10:00:00+02:00', 'not a time', 30, 50, 1714557600025, 1714557600, 0, null, true, [1], { level: 'warn' }]);
  const value = (): unknown => (rnd() < 0.25 ? Object.fromEntries(Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => [pick(['level', 'message', 'stack', 'stack_trace', 'x']), leaf()])) : leaf());
  for (let i = 0; i < 5000; i++) {
    // Sparse objects, and dense ones where names of the same field compete.
    const o = i % 2 === 0 ? Object.fromEntries(Array.from({ length: Math.floor(rnd() * 7) }, () => [pick(names), value()])) : Object.fromEntries(names.filter(() => rnd() < 0.4).map((n) => [n, value()]));
    const line = JSON.stringify(o);
    assert.deepEqual(parseJsonLine(line), parseJsonLineByNames(line), line);
  }
});

test('with a secret to mask, no field of an error or summary document shows it', () => {
  const secret = 'S3cr3t-Token-42';
  const mask = (t: string): string => t.split(secret).join('***');
  const run = { pipelineName: 'p', pipelineRunId: 'r', serviceName: 's', vcsRepository: '', vcsRevision: '', vcsRef: '', labels: {} };
  const enc = new DocEncoder(run, { taskName: 't', taskRunId: 'tr', stepName: 'st', path: 'build.log' }, '2024-05-01T10:00:00.000Z', mask);
  const events: LogEvent[] = [
    { kind: 'stack', offset: 0, lines: [`java.lang.IllegalStateException: ${secret}`, `\tat a.B.c(B.java:1) ${secret}`] },
    { kind: 'line', offset: 1, lines: [`ERROR: login with ${secret} failed`] },
    { kind: 'maven', offset: 2, lines: [`[ERROR] Failed: ${secret}`, '[ERROR] more'] },
    { kind: 'npm', offset: 3, lines: [`npm ERR! code ${secret}`, `npm ERR! ${secret}`] },
    { kind: 'python', offset: 4, lines: ['Traceback (most recent call last):', '  File "x.py", line 1', `ValueError: ${secret}`] },
    { kind: 'go', offset: 5, lines: [`panic: ${secret}`, '', 'goroutine 1 [running]:'] },
    { kind: 'line', offset: 6, lines: [`{"level":"error","msg":"${secret}","err":{"message":"${secret}","stack":"Error: ${secret}"}}`] },
  ];
  const batch = new Batch();
  for (const e of events) assert.ok(enc.write(e, batch), `event at ${e.offset} is an error`);
  const summary = enc.summary({ exitCode: 1, reason: `Error ${secret}`, tail: [`last ${secret}`], firstErrorType: undefined, firstErrorMessage: `first ${secret}` });
  const text = `${batch.bulk().toString('utf8')}${summary.json}`;
  assert.ok(!text.includes(secret), text);
  for (let i = 0; i < batch.length; i++) {
    const doc = JSON.parse(batch.doc(i).toString('utf8')) as Record<string, string>;
    assert.match(doc['error.message'] ?? '', /\*\*\*/, JSON.stringify(doc));
  }
  assert.match(summary.json, /"event.reason":"Error \*\*\*"/);
});
