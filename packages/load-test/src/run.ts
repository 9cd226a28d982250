import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { StepContext } from '@steg/step-kit';
import { BadInputError, ExitCode, StepError, createProgress } from '@steg/step-kit';
import type { params, results } from './declaration.ts';
import { badPatterns, hostAllowed } from './allow-list.ts';
import { compareWithBaseline } from './baseline.ts';
import { Collector } from './collector.ts';
import { runLoad } from './generator.ts';
import { mergeHistograms, percentileMs } from './histogram.ts';
import { SUMMARY_FILE, findSummaries, mergeSummaries, readSummary } from './merge.ts';
import type { Profile, Route } from './profile.ts';
import { loadProfile } from './profile.ts';
import { renderHtml } from './reports/html.ts';
import { renderJunit } from './reports/junit.ts';
import { renderMarkdown } from './reports/markdown.ts';
import type { RunSummary } from './summary.ts';
import { summarizeCollector } from './summary.ts';
import type { Threshold } from './threshold.ts';
import { readCaBundle, untrustedReason } from './tls-check.ts';
import { formatMs, parseThreshold } from './threshold.ts';
import { checkThresholds, decide, saturationReasons } from './verdict.ts';

type Ctx = StepContext<typeof params, typeof results>;

/** Everything checked before the first request. */
interface Plan {
  target: URL;
  profile: Profile;
  thresholds: Threshold[];
  baseline?: RunSummary;
}

/** Runs the step: validate everything, load (or merge), decide, report. */
export async function runLoadTest(ctx: Ctx): Promise<number> {
  const p = ctx.params;
  if (p.mode === 'merge') {
    const plan = planMerge(ctx);
    mkdirSync(p['report-dir'], { recursive: true });
    ctx.log.info(`merged ${plan.files.length} summaries (${plan.merged.runs} runs, ${plan.merged.overall.requests} requests)`);
    return finish(ctx, plan.merged, plan.thresholds, plan.baseline);
  }
  const plan = planRun(ctx);
  if (plan.target.protocol === 'https:') {
    if (p.insecure) {
      ctx.log.warn(`--insecure: the certificate of ${plan.target.host} is not checked`);
    } else {
      const reason = await untrustedReason(plan.target, readCaBundle(p['ca-file'], ctx.cwd), p.timeout);
      if (reason) {
        throw new BadInputError(`param target is ${JSON.stringify(plan.target.origin)}, whose TLS certificate is not trusted (${reason}); give the CA bundle with --ca-file, or --insecure to load it anyway`);
      }
    }
  } else if (p['ca-file']) {
    readCaBundle(p['ca-file'], ctx.cwd);
  }
  mkdirSync(p['report-dir'], { recursive: true });
  return finish(ctx, await load(ctx, plan), plan.thresholds, plan.baseline);
}

function planRun(ctx: Ctx): Plan {
  const p = ctx.params;
  const problems: string[] = [];
  if (p['merge-from'].length) problems.push('param merge-from is only for --mode merge');
  let target: URL | undefined;
  if (!p.target) problems.push('param target is required in run mode (--target or STEG_TARGET): the base URL to load');
  else target = new URL(p.target);
  const bad = badPatterns(p['allowed-hosts']);
  if (bad.length) problems.push(`param allowed-hosts has ${bad.map((b) => JSON.stringify(b)).join(', ')}, expected host patterns such as app.test.example.com, *.test.example.com, localhost:8080 or *`);
  else if (target && !hostAllowed(target, p['allowed-hosts'])) {
    problems.push(`param target is ${JSON.stringify(target.origin)}, whose host is not in allowed-hosts (${p['allowed-hosts'].join(', ')}); add a pattern for it if this really is a test target`);
  }
  let profile: Profile | undefined;
  if (p.profile) {
    if (p.body || p['content-type'] || p.method !== 'GET') problems.push('params method, body and content-type are for a single URL; with a profile, put them on its routes');
    try {
      profile = loadProfile(p.profile);
    } catch (err) {
      problems.push(`param profile: ${(err as Error).message}`);
    }
  } else if (target) {
    const headers: Record<string, string> = {};
    if (p['content-type']) headers['content-type'] = p['content-type'];
    const route: Route = { name: 'request', method: p.method, path: '', headers, weight: 1, ...(p.body ? { body: p.body } : {}) };
    profile = { routes: [route], thresholds: [] };
  }
  const thresholds = parseThresholdParam(p.thresholds, problems, profile ? profile.routes.map((r) => r.name) : undefined);
  const baseline = readBaseline(p.baseline, problems);
  if (problems.length) throw new BadInputError(problems.join('\n'));
  if (target && !p.profile) {
    // A single URL: the whole URL is the one route, so the base is its origin.
    const route = (profile as Profile).routes[0] as Route;
    route.path = `${target.pathname}${target.search}`;
    target = new URL(target.origin);
  }
  return { target: target as URL, profile: profile as Profile, thresholds: [...(profile as Profile).thresholds, ...thresholds], ...(baseline ? { baseline } : {}) };
}

