import type { JsHistogram } from 'hdr-histogram-js';
import { decodeHistogram } from '../histogram.ts';
import { formatMs } from '../threshold.ts';
import type { RunSummary, ScopeSummary } from '../summary.ts';
import { errorKinds } from './markdown.ts';

const W = 760;
const H = 260;
const PAD = { l: 64, r: 16, t: 16, b: 40 };
const COLORS = { p50: '#2b6cb0', p99: '#c05621', max: '#a0aec0', bar: '#4a5568', err: '#c53030' };

/** A self-contained HTML report: no scripts, no CDN, charts as inline SVG. */
export function renderHtml(s: RunSummary): string {
  const verdictColor = s.verdict === 'pass' ? '#276749' : s.verdict === 'fail' ? '#c53030' : '#b7791f';
  const model = s.rate != null ? `open model, ${s.rate} req/s` : `closed model, ${s.connections} connections`;
  const routes = Object.entries(s.routes);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Load test ${esc(s.verdict.toUpperCase())}: ${esc(s.target)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:820px;color:#1a202c;padding:0 12px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
.verdict{display:inline-block;padding:2px 10px;border-radius:4px;color:#fff;background:${verdictColor};font-weight:600}
table{border-collapse:collapse;width:100%;margin:4px 0}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e2e8f0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}.bad{color:#c53030;font-weight:600}.ok{color:#276749}
.muted{color:#4a5568}.note{background:#fefcbf;border-left:4px solid #b7791f;padding:8px 12px}
svg text{font:11px system-ui,sans-serif;fill:#4a5568}
</style></head><body>
<h1>Load test <span class="verdict">${esc(s.verdict.toUpperCase())}</span></h1>
<p class="muted">${esc(s.target)} · started ${esc(s.startedAt)} · ${esc(formatMs(s.durationMs))} measured after ${esc(formatMs(s.warmupMs))} warm-up · ${esc(model)}${s.runs > 1 ? ` · ${s.runs} runs merged` : ''}</p>
${s.saturation.length ? `<div class="note"><strong>Inconclusive:</strong> the load generator was the bottleneck, so nothing was decided about the target.<ul>${s.saturation.map((r) => `<li>${esc(r)}</li>`).join('')}</ul></div>` : ''}
${s.verdict === 'fail' && s.limited.connections.length ? `<div class="note"><strong>Note:</strong> less load than asked was sent, and a threshold broke even so.<ul>${s.limited.connections.map((r) => `<li>${esc(r)}</li>`).join('')}</ul></div>` : ''}
<h2>Thresholds</h2>
${s.thresholds.length ? `<table><tr><th>threshold</th><th>scope</th><th class="num">measured</th><th>result</th></tr>
${s.thresholds.map((t) => `<tr><td><code>${esc(t.threshold)}</code></td><td>${esc(t.route ?? 'all')}</td><td class="num">${esc(t.actualText)}</td><td class="${t.ok ? 'ok' : 'bad'}">${t.ok ? 'ok' : 'broken'}</td></tr>`).join('\n')}</table>` : '<p class="muted">No thresholds were given.</p>'}
${s.baseline?.checks.length ? `<h2>Baseline</h2><p class="muted">${esc(s.baseline.file)}; a metric may be at most ${s.baseline.maxRegressionPct}% worse.</p><table><tr><th>metric</th><th class="num">baseline</th><th class="num">now</th><th class="num">change</th><th>result</th></tr>
${s.baseline.checks.map((b) => `<tr><td>${esc(`${b.route ? `${b.route} ` : ''}${b.metric}`)}</td><td class="num">${b.baseline}</td><td class="num">${b.current}</td><td class="num">${b.changePct >= 0 ? '+' : ''}${b.changePct}%</td><td class="${b.ok ? 'ok' : 'bad'}">${b.ok ? 'ok' : 'regressed'}</td></tr>`).join('\n')}</table>` : ''}
<h2>Latency over time</h2>
${timelineChart(s)}
<h2>Latency distribution</h2>
${histogramChart(s.overall)}
<h2>Requests</h2>
<table><tr><th>scope</th><th class="num">requests</th><th class="num">req/s</th><th class="num">errors</th><th class="num">p50</th><th class="num">p90</th><th class="num">p95</th><th class="num">p99</th><th class="num">max</th></tr>
${scopeRow('all', s.overall)}
${routes.length > 1 ? routes.map(([n, r]) => scopeRow(n, r)).join('\n') : ''}</table>
${errorKinds(s.overall) ? `<p>Errors: ${esc(errorKinds(s.overall))}</p>` : '<p class="muted">No errors.</p>'}
<h2>Generator</h2>
<table><tr><th>run</th><th class="num">CPU (one core)</th><th class="num">event-loop lag p99</th><th class="num">sent / asked</th></tr>
${s.generator.map((g, i) => `<tr><td>${i + 1}</td><td class="num">${Math.round(g.cpu * 100)}%</td><td class="num">${g.eventLoopLagP99Ms}ms</td><td class="num">${g.targetRate != null ? `${g.sentRate} / ${g.targetRate} req/s` : 'closed model'}</td></tr>`).join('\n')}</table>
<p class="muted">steg load-test · latencies from HDR histograms (3 significant digits); in the open model a request that waited for a free connection counts from when it was due.</p>
</body></html>
`;
}

function scopeRow(name: string, r: ScopeSummary): string {
  const l = r.latencyMs;
  return `<tr><td>${esc(name)}</td><td class="num">${r.requests}</td><td class="num">${r.rps}</td><td class="num${r.errors ? ' bad' : ''}">${r.errors} (${(r.errorRate * 100).toFixed(2)}%)</td>${[l.p50, l.p90, l.p95, l.p99, l.max].map((v) => `<td class="num">${esc(formatMs(v))}</td>`).join('')}</tr>`;
}

/** p50, p99 and max per time slice, with error slices marked. */
function timelineChart(s: RunSummary): string {
  const pts = s.timeline;
  if (pts.length === 0) return '<p class="muted">No measured requests.</p>';
  const tMax = Math.max(s.durationMs, (pts.at(-1)?.t ?? 0) + s.timelineBucketMs) / 1000;
  const yMax = niceCeil(Math.max(...pts.map((p) => p.p99), 0.001) * 1.15);
  const x = (t: number): number => PAD.l + ((t / 1000 + s.timelineBucketMs / 2000) / tMax) * (W - PAD.l - PAD.r);
  const y = (v: number): number => H - PAD.b - (Math.min(v, yMax) / yMax) * (H - PAD.t - PAD.b);
  const line = (key: 'p50' | 'p99' | 'max', color: string, dash = ''): string =>
    `<polyline fill="none" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''} points="${pts.filter((p) => p.requests > 0).map((p) => `${x(p.t).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ')}"/>`;
  const errs = pts.filter((p) => p.errors > 0).map((p) => `<rect x="${(x(p.t) - 2).toFixed(1)}" y="${H - PAD.b - 6}" width="4" height="6" fill="${COLORS.err}"><title>${p.errors} errors</title></rect>`).join('');
  return svg(
    `${axes(tMax, yMax, (v) => `${round(v)}s`, (v) => formatMs(v))}${line('max', COLORS.max, '3 3')}${line('p99', COLORS.p99)}${line('p50', COLORS.p50)}${errs}` +
      legend([['p50', COLORS.p50], ['p99', COLORS.p99], ['max', COLORS.max], ['errors', COLORS.err]]),
    'Latency over time',
  );
}

/** Request counts in log-spaced latency bins. */
function histogramChart(r: ScopeSummary): string {
  const h = decodeHistogram(r.histogram) as JsHistogram;
  if (h.totalCount === 0) return '<p class="muted">No measured requests.</p>';
  const lo = Math.max(1, h.minNonZeroValue);
  const hi = Math.max(lo * 1.01, h.maxValue);
  const n = 40;
  const lnLo = Math.log(lo);
  const step = (Math.log(hi) - lnLo) / n || 1;
  const counts = new Array<number>(n).fill(0);
  const it = h.recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    const i = Math.min(n - 1, Math.max(0, Math.floor((Math.log(Math.max(lo, v.valueIteratedTo)) - lnLo) / step)));
    counts[i] = (counts[i] as number) + v.countAtValueIteratedTo;
  }
  const cMax = Math.max(...counts);
  const bw = (W - PAD.l - PAD.r) / n;
  const bars = counts.map((c, i) => {
    const bh = (c / cMax) * (H - PAD.t - PAD.b);
    const from = Math.exp(lnLo + i * step) / 1000;
    const to = Math.exp(lnLo + (i + 1) * step) / 1000;
    return `<rect x="${(PAD.l + i * bw + 1).toFixed(1)}" y="${(H - PAD.b - bh).toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${bh.toFixed(1)}" fill="${COLORS.bar}"><title>${formatMs(from)} to ${formatMs(to)}: ${c}</title></rect>`;
  });
  const ticks = [0, 10, 20, 30, 40].map((i) => {
    const xx = PAD.l + i * bw;
    return `<line x1="${xx}" y1="${H - PAD.b}" x2="${xx}" y2="${H - PAD.b + 4}" stroke="#718096"/><text x="${xx}" y="${H - PAD.b + 16}" text-anchor="${i === n ? 'end' : i === 0 ? 'start' : 'middle'}">${esc(formatMs(Math.exp(lnLo + i * step) / 1000))}</text>`;
  });
  // Labels are staggered vertically: p95 and p99 often sit a few pixels apart.
  const marks = (['p50', 'p95', 'p99'] as const).map((k, i) => {
    const v = r.latencyMs[k] * 1000;
    const xx = PAD.l + ((Math.log(Math.max(lo, v)) - lnLo) / (step * n)) * (W - PAD.l - PAD.r);
    return `<line x1="${xx.toFixed(1)}" y1="${PAD.t}" x2="${xx.toFixed(1)}" y2="${H - PAD.b}" stroke="${k === 'p50' ? COLORS.p50 : COLORS.p99}" stroke-dasharray="4 3"/><text x="${(xx + 3).toFixed(1)}" y="${PAD.t + 10 + i * 13}" text-anchor="${xx > W - PAD.r - 40 ? 'end' : 'start'}" dx="${xx > W - PAD.r - 40 ? -6 : 0}">${k}</text>`;
  });
  return svg(
    `<line x1="${PAD.l}" y1="${H - PAD.b}" x2="${W - PAD.r}" y2="${H - PAD.b}" stroke="#718096"/><text x="${PAD.l - 8}" y="${PAD.t + 8}" text-anchor="end">${cMax}</text><text x="${PAD.l - 8}" y="${H - PAD.b}" text-anchor="end">0</text>${bars.join('')}${ticks.join('')}${marks.join('')}<text x="${(W + PAD.l) / 2}" y="${H - 6}" text-anchor="middle">latency (log scale)</text>`,
    'Latency distribution',
  );
}

function axes(xMax: number, yMax: number, fx: (v: number) => string, fy: (v: number) => string): string {
  const out: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    const yy = H - PAD.b - (i / 4) * (H - PAD.t - PAD.b);
    out.push(`<line x1="${PAD.l}" y1="${yy}" x2="${W - PAD.r}" y2="${yy}" stroke="#edf2f7"/><text x="${PAD.l - 8}" y="${yy + 4}" text-anchor="end">${esc(fy(v))}</text>`);
  }
  for (let i = 0; i <= 5; i++) {
    const xx = PAD.l + (i / 5) * (W - PAD.l - PAD.r);
    out.push(`<text x="${xx}" y="${H - PAD.b + 16}" text-anchor="middle">${esc(fx((xMax * i) / 5))}</text>`);
  }
  out.push(`<line x1="${PAD.l}" y1="${H - PAD.b}" x2="${W - PAD.r}" y2="${H - PAD.b}" stroke="#718096"/><line x1="${PAD.l}" y1="${PAD.t}" x2="${PAD.l}" y2="${H - PAD.b}" stroke="#718096"/>`);
  out.push(`<text x="${(W + PAD.l) / 2}" y="${H - 6}" text-anchor="middle">time since the warm-up ended (by send time)</text>`);
  return out.join('');
}

function legend(items: [string, string][]): string {
  return items.map(([label, color], i) => `<rect x="${W - PAD.r - 300 + i * 75}" y="${PAD.t - 12}" width="10" height="10" fill="${color}"/><text x="${W - PAD.r - 286 + i * 75}" y="${PAD.t - 3}">${label}</text>`).join('');
}

function svg(body: string, title: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title>${body}</svg>`;
}

function niceCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function round(v: number): string {
  return v >= 10 ? String(Math.round(v)) : String(Math.round(v * 10) / 10);
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
