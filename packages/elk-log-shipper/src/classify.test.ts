import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classify, errorCode, lineLevel } from './classify.ts';

test('classifies build errors', () => {
  const cases: [string, string][] = [
    ['java.lang.OutOfMemoryError: Java heap space', 'out-of-memory'],
    ['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', 'out-of-memory'],
    ['step terminated: OOMKilled', 'out-of-memory'],
    ['Failed to pull image "x": rpc error: pull access denied', 'image-pull'],
    ['Back-off pulling image: ImagePullBackOff', 'image-pull'],
    ['Error: Timeout of 2000ms exceeded. For async tests', 'timeout'],
    ['TaskRun "build" failed to finish within "1h0m0s" TaskRunTimeout', 'timeout'],
    ['[ERROR] Failed to execute goal on project demo: Could not resolve dependencies for project com.example:demo:jar:1.0', 'dependency-resolution'],
    ['npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve dependency tree', 'dependency-resolution'],
    ['npm ERR! code E404\nnpm ERR! 404 Not Found - GET https://registry.npmjs.org/nope', 'dependency-resolution'],
    ["ModuleNotFoundError: No module named 'requests'", 'dependency-resolution'],
    ['/app/src/a.ts\n  3:7  error  x is assigned a value but never used  no-unused-vars\n✖ 1 problem (1 error, 0 warnings)', 'lint'],
    ['[ERROR] Failed to execute goal org.apache.maven.plugins:maven-checkstyle-plugin:3.3.1:check', 'lint'],
    ['[ERROR] There are test failures.', 'test-failure'],
    ['[ERROR] Tests run: 3, Failures: 1, Errors: 0, Skipped: 0', 'test-failure'],
    ['AssertionError [ERR_ASSERTION]: Expected values to be strictly equal', 'test-failure'],
    ['--- FAIL: TestAdd (0.00s)', 'test-failure'],
    ['[ERROR] COMPILATION ERROR :\n[ERROR] /src/App.java:[5,9] cannot find symbol', 'compile-error'],
    ["src/index.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.", 'compile-error'],
    ['something else went wrong', 'error'],
  ];
  for (const [text, type] of cases) assert.equal(classify(text), type, text);
});

test('reads levels from the markers builds print', () => {
  assert.equal(lineLevel('[ERROR] boom'), 'error');
  assert.equal(lineLevel('2024-01-01 12:00:00 ERROR App - boom'), 'error');
  assert.equal(lineLevel('[WARNING] deprecated'), 'warn');
  assert.equal(lineLevel('npm warn deprecated x'), 'warn');
  assert.equal(lineLevel('[INFO] Building demo'), 'info');
  assert.equal(lineLevel('[INFO] Tests run: 3, Failures: 0, Errors: 0, Skipped: 0'), 'info');
  assert.equal(lineLevel('Compiled with 0 errors'), 'info');
  assert.equal(lineLevel('DEBUG connecting'), 'debug');
  assert.equal(lineLevel('FATAL: cannot continue'), 'fatal');
  assert.equal(lineLevel('the error handler is registered later in this very long line ' + 'x'.repeat(200)), 'info');
});

test('finds exception names and error codes', () => {
  assert.equal(errorCode('java.lang.IllegalStateException: boom\n\tat x'), 'java.lang.IllegalStateException');
  assert.equal(errorCode('npm ERR! code ERESOLVE'), 'ERESOLVE');
  assert.equal(errorCode('TypeError: x is not a function'), 'TypeError');
  assert.equal(errorCode('hello'), undefined);
});
