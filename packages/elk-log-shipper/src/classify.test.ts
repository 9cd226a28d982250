import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classify, ERROR_RULES, errorCode, LEVEL_WORD, lineLevel, markedLevel } from './classify.ts';

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

test('LEVEL_WORD is in every line the level patterns mark, so the shortcut never turns a level into info', () => {
  // Lines built from the patterns' own markers and the characters around them, seeded.
  const tokens = [
    'ERROR', 'ERR', 'FATAL', 'SEVERE', 'CRITICAL', 'PANIC', 'error', 'fatal', 'WARN', 'WARNING', 'warn', 'warning', 'DEBUG', 'TRACE', 'debug',
    'trace', 'FAIL', 'not ok ', '✖', 'E1234 ', 'W0001 ', 'level=', 'npm ', '[', ']', ' ', '  ', ':', '(', '<', '>', '|', '!', ' TS2322',
    'x', 'Info', '0 errors', '--- ', '\t', '2024-05-01T10:00:00.000Z ',
  ];
  let seed = 7;
  const rnd = (n: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) >>> 16) % n;
  const seen = new Set<string>();
  let marked = 0;
  for (let i = 0; i < 50_000; i++) {
    let line = '';
    for (let k = 1 + rnd(6); k > 0; k--) line += tokens[rnd(tokens.length)];
    const level = markedLevel(line);
    seen.add(level);
    if (level === 'info') continue;
    marked++;
    assert.ok(LEVEL_WORD.test(line), `${JSON.stringify(line)} is ${level} but has no LEVEL_WORD`);
    assert.equal(lineLevel(line), level, line);
  }
  // Not vacuous: the lines reached every level the patterns give.
  assert.deepEqual([...seen].sort(), ['debug', 'error', 'fatal', 'info', 'warn']);
  assert.ok(marked > 10_000, `only ${marked} marked lines`);
});

test('finds exception names and error codes', () => {
  assert.equal(errorCode('java.lang.IllegalStateException: boom\n\tat x'), 'java.lang.IllegalStateException');
  assert.equal(errorCode('npm ERR! code ERESOLVE'), 'ERESOLVE');
  assert.equal(errorCode('TypeError: x is not a function'), 'TypeError');
  assert.equal(errorCode('hello'), undefined);
});

/** The top-level alternatives of a pattern's source (split on `|` outside groups and classes). */
function alternatives(src: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(src.slice(start, i));
      start = i + 1;
    }
  }
  out.push(src.slice(start));
  return out;
}

/**
 * The text every match of an alternative contains, lower-cased, with whatever is not a fixed
 * character (groups, classes, escapes such as \d, anchors, optional or repeated atoms) as NUL:
 * a word found in it is in every match.
 */
function mandatoryText(alt: string): string {
  const out: string[] = [];
  for (let i = 0; i < alt.length; i++) {
    const c = alt[i] as string;
    if (c === '\\') {
      const n = alt[++i] as string;
      out.push(/[A-Za-z0-9]/.test(n) ? '\0' : n.toLowerCase());
    } else if (c === '(' || c === '[') {
      // Skip to the matching close: a group may be optional or an alternation of its own.
      let depth = 0;
      let inClass = false;
      for (; i < alt.length; i++) {
        const d = alt[i];
        if (d === '\\') i++;
        else if (inClass) inClass = d !== ']';
        else if (d === '[') { if (depth === 0 && c === '[') break; inClass = true; }
        else if (d === '(') depth++;
        else if (d === ')' && --depth === 0) break;
      }
      if (c === '[') for (i++; i < alt.length && alt[i] !== ']'; i++) if (alt[i] === '\\') i++;
      out.push('\0');
    } else if (c === '?' || c === '*' || c === '{') {
      out[out.length - 1] = '\0';
      if (c === '{') while (alt[i] !== '}') i++;
    } else if (c === '+') {
      out.push('\0');
    } else if (c === '.' || c === '^' || c === '$') {
      out.push('\0');
    } else {
      out.push(c.toLowerCase());
    }
  }
  return out.join('');
}

test('every alternative of every error rule contains one of its words, so the one-pass word test never hides a match', () => {
  assert.equal(mandatoryText('There (are|were) test failures'), 'there \0 test failures');
  assert.equal(mandatoryText('expected:? ?<.*> but was'), 'expected\0\0<\0> but was');
  assert.equal(mandatoryText('code E40[134]\\b'), 'code e40\0\0');
  assert.equal(mandatoryText('problems?'), 'problem\0');
  for (const rule of ERROR_RULES) {
    assert.ok(rule.re.flags.includes('i'), `${rule.type}: the word test is case-insensitive, so must the rule be`);
    for (const alt of alternatives(rule.re.source)) {
      const text = mandatoryText(alt);
      assert.ok(
        rule.words.some((w) => w === w.toLowerCase() && text.includes(w)),
        `${rule.type}: /${alt}/ contains none of its words (${JSON.stringify(text)})`,
      );
    }
  }
});

test('classify gives what the first matching rule gives (the word test hides no match), on texts made of the rule words in any case', () => {
  const words = ERROR_RULES.flatMap((r) => r.words);
  const filler = ['x', ' ', '\n', 'Tests run: 3, Failures: 1', 'code E404', '<expected> but was <x>', 'exit code 137', 'com.example', 'ERROR', '  ', 'İ', 'ſ'];
  let seed = 11;
  const rnd = (n: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) >>> 16) % n;
  const reference = (text: string): string => ERROR_RULES.find((r) => r.re.test(text))?.type ?? 'error';
  const seen = new Set<string>();
  for (let i = 0; i < 20_000; i++) {
    let text = '';
    for (let k = 1 + rnd(5); k > 0; k--) {
      const w = rnd(3) === 0 ? (filler[rnd(filler.length)] as string) : (words[rnd(words.length)] as string);
      // Upper-case, title-case or as it is: the rules ignore case.
      const c = rnd(3);
      text += c === 0 ? w.toUpperCase() : c === 1 ? w.charAt(0).toUpperCase() + w.slice(1) : w;
    }
    const want = reference(text);
    seen.add(want);
    assert.equal(classify(text), want, JSON.stringify(text));
  }
  // Not vacuous: every class came up.
  assert.equal(seen.size, ERROR_RULES.length + 1, [...seen].join(', '));
});

test('texts with none of the rule words are generic errors, texts with one still go through the rules', () => {
  assert.equal(classify('java.lang.IllegalStateException: leaderboard downloaded from miss test\nCaused by: java.io.IOException: report'), 'error');
  // A word alone is not a match: "fail" is a word, but "failover" matches no test-failure pattern.
  assert.equal(classify('failover to the secondary node'), 'error');
  assert.equal(classify('KILLED PROCESS 4242 (java)'), 'out-of-memory');
});
