import { relative } from 'node:path';
import type { RunReport, TestRecord } from './report.ts';
import type { Verdict } from './verdict.ts';
import { titleOf } from './verdict.ts';

/** Escapes text for XML attributes and text, dropping characters XML 1.0 cannot hold. */
export function xml(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/**
 * JUnit XML for GitLab's test report widget. Test names match Playwright's own JUnit reporter
 * (suite = spec file, name = "describe › title"), so GitLab's history keeps tracking a test.
 * A flaky test stays a pass (it passed) but says so: a `flaky` property, Surefire's
 * `<flakyFailure>` for tools that read it, and a FLAKY line in system-out, which GitLab shows.
 * A quarantined failure stays a failure in the report, its message prefixed [quarantined ...].
 * Failure artifacts are linked with GitLab's [[ATTACHMENT|path]] (relative to `attachmentBase`).
 */
export function renderJUnit(report: RunReport, v: Verdict, o: { name: string; attachmentBase: string }): string {
  const quarantine = new Map(v.quarantined.map((q) => [q.test, q.entry]));
  const byFile = new Map<string, TestRecord[]>();
  for (const t of report.tests) {
    const list = byFile.get(t.file) ?? [];
    list.push(t);
    byFile.set(t.file, list);
  }
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const total = report.tests.length;
  const failures = report.tests.filter((t) => t.outcome === 'failed').length;
  const skipped = report.tests.filter((t) => t.outcome === 'skipped').length;
  out.push(`<testsuites name="${xml(o.name)}" tests="${total}" failures="${failures}" skipped="${skipped}" errors="${report.errors.length}" time="${sec(report.durationMs)}">`);
  for (const [file, tests] of byFile) {
    const f = tests.filter((t) => t.outcome === 'failed').length;
    const s = tests.filter((t) => t.outcome === 'skipped').length;
    const time = tests.reduce((a, t) => a + t.durationMs, 0);
    out.push(`  <testsuite name="${xml(file)}" timestamp="${xml(report.startTime)}" hostname="${xml(tests[0]?.project ?? '')}" tests="${tests.length}" failures="${f}" skipped="${s}" errors="0" time="${sec(time)}">`);
    for (const t of tests) {
      const entry = quarantine.get(t);
      out.push(`    <testcase name="${xml(titleOf(t))}" classname="${xml(file)}" file="${xml(file)}" time="${sec(t.durationMs)}">`);
      const props: string[] = [];
      if (t.outcome === 'flaky') props.push('flaky');
      if (entry) props.push('quarantined');
      if (props.length || t.project) {
        out.push('      <properties>');
        if (t.project) out.push(`        <property name="project" value="${xml(t.project)}"/>`);
        for (const p of props) out.push(`        <property name="${p}" value="true"/>`);
        if (entry) out.push(`        <property name="quarantine.expires" value="${xml(entry.expires)}"/>`);
        out.push('      </properties>');
      }
      const err = t.error ?? '';
      const firstLine = err.split('\n')[0] ?? '';
      const system: string[] = [];
      if (t.outcome === 'failed') {
        const prefix = entry ? `[quarantined until ${entry.expires}${entry.reason ? `: ${entry.reason}` : ''}] ` : '';
        out.push(`      <failure message="${xml(prefix + firstLine)}" type="${entry ? 'quarantined' : 'FAILURE'}">${xml(`${t.file}:${t.line}\n\n${err}`)}</failure>`);
      } else if (t.outcome === 'skipped') {
        out.push('      <skipped/>');
      } else if (t.outcome === 'flaky') {
        out.push(`      <flakyFailure message="${xml(firstLine)}" type="FAILURE">${xml(err)}</flakyFailure>`);
        system.push(`FLAKY: passed on attempt ${t.attempts} after failing: ${firstLine}${entry ? ` [quarantined until ${entry.expires}]` : ''}`);
      }
      for (const a of t.artifacts) system.push(`[[ATTACHMENT|${relative(o.attachmentBase, a.path)}]]`);
      if (t.stdout.trim()) system.push(t.stdout.trimEnd());
      if (system.length) out.push(`      <system-out>${xml(system.join('\n'))}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  if (report.errors.length) {
    // Errors outside tests (a broken import, global setup) would be invisible in a list of test cases.
    out.push(`  <testsuite name="suite errors" tests="${report.errors.length}" failures="0" skipped="0" errors="${report.errors.length}" time="0">`);
    report.errors.forEach((e, i) => {
      out.push(`    <testcase name="${xml(`suite error ${i + 1}: ${e.split('\n')[0] ?? ''}`)}" classname="suite errors" time="0">`);
      out.push(`      <error message="${xml(e.split('\n')[0] ?? '')}" type="ERROR">${xml(e)}</error>`);
      out.push('    </testcase>');
    });
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

function sec(ms: number): string {
  return (ms / 1000).toFixed(3);
}
