import type { RunSummary } from '../summary.ts';

/** JUnit XML with one test case per threshold and baseline check (GitLab shows them in the merge request). */
export function renderJunit(s: RunSummary): string {
  const cases: string[] = [];
  const seconds = (s.durationMs / 1000).toFixed(3);
  for (const t of s.thresholds) {
    const name = t.route ? `${t.route}: ${t.threshold}` : t.threshold;
    const body = t.ok ? '' : `<failure message="${esc(`${name} broken: measured ${t.actualText}`)}" type="threshold">${esc(`${name}: measured ${t.actualText}`)}</failure>`;
    cases.push(`    <testcase classname="load-test.thresholds" name="${esc(name)}" time="${seconds}">${body}<system-out>${esc(`measured ${t.actualText}`)}</system-out></testcase>`);
  }
  for (const b of s.baseline?.checks ?? []) {
    const name = `baseline ${b.route ? `${b.route} ` : ''}${b.metric}`;
    const text = `${b.current} now, ${b.baseline} in the baseline (${b.changePct >= 0 ? '+' : ''}${b.changePct}% worse; limit ${s.baseline?.maxRegressionPct}%)`;
    const body = b.ok ? '' : `<failure message="${esc(`${name} regressed: ${text}`)}" type="regression">${esc(text)}</failure>`;
    cases.push(`    <testcase classname="load-test.baseline" name="${esc(name)}" time="0">${body}<system-out>${esc(text)}</system-out></testcase>`);
  }
  // Saturation is its own case: an error (not a failure) because nothing about the target was decided.
  const sat = s.saturation.length
    ? `<error message="${esc(`inconclusive: ${s.saturation[0]}`)}" type="inconclusive">${esc(s.saturation.join('\n'))}</error>`
    : '';
  cases.push(`    <testcase classname="load-test.generator" name="generator not saturated" time="0">${sat}</testcase>`);
  const failures = s.thresholds.filter((t) => !t.ok).length + (s.baseline?.checks ?? []).filter((b) => !b.ok).length;
  const errors = s.saturation.length ? 1 : 0;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="steg load-test" tests="${cases.length}" failures="${failures}" errors="${errors}" time="${seconds}">`,
    `  <testsuite name="load-test ${esc(s.target)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0" time="${seconds}" timestamp="${esc(s.startedAt)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
