import type { LogEvent } from './grouper.ts';

/** The error classes a build failure is sorted into (ECS error.type). */
export type ErrorType =
  | 'out-of-memory'
  | 'image-pull'
  | 'timeout'
  | 'dependency-resolution'
  | 'lint'
  | 'test-failure'
  | 'compile-error'
  | 'error';

/** A class of build error: its pattern, and words of which every match of it contains one. */
export interface ErrorRule {
  type: ErrorType;
  re: RegExp;
  /**
   * Lower-case literal text, one of which every alternative of `re` contains outside any optional
   * part (classify.test.ts checks this against the pattern's source): when a text contains none
   * of any rule's words, no rule can match, and one pass over it replaces seven.
   */
  words: string[];
}

// Order matters: the first match wins, most specific first (an OOM during tests is an OOM;
// Maven reports a dependency failure as "Failed to execute goal", like a compile error).
export const ERROR_RULES: readonly ErrorRule[] = [
  {
    type: 'out-of-memory',
    re: /OutOfMemoryError|JavaScript heap out of memory|Cannot allocate memory|OOMKilled|\bMemoryError\b|runtime: out of memory|\bENOMEM\b|Killed process \d+|exit code 137/i,
    words: ['memory', 'oomkilled', 'enomem', 'killed process ', 'exit code 137'],
  },
  {
    type: 'image-pull',
    re: /ErrImagePull|ImagePullBackOff|pull access denied|manifest unknown|failed to pull image|TaskRunImagePullFailed|error pulling image/i,
    words: ['imagepull', 'pull access denied', 'manifest unknown', 'pull image', 'pulling image'],
  },
  {
    type: 'timeout',
    re: /timed out|TimeoutException|\bETIMEDOUT\b|deadline exceeded|Timeout of \d+ ?ms exceeded|Exceeded timeout|TaskRunTimeout|PipelineRunTimeout|test timed out after/i,
    words: ['timed out', 'timeout', 'etimedout', 'deadline exceeded'],
  },
  {
    type: 'dependency-resolution',
    re: /Could not resolve dependencies|could not be resolved|Cannot access \S+ \(.*\) in offline mode|PluginResolutionException|DependencyResolutionException|Could not resolve artifact|Could not find artifact|Could not transfer artifact|Non-resolvable (parent|import) POM|\bERESOLVE\b|\bETARGET\b|code E40[134]\b|No matching version found|ModuleNotFoundError|No matching distribution found|Cannot find module|Could not resolve:|unable to resolve dependency|peer dep|ENOTFOUND registry|go: .*: reading .*: 404|missing go.sum entry/i,
    words: [
      'could not resolve', 'could not be resolved', 'offline mode', 'resolutionexception', 'could not find artifact', 'could not transfer artifact',
      'non-resolvable', 'eresolve', 'etarget', 'code e40', 'no matching', 'modulenotfounderror', 'cannot find module', 'unable to resolve dependency',
      'peer dep', 'enotfound registry', ': reading ', 'missing go',
    ],
  },
  {
    type: 'lint',
    re: /\beslint\b|\bcheckstyle\b|\bspotless\b|\bprettier\b|\bpmd\b|\bpylint\b|\bflake8\b|\bgolangci-lint\b|\bruff\b|✖ \d+ problems?|\bstylelint\b|lifecycle script "lint"|run lint|\[lint\]/i,
    words: ['lint', 'checkstyle', 'spotless', 'prettier', 'pmd', 'flake8', 'ruff', '✖ '],
  },
  {
    type: 'test-failure',
    re: /There (are|were) test failures|<<< (FAILURE|ERROR)!|\[ERROR\] (Failures|Errors): |expected:? ?<.*> but was:? ?<|Tests run:.*(Failures: [1-9]|Errors: [1-9])|Tests in error|Failed tests:|AssertionError|AssertionFailedError|ComparisonFailure|expect\(.*\)\.to|Test Suites: .*\d+ failed|Tests: +\d+ failed|\d+ failing\b|# fail +[1-9]|^FAIL\b|--- FAIL:|^not ok \d+|maven-surefire-plugin|maven-failsafe-plugin|lifecycle script "test"|npm (ERR!|error) Test failed|pytest|=+ \d+ failed/im,
    words: ['fail', '<<< ', '[error] ', ' but was', 'tests run:', 'tests in error', 'assertion', 'expect(', 'not ok ', 'surefire', 'lifecycle script "test"', 'pytest'],
  },
  {
    type: 'compile-error',
    re: /COMPILATION ERROR|Compilation failure|cannot find symbol|error TS\d+|SyntaxError|\berror\[E\d+\]|: error: |incompatible types|package [\w.]+ does not exist|undefined: |cannot use .* as .* in|maven-compiler-plugin|Build failed with \d+ errors?|error CS\d+|ReferenceError|Unexpected token/i,
    words: [
      'compilation', 'cannot find symbol', 'error ts', 'syntaxerror', 'error[e', ': error: ', 'incompatible types', 'does not exist', 'undefined: ',
      'cannot use ', 'compiler-plugin', 'build failed with ', 'error cs', 'referenceerror', 'unexpected token',
    ],
  },
];