function planMerge(ctx: Ctx): { merged: ReturnType<typeof mergeSummaries>; files: string[]; thresholds: Threshold[]; baseline?: RunSummary } {
  const p = ctx.params;
  const problems: string[] = [];
  if (p['merge-from'].length === 0) problems.push('param merge-from is required in merge mode: summary files or directories with */summary.json');
  if (p.target || p.profile) problems.push('params target and profile are for run mode; merge mode reads only summaries');
  let files: string[] = [];
  const parts: RunSummary[] = [];
  try {
    files = p['merge-from'].length ? findSummaries(p['merge-from'].map((f) => resolve(ctx.cwd, f)), p['report-dir']) : [];
    if (p['merge-from'].length && files.length === 0) problems.push(`param merge-from is ${JSON.stringify(p['merge-from'].join(','))}, expected summary files or directories holding */${SUMMARY_FILE}; none were found`);
    for (const f of files) parts.push(readSummary(f));
  } catch (err) {
    problems.push(`param merge-from: ${(err as Error).message}`);
  }
  const extra = parseThresholdParam(p.thresholds, problems, undefined);
  const baseline = readBaseline(p.baseline, problems);
  if (problems.length) throw new BadInputError(problems.join('\n'));
  const merged = mergeSummaries(parts);
  const stored = merged.thresholdSpecs.map((s) => parseThreshold(s));
  const all = [...stored, ...extra.filter((t) => !merged.thresholdSpecs.includes(spec(t)))];
  return { merged, files, thresholds: all, ...(baseline ? { baseline } : {}) };
}

function parseThresholdParam(list: string[], problems: string[], routes: string[] | undefined): Threshold[] {
  const out: Threshold[] = [];
  for (const t of list) {
    try {
      const th = parseThreshold(t);
      if (th.route && routes && !routes.includes(th.route)) problems.push(`param thresholds: ${JSON.stringify(t)} names route "${th.route}", expected one of ${routes.join(', ')}`);
      else out.push(th);
    } catch (err) {
      problems.push(`param thresholds: ${(err as Error).message}`);
    }
  }
  return out;
}

function readBaseline(file: string, problems: string[]): RunSummary | undefined {
  if (!file || !existsSync(file)) return undefined;
  try {
    return readSummary(file);
  } catch (err) {
    problems.push(`param baseline: ${(err as Error).message}; remove it to start a new baseline`);
    return undefined;
  }
}

async function load(ctx: Ctx, plan: Plan): Promise<Omit<RunSummary, 'verdict' | 'saturation' | 'limited' | 'thresholds' | 'baseline'>> {
  const p = ctx.params;
  const headers: Record<string, string> = {};
  if (p['auth-header']) headers.authorization = p['auth-header'];
  const bucketMs = Math.max(1000, Math.ceil(p.duration / 120 / 1000) * 1000);
  const collector = new Collector(plan.profile.routes.map((r) => r.name), bucketMs);
  const model = p.rate > 0 ? `${p.rate} req/s (open model) over up to ${p.connections} connections` : `${p.connections} connections (closed model)`;
  ctx.log.info(`loading ${plan.target.origin} for ${formatMs(p.duration)} after ${formatMs(p.warmup)} warm-up: ${model}, routes ${plan.profile.routes.map((r) => `${r.name}×${r.weight}`).join(' ')}`);
  const startedAt = new Date(Date.now() + p.warmup).toISOString();
  const progress = createProgress(ctx.log, 0);
  let lastTick = 0;
  const generator = await runLoad(
    {
      target: plan.target,
      routes: plan.profile.routes,
      connections: p.connections,
      durationMs: p.duration,
      warmupMs: p.warmup,
      rate: p.rate,
      timeoutMs: p.timeout,
      keepAlive: p['keep-alive'],
      headers,
      signal: ctx.signal,
      progressMs: p['progress-interval'],
      onProgress: (elapsed) => {
        const { requests, errors } = collector.recent;
        collector.recent = { requests: 0, errors: 0 };
        const seconds = Math.max(0.001, (elapsed - lastTick) / 1000);
        lastTick = elapsed;
        const p99 = percentileMs(mergeHistograms(collector.routes.map((r) => r.hist)), 99);
        progress.tick(() => `${formatMs(elapsed)}/${formatMs(p.duration)}: ${Math.round(requests / seconds)} req/s, ${errors} errors, p99 so far ${formatMs(p99)}`);
      },
    },
    collector,
  );
  if (ctx.signal.aborted) throw ctx.signal.reason instanceof Error ? ctx.signal.reason : new StepError('stopped');
  const scopes = summarizeCollector(collector, p.duration);
  return {
    format: 'steg-load-test/v1',
    target: plan.target.origin,
    startedAt,
    durationMs: p.duration,
    warmupMs: p.warmup,
    connections: p.connections,
    ...(p.rate > 0 ? { rate: p.rate } : {}),
    runs: 1,
    thresholdSpecs: plan.thresholds.map(spec),
    ...scopes,
    generator: [generator],
  };
}

