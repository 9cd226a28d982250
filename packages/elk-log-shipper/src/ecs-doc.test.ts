import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isoFromMillis, parseJsonLine } from './ecs-doc.ts';

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