/** Any word of any rule, in one pattern: most error texts (a generic exception) contain none. */
const ANY_RULE_WORD = new RegExp(
  ERROR_RULES.flatMap((r) => r.words)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|'),
  'i',
);

/** Sorts an error's text into one of the build error classes; "error" when none fits. */
export function classify(text: string): ErrorType {
  // The head and the tail of a long trace say what it is; scanning all of it costs the throughput.
  const t = text.length > 1800 ? `${text.slice(0, 1500)}\n${text.slice(-300)}` : text;
  if (!ANY_RULE_WORD.test(t)) return 'error';
  for (const r of ERROR_RULES) if (r.re.test(t)) return r.type;
  return 'error';
}

/** A log level (ECS log.level). */
export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

// Tested against the first 120 characters only: levels sit at the start of a line, and
// messages further on often mention "error" without being errors.
const ERROR_RE = /(^|[\s[|:(<])(ERROR|ERR|FATAL|SEVERE|CRITICAL|PANIC)([\s\]|:)>!]|$)|^(error|fatal)\b|\[(error|fatal)\]|level=(error|fatal)|\s{2}error\s{2}|^E\d{4} |^FAIL\b|^--- FAIL|✖|\berror TS\d+|: error: |^not ok /;
const WARN_RE = /(^|[\s[|:(<])(WARN|WARNING)([\s\]|:)>]|$)|^(npm )?(warn|warning)\b|\[(warn|warning)\]|level=warn|^W\d{4} /;
const DEBUG_RE = /(^|[\s[|:(<])(DEBUG|TRACE)([\s\]|:)>]|$)|\[(debug|trace)\]|level=(debug|trace)/;
const NOT_ERROR = /\b0 (errors?|failures?|failed)\b|Failures: 0, Errors: 0|errors?: 0\b/i;
/**
 * Text that every match of ERROR_RE, WARN_RE or DEBUG_RE contains (classify.test.ts checks this
 * against them): most lines contain none and are "info" after this one test. The three patterns
 * cost about 750 ns on a 120-character line, this one about 200.
 */
export const LEVEL_WORD = /ERR|FATAL|SEVERE|CRITICAL|PANIC|error|fatal|FAIL|✖|not ok|WARN|warn|DEBUG|TRACE|debug|trace|^[EW]\d/;

/** The level of a plain line, from the markers builds print. */
export function lineLevel(text: string): Level {
  // Fast path for the markers most build lines start with.
  if (text.charCodeAt(0) === 91 /* [ */) {
    if (text.startsWith('[INFO] ')) return 'info';
    if (text.startsWith('[WARNING] ') || text.startsWith('[WARN] ')) return 'warn';
  }
  const head = text.length > 120 ? text.slice(0, 120) : text;
  if (!LEVEL_WORD.test(head)) return 'info';
  return markedLevel(head);
}

/** The level of a line head by the full patterns (what lineLevel gives once LEVEL_WORD matched). */
export function markedLevel(head: string): Level {
  if (ERROR_RE.test(head) && !NOT_ERROR.test(head)) {
    return /FATAL|PANIC|fatal/.test(head) ? 'fatal' : 'error';
  }
  if (WARN_RE.test(head)) return 'warn';
  if (DEBUG_RE.test(head)) return 'debug';
  return 'info';
}

/** The level of a grouped event: traces, panics and error blocks are errors. */
export function eventLevel(e: LogEvent): Level {
  switch (e.kind) {
    case 'go':
      return 'fatal';
    case 'stack':
    case 'python':
    case 'maven':
    case 'npm':
      return 'error';
    case 'line':
      return lineLevel(e.lines[0] ?? '');
  }
}

/** The name of the exception or error code in an error event (ECS error.code), if one shows. */
export function errorCode(full: string): string | undefined {
  const text = full.length > 2000 ? full.slice(0, 2000) : full;
  const npm = /npm (?:ERR!|error) code (\S+)/.exec(text);
  if (npm) return npm[1];
  const ts = /error (TS\d+)/.exec(text);
  if (ts) return ts[1];
  const java = /\b((?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error))\b/.exec(text);
  if (java) return java[1];
  const simple = /^(?:Uncaught )?([A-Z][A-Za-z]*(?:Error|Exception))\b/m.exec(text);
  if (simple) return simple[1];
  return undefined;
}
