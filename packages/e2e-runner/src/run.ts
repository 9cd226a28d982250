import { accessSync, constants, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { BadInputError, CheckFailedError, StepError, exec, parseDuration } from '@steg/step-kit';
import type { StepContext } from '@steg/step-kit';
import { describeConfig, findSuiteConfig } from './find-suite.ts';
import type { PlaywrightRuntime } from './playwright-runtime.ts';
import { locatePlaywright, moduleEnv } from './playwright-runtime.ts';
import type { QuarantineEntry } from './quarantine.ts';
import { loadQuarantine } from './quarantine.ts';
import type { RunReport } from './report.ts';
import { readRunReport } from './report.ts';
import { renderJUnit } from './junit.ts';
import { maskArtifacts } from './mask-artifacts.ts';
import { readSecretsDir } from './secrets-env.ts';
import type { Shard } from './shard.ts';
import { parseShard, shardLabel } from './shard.ts';
import { buildSummary, compactSummary, formatSeconds } from './summary.ts';
import { decide, titleOf } from './verdict.ts';
import type { VersionSource } from './wait-for-version.ts';
import { parseVersionSource, waitForVersion } from './wait-for-version.ts';
import { renderWrapperConfig } from './wrapper-config.ts';
import type { params, results } from './step.ts';

type Ctx = StepContext<typeof params, typeof results>;

/** File names inside a report directory. */
export const REPORT_FILES = { html: 'html', junit: 'junit.xml', summary: 'summary.json', json: 'playwright-report.json', artifacts: 'test-results', blob: 'blob' } as const;

/** Everything checked before the first side effect. */
interface RunPlan {
  url: string;
  source: VersionSource;
  readyPath?: string;
  suiteDir: string;
  configFile: string;
  reportsRoot: string;
  reportDir: string;
  shard?: Shard;
  retries?: number;
  workers?: number;
  timeoutMs?: number;
  quarantine: QuarantineEntry[];
  secrets: Record<string, string>;
  runtime: PlaywrightRuntime;
}

/** The step's work: mode run (wait, run one shard, report) or merge (merge the shards' blob reports). */
export async function runE2E(ctx: Ctx): Promise<number> {
  return ctx.params.mode === 'merge' ? merge(ctx) : run(ctx);
}

async function run(ctx: Ctx): Promise<number> {
  const plan = planRun(ctx);
  const p = ctx.params;
  const { log } = ctx;
  log.info(`suite ${describeConfig(plan.suiteDir, plan.configFile)} in ${plan.suiteDir}; @playwright/test ${plan.runtime.version}${plan.runtime.fromWorkspace ? ' (the workspace\'s own copy)' : ''}; Chromium ${p['chromium-path']}`);

  const waited = await waitForVersion({
    baseUrl: plan.url,
    ...(p['expected-version'] ? { expected: p['expected-version'] } : {}),
    source: plan.source,
    ...(plan.readyPath ? { readyPath: plan.readyPath } : {}),
    intervalMs: p['wait-interval'],
    timeoutMs: Math.min(p['wait-timeout'], ctx.remainingMs()),
    log,
    signal: ctx.signal,
  });
  log.info(`${plan.url} reports version ${waited.version ?? '(none)'}${plan.readyPath ? ' and is ready' : ''} after ${formatSeconds(waited.waitedMs)}; starting the tests`);

  prepareReportDir(plan.reportDir);
  const tmp = mkdtempSync(join(tmpdir(), 'steg-e2e-'));
  try {
    const reporter: [string, Record<string, unknown>?][] = [
      ['list'],
      ['json', { outputFile: join(plan.reportDir, REPORT_FILES.json) }],
      ['html', { outputFolder: join(plan.reportDir, REPORT_FILES.html), open: 'never' }],
    ];
    if (plan.shard) reporter.push(['blob', { outputDir: join(plan.reportDir, REPORT_FILES.blob), fileName: `report-${shardLabel(plan.shard)}.zip` }]);
    const wrapper = join(tmp, 'steg.playwright.config.ts');
    writeFileSync(wrapper, renderWrapperConfig({
      configFile: plan.configFile,
      baseUrl: plan.url,
      chromiumPath: p['chromium-path'],
      outputDir: join(plan.reportDir, REPORT_FILES.artifacts),
      reporter,
      trace: p.trace,
      screenshot: p.screenshot,
      video: p.video,
      ...(plan.retries !== undefined ? { retries: plan.retries } : {}),
      ...(plan.workers !== undefined ? { workers: plan.workers } : {}),
      ...(plan.timeoutMs !== undefined ? { timeoutMs: plan.timeoutMs } : {}),
    }));
    const args = [plan.runtime.cli, 'test', '--config', wrapper];
    for (const proj of p.project) args.push('--project', proj);
    if (p.grep) args.push('--grep', p.grep);
    if (p['grep-invert']) args.push('--grep-invert', p['grep-invert']);
    if (plan.shard) args.push('--shard', `${plan.shard.current}/${plan.shard.total}`);
    const env = suiteEnv(ctx.env, plan, tmp);
    const started = Date.now();
    const child = await exec(process.execPath, args, { cwd: plan.suiteDir, env, log, redactor: ctx.redactor, signal: ctx.signal });
    log.debug(`playwright exited with ${child.code} after ${Date.now() - started} ms`);
    const jsonFile = join(plan.reportDir, REPORT_FILES.json);
    if (!existsSync(jsonFile)) {
      throw new CheckFailedError(`the suite could not run (playwright exited with ${child.code} and wrote no report): ${lastLines(child.stderr || child.stdout)}`);
    }
    // Every file of the reports, the JSON report included.
    const masked = maskArtifacts(plan.reportDir, ctx.redactor);
    if (masked.files > 0) log.info(`masked ${masked.occurrences} secret occurrence(s) in ${masked.files} report file(s): traces, the HTML report, attachments`);
    const report = readRunReport(jsonFile);
    if (report.tests.length === 0 && report.errors.every((e) => /no tests found/i.test(e))) {
      throw new BadInputError(`no tests matched in ${describeConfig(plan.suiteDir, plan.configFile)}${filters(ctx)}; expected at least one test to run`);
    }
    return finish(ctx, report, {
      reportDir: plan.reportDir,
      quarantine: plan.quarantine,
      baseUrl: plan.url,
      ...(waited.version ? { version: waited.version } : {}),
      ...(plan.shard ? { shard: `${plan.shard.current}/${plan.shard.total}` } : {}),
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Validates every run-mode param; throws BadInputError (exit 2) before anything is touched. */
function planRun(ctx: Ctx): RunPlan {
  const p = ctx.params;
  const problems: string[] = [];
  const bad = (m: string): void => void problems.push(m);
  let url = '';
  if (!p.url) bad('param url is required in mode run: the base URL of the deployed app, e.g. https://step-counter.test.example.com');
  else {
    try {
      const u = new URL(p.url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') bad(`param url is ${JSON.stringify(p.url)}, expected an http or https URL`);
      url = p.url;
    } catch {
      bad(`param url is ${JSON.stringify(p.url)}, expected an absolute http or https URL such as https://app.test.example.com`);
    }
  }
  const versionPath = p['version-path'].startsWith('/') ? p['version-path'] : `/${p['version-path']}`;
  const source = parseVersionSource(p['version-source'], versionPath);
  if (!source) bad(`param version-source is ${JSON.stringify(p['version-source'])}, expected json:FIELD (e.g. json:version or json:build.version) or header:NAME (e.g. header:X-App-Version)`);
  let shard: Shard | undefined;
  if (p.shard) {
    const s = parseShard(p.shard);
    if (typeof s === 'string') bad(`param shard is ${JSON.stringify(p.shard)}, expected ${s}`);
    else shard = s;
  }
  let timeoutMs: number | undefined;
  if (p['test-timeout']) {
    timeoutMs = parseDuration(p['test-timeout']);
    if (timeoutMs == null || timeoutMs <= 0) bad(`param test-timeout is ${JSON.stringify(p['test-timeout'])}, expected a duration such as 30s or 2m`);
  }
  for (const name of ['grep', 'grep-invert'] as const) {
    if (!p[name]) continue;
    try {
      new RegExp(p[name]);
    } catch (e) {
      bad(`param ${name} is ${JSON.stringify(p[name])}, expected a regular expression (${(e as Error).message})`);
    }
  }
  const chromium = p['chromium-path'];
  try {
    accessSync(chromium, constants.X_OK);
  } catch {
    bad(`param chromium-path is ${JSON.stringify(chromium)}, expected an executable Chromium (no browser there; the e2e-runner image carries /usr/bin/chromium, and nothing is downloaded at run time)`);
  }
  const suiteDir = resolve(ctx.cwd, p.suite);
  let configFile = '';
  try {
    configFile = findSuiteConfig(suiteDir, p.config || undefined);
  } catch (e) {
    bad((e as Error).message);
  }
  let runtime: PlaywrightRuntime | undefined;
  if (configFile) {
    runtime = locatePlaywright(configFile);
    if (!runtime) bad('@playwright/test is not installed beside the runner (the image ships it in /app/node_modules) nor in the suite\'s workspace');
  }
  let quarantine: QuarantineEntry[] = [];
  let secrets: Record<string, string> = {};
  try {
    quarantine = p.quarantine ? loadQuarantine(resolve(suiteDir, p.quarantine)) : [];
  } catch (e) {
    bad((e as Error).message);
  }
  try {
    secrets = p['secrets-dir'] ? readSecretsDir(resolve(ctx.cwd, p['secrets-dir'])) : {};
    for (const v of Object.values(secrets)) ctx.redactor.add(v);
  } catch (e) {
    bad((e as Error).message);
  }
  const reportsRoot = resolve(ctx.cwd, p.reports);
  if (existsSync(reportsRoot) && !statSync(reportsRoot).isDirectory()) bad(`param reports is ${JSON.stringify(p.reports)}, expected a directory (${reportsRoot} is a file)`);
  if (problems.length || !source || !runtime) throw new BadInputError(problems.join('\n'));
  return {
    url,
    source,
    ...(p['ready-path'] && p['ready-path'] !== 'none' ? { readyPath: p['ready-path'].startsWith('/') ? p['ready-path'] : `/${p['ready-path']}` } : {}),
    suiteDir,
    configFile,
    reportsRoot,
    reportDir: shard ? join(reportsRoot, shardLabel(shard)) : reportsRoot,
    ...(shard ? { shard } : {}),
    ...(p.retries ? { retries: Number(p.retries) } : {}),
    ...(p.workers ? { workers: Number(p.workers) } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    quarantine,
    secrets,
    runtime,
  };
}

/** The suite's environment: the step's own, the secrets, the base URL, and module resolution for Playwright. */
function suiteEnv(base: NodeJS.ProcessEnv, plan: RunPlan, tmp: string): NodeJS.ProcessEnv {
  return {
    ...base,
    ...plan.secrets,
    BASE_URL: plan.url,
    PLAYWRIGHT_TEST_BASE_URL: plan.url,
    // A pipeline is CI: suites commonly switch on it (forbidOnly, retries).
    CI: base.CI ?? 'true',
    FORCE_COLOR: '0',
    PLAYWRIGHT_HTML_OPEN: 'never',
    // Nothing is downloaded at run time; Chromium comes from chromium-path.
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
    HOME: base.HOME && isWritable(base.HOME) ? base.HOME : tmpdir(),
    ...moduleEnv(plan.runtime, tmp, base),
  };
}

async function merge(ctx: Ctx): Promise<number> {
  const p = ctx.params;
  const { log } = ctx;
  const reportsRoot = resolve(ctx.cwd, p.reports);
  const blobs = findBlobs(reportsRoot);
  if (blobs.length === 0) {
    throw new BadInputError(`param reports is ${JSON.stringify(p.reports)}, expected a reports directory with the shards' blob reports (shard-*/blob/*.zip under ${reportsRoot}); found none`);
  }
  const quarantine = p.quarantine ? loadQuarantine(resolve(ctx.cwd, p.suite, p.quarantine)) : [];
  const runtime = locatePlaywright(join(reportsRoot, 'steg-anchor.js'));
  if (!runtime) throw new BadInputError('@playwright/test is not installed beside the runner (the image ships it in /app/node_modules)');
  log.info(`merging ${blobs.length} shard report(s): ${blobs.map((b) => basename(b)).join(', ')}`);
  prepareReportDir(reportsRoot, false);
  const tmp = mkdtempSync(join(tmpdir(), 'steg-e2e-merge-'));
  try {
    const blobDir = join(tmp, 'blobs');
    mkdirSync(blobDir);
    for (const b of blobs) copyFileSync(b, join(blobDir, basename(b)));
    const config = join(tmp, 'merge.config.mjs');
    writeFileSync(config, `export default ${JSON.stringify({
      reporter: [
        ['json', { outputFile: join(reportsRoot, REPORT_FILES.json) }],
        ['html', { outputFolder: join(reportsRoot, REPORT_FILES.html), open: 'never' }],
      ],
    })};\n`);
    const env = { ...ctx.env, FORCE_COLOR: '0', PLAYWRIGHT_HTML_OPEN: 'never', HOME: ctx.env.HOME && isWritable(ctx.env.HOME) ? ctx.env.HOME : tmpdir() };
    const child = await exec(process.execPath, [runtime.cli, 'merge-reports', '--config', config, blobDir], { cwd: tmp, env, log, redactor: ctx.redactor, signal: ctx.signal });
    const jsonFile = join(reportsRoot, REPORT_FILES.json);
    if (child.code !== 0 || !existsSync(jsonFile)) {
      throw new StepError(`playwright merge-reports exited with ${child.code}: ${lastLines(child.stderr || child.stdout)}`);
    }
    const report = readRunReport(maskFile(ctx, jsonFile));
    return finish(ctx, report, { reportDir: reportsRoot, quarantine, shard: `${blobs.length} shards merged` });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The blob zips the shards left: <reports>/shard-*-of-*\/blob/*.zip. */
export function findBlobs(reportsRoot: string): string[] {
  if (!existsSync(reportsRoot)) return [];
  const out: string[] = [];
  for (const name of readdirSync(reportsRoot).sort()) {
    if (!/^shard-\d+-of-\d+$/.test(name)) continue;
    const dir = join(reportsRoot, name, REPORT_FILES.blob);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) if (f.endsWith('.zip')) out.push(join(dir, f));
  }
  return out;
}

/** Writes JUnit and the summary, sets the results, logs what failed, and returns the exit code. */
function finish(ctx: Ctx, report: RunReport, o: { reportDir: string; quarantine: QuarantineEntry[]; baseUrl?: string; version?: string; shard?: string }): number {
  const { log } = ctx;
  const verdict = decide(report, { quarantine: o.quarantine, failOnFlaky: ctx.params['fail-on-flaky'] });
  const files = { html: join(o.reportDir, REPORT_FILES.html, 'index.html'), junit: join(o.reportDir, REPORT_FILES.junit), json: join(o.reportDir, REPORT_FILES.json) };
  const junit = renderJUnit(report, verdict, { name: 'e2e', attachmentBase: o.reportDir });
  writeFileSync(files.junit, ctx.redactor.redact(junit));
  const summary = buildSummary(report, verdict, { reportDir: o.reportDir, files, ...(o.baseUrl ? { baseUrl: o.baseUrl } : {}), ...(o.version ? { version: o.version } : {}), ...(o.shard ? { shard: o.shard } : {}) });
  writeFileSync(join(o.reportDir, REPORT_FILES.summary), ctx.redactor.redact(`${JSON.stringify(summary, null, 2)}\n`));

  for (const t of summary.failures) {
    log.error(`FAILED ${t.title} (${t.file}:${t.line}, ${t.project}): ${t.error?.split('\n')[0] ?? ''}`);
    for (const a of t.artifacts) log.error(`  ${a.name}: ${join(o.reportDir, a.path)}`);
  }
  for (const t of summary.flakyTests) log.warn(`FLAKY ${t.title} (${t.file}:${t.line}): passed on attempt ${t.attempts}${ctx.params['fail-on-flaky'] ? ' (fails the run: --fail-on-flaky)' : ''}`);
  for (const q of verdict.quarantined) log.warn(`QUARANTINED ${titleOf(q.test)} ${q.test.outcome} (until ${q.entry.expires}${q.entry.reason ? `: ${q.entry.reason}` : ''}); it does not fail the run`);
  for (const e of verdict.expired) log.warn(`quarantine entry for "${e.test}" expired on ${e.expires}: the test counts again; fix it or renew the entry`);
  for (const e of verdict.unmatched) if (!verdict.expired.includes(e)) log.warn(`quarantine entry for "${e.test}" matched no test in this run`);
  for (const e of report.errors) log.error(`suite error: ${e.split('\n')[0]}`);

  const line = compactSummary(summary);
  ctx.setResult('passed', verdict.passed);
  ctx.setResult('failed', verdict.failed);
  ctx.setResult('flaky', verdict.flaky);
  ctx.setResult('skipped', verdict.skipped);
  ctx.setResult('duration', formatSeconds(report.durationMs));
  ctx.setResult('report-path', o.reportDir);
  ctx.setResult('summary', line);
  log.info(line);
  log.info(`reports: ${files.html}, ${files.junit}, ${join(o.reportDir, REPORT_FILES.summary)}`);
  if (verdict.exitCode !== 0) throw new CheckFailedError(`e2e tests failed: ${verdict.reasons.join('; ')}`);
  return 0;
}

/** Removes what an earlier run of this step left, so a re-run reports only itself. */
function prepareReportDir(dir: string, withArtifacts = true): void {
  mkdirSync(dir, { recursive: true });
  const names: string[] = [REPORT_FILES.html, REPORT_FILES.junit, REPORT_FILES.summary, REPORT_FILES.json];
  if (withArtifacts) names.push(REPORT_FILES.artifacts, REPORT_FILES.blob);
  for (const n of names) rmSync(join(dir, n), { recursive: true, force: true });
}

/** Masks secrets the tests printed in Playwright's JSON report, in place; returns the path. */
function maskFile(ctx: Ctx, file: string): string {
  if (ctx.redactor.size > 0) writeFileSync(file, ctx.redactor.redact(readFileSync(file, 'utf8')));
  return file;
}

function isWritable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function lastLines(s: string, n = 8): string {
  return s.trim().split('\n').slice(-n).join('\n');
}

function filters(ctx: Ctx): string {
  const p = ctx.params;
  const f = [p.project.length ? `project ${p.project.join(',')}` : '', p.grep ? `grep ${JSON.stringify(p.grep)}` : '', p['grep-invert'] ? `grep-invert ${JSON.stringify(p['grep-invert'])}` : '', p.shard ? `shard ${p.shard}` : ''].filter(Boolean);
  return f.length ? ` with ${f.join(', ')}` : '';
}

