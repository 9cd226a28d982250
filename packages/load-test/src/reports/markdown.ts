import { formatMs } from '../threshold.ts';
import type { RunSummary, ScopeSummary } from '../summary.ts';

const ICON = { pass: 'PASS', fail: 'FAIL', inconclusive: 'INCONCLUSIVE' } as const;

/** A Markdown summary (merge request comment, job summary). */
export function renderMarkdown(s: RunSummary): string {
  const lines: string[] = [];
  const model = s.rate != null ? `open model, ${s.rate} req/s` : `closed model, ${s.connections} connections`;
  lines.push(`## Load test: ${ICON[s.verdict]}`, '');
  lines.push(`Target ${s.target}, ${formatMs(s.durationMs)} measured after ${formatMs(s.warmupMs)} warm-up, ${model}${s.runs > 1 ? `, ${s.runs} runs merged` : ''}.`, '');
  if (s.saturation.length) {
    lines.push('**Inconclusive**: the load generator was the bottleneck, so nothing was decided about the target:', '');
    for (const r of s.saturation) lines.push(`- ${r}`);
    lines.push('');
  }
  if (s.verdict === 'fail' && s.limited.connections.length) {
    lines.push('Note: less load than asked was sent, and a threshold broke even so:', '');
    for (const r of s.limited.connections) lines.push(`- ${r}`);
    lines.push('');
  }
  if (s.thresholds.length) {
    lines.push('| threshold | scope | measured | result |', '| --- | --- | --- | --- |');
    for (const t of s.thresholds) lines.push(`| \`${t.threshold}\` | ${t.route ?? 'all'} | ${t.actualText} | ${t.ok ? 'ok' : '**broken**'} |`);
    lines.push('');
  }
  if (s.baseline?.checks.length) {
    lines.push(`Baseline (${s.baseline.file}, limit +${s.baseline.maxRegressionPct}%):`, '', '| metric | baseline | now | change | result |', '| --- | --- | --- | --- | --- |');
    for (const b of s.baseline.checks) {
      const unit = b.metric === 'rps' ? '/s' : 'ms';
      lines.push(`| ${b.route ? `${b.route} ` : ''}${b.metric} | ${b.baseline}${unit} | ${b.current}${unit} | ${b.changePct >= 0 ? '+' : ''}${b.changePct}% | ${b.ok ? 'ok' : '**regressed**'} |`);
    }
    lines.push('');
  }
  lines.push('| scope | requests | req/s | errors | p50 | p95 | p99 | max |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
  lines.push(row('all', s.overall));
  for (const [name, r] of Object.entries(s.routes)) if (Object.keys(s.routes).length > 1) lines.push(row(name, r));
  lines.push('');
  const errs = errorKinds(s.overall);
  if (errs) lines.push(`Errors: ${errs}.`, '');
  return `${lines.join('\n')}`;
}

function row(name: string, r: ScopeSummary): string {
  const l = r.latencyMs;
  return `| ${name} | ${r.requests} | ${r.rps} | ${r.errors} (${(r.errorRate * 100).toFixed(2)}%) | ${formatMs(l.p50)} | ${formatMs(l.p95)} | ${formatMs(l.p99)} | ${formatMs(l.max)} |`;
}

/** Errors by kind, e.g. "HTTP 500: 12, timeouts: 3, ECONNRESET: 1"; empty when none. */
export function errorKinds(r: ScopeSummary): string {
  const parts = Object.entries(r.status).filter(([c]) => !/^2/.test(c)).map(([c, n]) => `HTTP ${c}: ${n}`);
  if (r.timeouts) parts.push(`timeouts: ${r.timeouts}`);
  for (const [c, n] of Object.entries(r.connErrors)) parts.push(`${c}: ${n}`);
  return parts.join(', ');
}
