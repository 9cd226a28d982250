import { relative } from 'node:path';
import type { RunReport, TestRecord } from './report.ts';
import type { Verdict } from './verdict.ts';
import { titleOf } from './verdict.ts';

/** The JSON summary written beside the reports: what a person or a later step needs, nothing more. */
export interface Summary {
  status: 'passed' | 'failed';
  passed: number;
  failed: number;
  flaky: number;
  skipped: number;
  quarantined: number;
  durationMs: number;
  startTime: string;
  baseUrl?: string;
  version?: string;
  shard?: string;
  reasons: string[];
  failures: SummaryTest[];
  flakyTests: SummaryTest[];
  quarantinedTests: (SummaryTest & { expires: string; reason?: string })[];
  expiredQuarantine: { test: string; expires: string; reason?: string }[];
  unmatchedQuarantine: { test: string; expires: string }[];
  errors: string[];
  reports: { html: string; junit: string; json: string };
}

export interface SummaryTest {
  title: string;
  file: string;
  line: number;
  project: string;
  attempts: number;
  error?: string;
  /** Trace, screenshot and video of the failure, relative to the report directory. */
  artifacts: { name: string; path: string }[];
}

/** Builds the summary; artifact paths become relative to the report directory so the folder can move. */
export function buildSummary(report: RunReport, v: Verdict, o: { reportDir: string; baseUrl?: string; version?: string; shard?: string; files: Summary['reports'] }): Summary {
  const test = (t: TestRecord): SummaryTest => ({
    title: titleOf(t),
    file: t.file,
    line: t.line,
    project: t.project,
    attempts: t.attempts,
    ...(t.error ? { error: firstLines(t.error, 6) } : {}),
    artifacts: t.artifacts.map((a) => ({ name: a.name, path: relative(o.reportDir, a.path) })),
  });
  const quarantinedSet = new Set(v.quarantined.map((q) => q.test));
  return {
    status: v.exitCode === 0 ? 'passed' : 'failed',
    passed: v.passed,
    failed: v.failed,
    flaky: v.flaky,
    skipped: v.skipped,
    quarantined: v.quarantined.length,
    durationMs: report.durationMs,
    startTime: report.startTime,
    ...(o.baseUrl ? { baseUrl: o.baseUrl } : {}),
    ...(o.version ? { version: o.version } : {}),
    ...(o.shard ? { shard: o.shard } : {}),
    reasons: v.reasons,
    failures: report.tests.filter((t) => t.outcome === 'failed' && !quarantinedSet.has(t)).map(test),
    flakyTests: report.tests.filter((t) => t.outcome === 'flaky' && !quarantinedSet.has(t)).map(test),
    quarantinedTests: v.quarantined.map((q) => ({ ...test(q.test), expires: q.entry.expires, ...(q.entry.reason ? { reason: q.entry.reason } : {}) })),
    expiredQuarantine: v.expired.map((e) => ({ test: e.test, expires: e.expires, ...(e.reason ? { reason: e.reason } : {}) })),
    unmatchedQuarantine: v.unmatched.map((e) => ({ test: e.test, expires: e.expires })),
    errors: report.errors.map((e) => firstLines(e, 10)),
    reports: o.files,
  };
}

function firstLines(s: string, n: number): string {
  return s.split('\n').slice(0, n).join('\n').trim();
}

/** Seconds with one decimal and a unit ("72.4s"): short, and a valid Go duration. */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** The compact one-line summary result, kept well inside Tekton's result budget. */
export function compactSummary(s: Summary, max = 600): string {
  let line = `${s.status}: ${s.passed} passed, ${s.failed} failed, ${s.flaky} flaky, ${s.skipped} skipped`;
  if (s.quarantined) line += `, ${s.quarantined} quarantined`;
  line += ` in ${formatSeconds(s.durationMs)}`;
  if (s.shard) line += s.shard.includes('/') ? ` (shard ${s.shard})` : ` (${s.shard})`;
  const names = [...s.failures.map((t) => `failed: ${t.title} (${t.file}:${t.line})`), ...s.flakyTests.map((t) => `flaky: ${t.title}`)];
  if (s.expiredQuarantine.length) names.push(`${s.expiredQuarantine.length} quarantine entr${s.expiredQuarantine.length === 1 ? 'y' : 'ies'} expired`);
  if (s.errors.length) names.push(`error: ${s.errors[0]?.split('\n')[0]}`);
  for (const n of names) {
    const next = `${line}; ${n}`;
    if (next.length > max - 12) {
      line += '; …';
      break;
    }
    line = next;
  }
  return line;
}