async function finish(ctx: Ctx, partial: Omit<RunSummary, 'verdict' | 'saturation' | 'limited' | 'thresholds' | 'baseline'> & { limited?: RunSummary['limited'] }, thresholds: Threshold[], baseline?: RunSummary): Promise<number> {
  const p = ctx.params;
  // A merge takes what each run found about its own generator, judged by that run's limits.
  const limited = partial.limited ?? saturationReasons(partial.generator, { maxCpu: p['max-generator-cpu'] / 100, maxLagMs: p['max-generator-lag'], minRateShare: 0.9 });
  const results = checkThresholds(thresholds, partial);
  const summary: RunSummary = { ...partial, verdict: 'pass', saturation: [], limited, thresholds: results };
  if (baseline) {
    summary.baseline = { file: p.baseline, maxRegressionPct: p['max-regression'], checks: compareWithBaseline(summary, baseline, { maxRegressionPct: p['max-regression'], minDeltaMs: 1 }) };
  }
  summary.verdict = decide(limited, results, summary.baseline?.checks);
  if (summary.verdict === 'inconclusive') summary.saturation = [...limited.generator, ...limited.connections];

  const dir = p['report-dir'];
  const files = { summary: join(dir, SUMMARY_FILE), junit: join(dir, 'junit.xml'), markdown: join(dir, 'summary.md'), html: join(dir, 'report.html') };
  // Reports pass through the redactor too: a secret must not reach a file people download.
  const write = (file: string, text: string): void => writeFileSync(file, ctx.redactor.redact(text));
  write(files.summary, `${JSON.stringify(summary, null, 1)}\n`);
  write(files.junit, renderJunit(summary));
  write(files.markdown, renderMarkdown(summary));
  write(files.html, renderHtml(summary));

  const o = summary.overall;
  const l = o.latencyMs;
  for (const t of results) ctx.log.info(`${t.ok ? 'ok    ' : 'BROKEN'} ${t.route ? `${t.route}: ` : ''}${t.threshold} (measured ${t.actualText})`);
  for (const b of summary.baseline?.checks ?? []) ctx.log.info(`${b.ok ? 'ok    ' : 'REGRESSED'} baseline ${b.route ? `${b.route} ` : ''}${b.metric}: ${b.baseline} -> ${b.current} (${b.changePct >= 0 ? '+' : ''}${b.changePct}%)`);
  for (const r of [...limited.generator, ...limited.connections]) ctx.log.warn(r);
  ctx.log.info(`${o.requests} requests, ${o.rps} req/s, ${o.errors} errors (${(o.errorRate * 100).toFixed(2)}%), p50 ${formatMs(l.p50)}, p95 ${formatMs(l.p95)}, p99 ${formatMs(l.p99)}, max ${formatMs(l.max)}`);
  ctx.log.info(`verdict: ${summary.verdict.toUpperCase()}; report ${files.html}`);

  const broken = results.filter((t) => !t.ok).map((t) => (t.route ? `${t.route}: ${t.threshold}` : t.threshold));
  ctx.setResult('verdict', summary.verdict);
  ctx.setResult('summary', compact(summary, broken));
  ctx.setResult('summary-file', files.summary);
  ctx.setResult('report', files.html);

  if (summary.verdict === 'pass' && p.baseline) {
    // Written atomically: a retried or parallel run never reads half a baseline.
    mkdirSync(dirname(p.baseline), { recursive: true });
    const tmp = `${p.baseline}.${process.pid}.tmp`;
    writeFileSync(tmp, readFileSync(files.summary));
    renameSync(tmp, p.baseline);
    ctx.log.info(`baseline ${p.baseline} updated for the next run`);
  }

  const attempts = o.requests + o.timeouts + Object.values(o.connErrors).reduce((a, b) => a + b, 0);
  if (p.mode === 'run' && o.requests === 0 && attempts > 0 && o.timeouts === 0) {
    throw new StepError(`the target ${summary.target} could not be reached: ${Object.entries(o.connErrors).map(([c, n]) => `${c} ×${n}`).join(', ')}`, ExitCode.failed);
  }
  if (summary.verdict === 'inconclusive') return ExitCode.inconclusive;
  return summary.verdict === 'fail' ? ExitCode.checkFailed : ExitCode.ok;
}

/** The Tekton result: small enough for the 4096-byte budget whatever the profile. */
function compact(s: RunSummary, broken: string[]): Record<string, unknown> {
  const l = s.overall.latencyMs;
  const out: Record<string, unknown> = {
    verdict: s.verdict,
    requests: s.overall.requests,
    rps: s.overall.rps,
    errorRate: Math.round(s.overall.errorRate * 1e5) / 1e5,
    p50: l.p50,
    p95: l.p95,
    p99: l.p99,
    max: l.max,
    broken: broken.slice(0, 10),
  };
  if (broken.length > 10) out.brokenMore = broken.length - 10;
  if (s.saturation.length) out.saturation = s.saturation.map((r) => r.slice(0, 200)).slice(0, 3);
  if (s.runs > 1) out.runs = s.runs;
  return out;
}

/** A threshold as written in a summary, with its route. */
function spec(t: Threshold): string {
  return t.route ? `${t.route}: ${t.source}` : t.source;
}
