import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';

/** How one test ended, across its retries. */
export type Outcome = 'passed' | 'failed' | 'flaky' | 'skipped';

/** One test (one project) as the runner reports it. */
export interface TestRecord {
  /** Spec file relative to the suite's root dir. */
  file: string;
  line: number;
  project: string;
  /** describe blocks and the test title. */
  titlePath: string[];
  outcome: Outcome;
  /** Attempts made (1 + retries used). */
  attempts: number;
  durationMs: number;
  /** First error of the last failed attempt, without terminal colours. */
  error?: string;
  /** Failure artifacts (trace, screenshot, video) of the last failed attempt: absolute paths. */
  artifacts: { name: string; path: string }[];
  /** Output the test printed (masked later by the writer of each report). */
  stdout: string;
}

/** What a Playwright run produced, read from its JSON report. */
export interface RunReport {
  tests: TestRecord[];
  /** Errors outside any test: config or import errors, global setup, "no tests found". */
  errors: string[];
  durationMs: number;
  startTime: string;
  rootDir: string;
}

interface PwResult {
  status: string;
  duration: number;
  retry: number;
  errors?: { message?: string }[];
  attachments?: { name: string; path?: string; contentType: string }[];
  stdout?: ({ text?: string } | { buffer?: string })[];
}
interface PwTest {
  projectName: string;
  status: 'expected' | 'unexpected' | 'flaky' | 'skipped';
  expectedStatus: string;
  results: PwResult[];
}
interface PwSpec {
  title: string;
  file: string;
  line: number;
  tests: PwTest[];
}
interface PwSuite {
  title: string;
  file: string;
  specs?: PwSpec[];
  suites?: PwSuite[];
}
interface PwReport {
  config: { rootDir: string };
  suites: PwSuite[];
  errors: { message?: string }[];
  stats: { startTime: string; duration: number };
}

/** Strips terminal colour codes Playwright puts in error messages. */
export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}

/** Reads Playwright's JSON report file. */
export function readRunReport(file: string): RunReport {
  return toRunReport(JSON.parse(readFileSync(file, 'utf8')) as PwReport);
}

/** Flattens Playwright's nested suites into one record per test and project. */
export function toRunReport(r: PwReport): RunReport {
  const tests: TestRecord[] = [];
  const walk = (s: PwSuite, titles: string[]): void => {
    for (const spec of s.specs ?? []) {
      for (const t of spec.tests) tests.push(toRecord(spec, t, titles, r.config.rootDir));
    }
    for (const child of s.suites ?? []) walk(child, [...titles, child.title]);
  };
  // The top-level suites are files; their titles are not part of a test's title path.
  for (const fileSuite of r.suites) walk(fileSuite, []);
  return {
    tests,
    errors: (r.errors ?? []).map((e) => stripAnsi(e.message ?? 'unknown error')),
    durationMs: Math.round(r.stats.duration),
    startTime: r.stats.startTime,
    rootDir: r.config.rootDir,
  };
}

function toRecord(spec: PwSpec, t: PwTest, titles: string[], rootDir: string): TestRecord {
  const outcome: Outcome = t.status === 'expected' ? 'passed' : t.status === 'unexpected' ? 'failed' : t.status;
  const failedAttempts = t.results.filter((res) => res.status !== 'passed' && res.status !== 'skipped');
  const lastFailed = failedAttempts.at(-1);
  const message = lastFailed?.errors?.find((e) => e.message)?.message;
  return {
    file: isAbsolute(spec.file) ? relative(rootDir, spec.file) : spec.file,
    line: spec.line,
    project: t.projectName,
    titlePath: [...titles, spec.title],
    outcome,
    attempts: t.results.length,
    durationMs: t.results.reduce((sum, res) => sum + res.duration, 0),
    ...(outcome === 'failed' || outcome === 'flaky' ? { error: stripAnsi(message ?? `test ended ${lastFailed?.status ?? t.status}`) } : {}),
    artifacts: (lastFailed?.attachments ?? [])
      .filter((a) => a.path && ['trace', 'screenshot', 'video'].includes(a.name))
      .map((a) => ({ name: a.name, path: a.path as string })),
    stdout: t.results.flatMap((res) => (res.stdout ?? []).map((o) => ('text' in o && o.text ? o.text : ''))).join(''),
  };
}
