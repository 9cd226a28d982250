import type { QuarantineEntry } from './quarantine.ts';
import { findEntry, isExpired } from './quarantine.ts';
import type { RunReport, TestRecord } from './report.ts';

/** A test the quarantine list covered, and the entry that covered it. */
export interface Quarantined {
  test: TestRecord;
  entry: QuarantineEntry;
}

/** The run's outcome after the quarantine list and the flaky policy are applied. */
export interface Verdict {
  passed: number;
  /** Failed tests that count against the run (quarantined failures are not counted here). */
  failed: number;
  flaky: number;
  skipped: number;
  /** Tests that failed or were flaky but are quarantined (run, reported, cannot fail the run). */
  quarantined: Quarantined[];
  /** Entries whose expiry passed: they no longer protect their test, and are reported. */
  expired: QuarantineEntry[];
  /** Entries that matched no test in this run (renamed or fixed tests?). */
  unmatched: QuarantineEntry[];
  /** Tests that fail the run. */
  blocking: TestRecord[];
  /** 0 passed, 1 failed. */
  exitCode: 0 | 1;
  /** Why the run failed, one line per reason. */
  reasons: string[];
}

/** Applies quarantine and the flaky policy to a run report. */
export function decide(report: RunReport, o: { quarantine: readonly QuarantineEntry[]; failOnFlaky: boolean; today?: Date }): Verdict {
  const today = o.today ?? new Date();
  const active = o.quarantine.filter((e) => !isExpired(e, today));
  const expired = o.quarantine.filter((e) => isExpired(e, today));
  const matched = new Set<QuarantineEntry>();
  const quarantined: Quarantined[] = [];
  const blocking: TestRecord[] = [];
  let failed = 0;
  let flaky = 0;
  for (const t of report.tests) {
    const entry = findEntry(o.quarantine, t);
    if (entry) matched.add(entry);
    if (t.outcome !== 'failed' && t.outcome !== 'flaky') continue;
    if (entry && active.includes(entry)) {
      quarantined.push({ test: t, entry });
      continue;
    }
    if (t.outcome === 'failed') {
      failed++;
      blocking.push(t);
    } else {
      flaky++;
      if (o.failOnFlaky) blocking.push(t);
    }
  }
  const reasons: string[] = [];
  if (failed > 0) reasons.push(`${failed} test${failed === 1 ? '' : 's'} failed`);
  if (o.failOnFlaky && flaky > 0) reasons.push(`${flaky} flaky test${flaky === 1 ? '' : 's'} (--fail-on-flaky)`);
  if (report.errors.length > 0) reasons.push(`the suite reported ${report.errors.length} error${report.errors.length === 1 ? '' : 's'} outside tests`);
  return {
    passed: report.tests.filter((t) => t.outcome === 'passed').length,
    failed,
    flaky,
    skipped: report.tests.filter((t) => t.outcome === 'skipped').length,
    quarantined,
    expired,
    unmatched: o.quarantine.filter((e) => !matched.has(e)),
    blocking,
    exitCode: reasons.length > 0 ? 1 : 0,
    reasons,
  };
}

/** "describe › title", as Playwright prints it. */
export function titleOf(t: Pick<TestRecord, 'titlePath'>): string {
  return t.titlePath.join(' › ');
}
