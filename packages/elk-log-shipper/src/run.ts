import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { isAbsolute, relative, resolve } from 'node:path';
import { BadInputError, ExitCode, StepError, createProgress } from '@steg/step-kit';
import type { StepContext } from '@steg/step-kit';
import type { RunContext, StepFailure } from './ecs-doc.ts';
import { DocEncoder } from './ecs-doc.ts';
import { expandGlob, isGlob } from './glob.ts';
import { ConnectionError, HttpClient, authHeaders } from './http.ts';
import { discoverUrl } from './kibana.ts';
import { KubeClient } from './kube.ts';
import { WorkspaceParking, readSpool, spoolFiles } from './parking.ts';
import { pump } from './pump.ts';
import { readChunks } from './read-chunks.ts';
import type { Transport } from './shipper.ts';
import { Shipper } from './shipper.ts';
import { setupElasticsearch } from './setup.ts';
import type { params, results } from './step.ts';
import { ElasticsearchTransport, FileTransport, LogstashTransport, esReason } from './transports.ts';

type Ctx = StepContext<typeof params, typeof results>;

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** A file (or stdin) to ship. */
interface FileInput {
  abs: string;
  /** Path relative to the workspace, or "-" for stdin. */
  rel: string;
}

/** Everything checked and resolved before the first side effect. */
interface Plan {
  workspace: string;
  files: FileInput[];
  exitCode: number | undefined;
  labels: Record<string, string>;
  ca: string | undefined;
  auth: { apiKey: string | undefined; username: string; password: string | undefined };
  kube?: { url: string; token: string; ca: string | undefined; namespace: string };
}

/** The shipper's run: validate, connect, set up, ship the spool, ship the logs, report. */
export async function runShipper(ctx: Ctx): Promise<number> {
  const p = ctx.params;
  const plan = validate(ctx);
  const started = new Date().toISOString();
  const { log } = ctx;

  const parking = new WorkspaceParking(resolve(plan.workspace, p['spool-dir']), resolve(plan.workspace, p['dead-letter-file']), p.index);
  const { transport, client, degraded } = await connect(ctx, plan);
  if (p.mode !== 'ship') {
    if (degraded) {
      log.warn('setup skipped: Elasticsearch is unreachable');
    } else {
      await setupElasticsearch(client as HttpClient, p.index, log, ctx.signal);
    }
    if (p.mode === 'setup') {
      ctx.setResult('degraded', degraded);
      client?.close();
      return degraded && p.strict ? ExitCode.failed : ExitCode.ok;
    }
  }

  const shipper = new Shipper({
    transport,
    parking,
    log,
    signal: ctx.signal,
    batchBytes: p['batch-bytes'],
    batchCount: p['batch-count'],
    retries: p.retries,
    degraded,
    flushIntervalMs: p['flush-interval'],
    minDelayMs: Number(ctx.env.STEG_ELK_MIN_RETRY_DELAY_MS ?? 200),
  });
  let errorsFound = 0;
  let kubeUnreachable = false;
  let bytesRead = 0;
  const progress = createProgress(log, 5000);
  const onChunk = (n: number): void => {
    bytesRead += n;
    progress.tick(() => `read ${(bytesRead / 1048576).toFixed(1)} MiB, shipped ${shipper.stats.shipped} documents`);
  };
  const redact = ctx.redactor.size > 0 ? (s: string): string => ctx.redactor.redact(s) : undefined;

  try {
    await shipSpool(shipper, resolve(plan.workspace, p['spool-dir']), log);

    const run: RunContext = {
      pipelineName: p['pipeline-name'],
      pipelineRunId: p['pipeline-run'],
      serviceName: p['service-name'] || p['pipeline-name'] || 'build',
      vcsRepository: p['vcs-repository'],
      vcsRevision: p['vcs-revision'],
      vcsRef: p['vcs-ref'],
      labels: plan.labels,
      lineContext: p['line-context'],
    };

    if (plan.kube) {
      const k = await shipKubernetes(ctx, plan.kube, run, started, shipper, onChunk, redact);
      errorsFound += k.errors;
      kubeUnreachable = k.unreachable;
    } else {
      const anonymous = !p['pipeline-run'] && !p['task-run'];
      let last: { tail: string[]; firstErrorType: StepFailure['firstErrorType']; firstErrorMessage: string | undefined } = { tail: [], firstErrorType: undefined, firstErrorMessage: undefined };
      for (const f of plan.files) {
        const salt = !anonymous ? '' : f.rel === '-' ? randomUUID() : fileSalt(f.abs);
        const enc = new DocEncoder(run, { taskName: p['task-name'], taskRunId: p['task-run'], stepName: p['step-name'], path: f.rel, salt }, started, redact);
        const input = f.rel === '-' ? process.stdin : readChunks(f.abs);
        const s = await pump(input as AsyncIterable<Buffer>, enc, shipper, {
          tailLines: plan.exitCode ? p['tail-lines'] : 0,
          onChunk,
          mayHoldSecret: (chunk) => ctx.redactor.occursIn(chunk),
          ...(f.rel === '-' ? { idleFlushMs: p['flush-interval'] } : {}),
        });
        errorsFound += s.errors;
        const better = last.firstErrorType == null || (last.firstErrorType === 'error' && s.firstErrorType != null && s.firstErrorType !== 'error');
        last = better ? { tail: s.tail, firstErrorType: s.firstErrorType, firstErrorMessage: s.firstErrorMessage } : { ...last, tail: s.tail };
        log.info(`read ${f.rel}: ${s.lines} lines, ${s.docs} documents, ${s.errors} errors`);
      }
      if (plan.exitCode) {
        const enc = new DocEncoder(run, { taskName: p['task-name'], taskRunId: p['task-run'], stepName: p['step-name'], path: '', salt: anonymous ? plan.files.map((f) => f.rel).join(',') : '' }, started, redact);
        const d = enc.summary({ exitCode: plan.exitCode, reason: 'Error', tail: last.tail, firstErrorType: last.firstErrorType, firstErrorMessage: last.firstErrorMessage, timestamp: undefined });
        errorsFound++;
        const w = shipper.add(d);
        if (w) await w;
      }
    }
    await shipper.flush();
  } catch (err) {
    if (err instanceof StepError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new StepError(`shipping stopped: ${e.message}`, ExitCode.failed, { cause: err });
  } finally {
    client?.close();
  }

  const st = shipper.stats;
  ctx.setResult('shipped', st.shipped);
  ctx.setResult('failed', st.failed);
  ctx.setResult('spooled', st.spooled + st.keptInSpool);
  ctx.setResult('errors-found', errorsFound);
  ctx.setResult('degraded', st.degraded || kubeUnreachable);
  ctx.setResult('kibana-url', p['kibana-url'] && p['pipeline-run'] ? discoverUrl(p['kibana-url'], p['pipeline-run']) : '');
  const target = p.output === 'file' ? p['output-file'] : client?.where();
  log.info(
    `shipped ${st.shipped} documents to ${target} (${st.existed} were already there), ${errorsFound} errors found` +
      (st.failed ? `, ${st.failed} rejected (see ${p['dead-letter-file']})` : '') +
      (st.spooled + st.keptInSpool ? `, ${st.spooled + st.keptInSpool} waiting in ${p['spool-dir']} for a later run` : ''),
  );
  if (st.authFailed) log.error('ELK refused the credentials during the run; check the api-key or username/password Secret');
  if (p.strict && (st.degraded || kubeUnreachable || st.failed > 0)) {
    log.error(`--strict: ${kubeUnreachable ? 'the Kubernetes API was unreachable' : st.degraded ? 'ELK was unreachable' : `${st.failed} documents were rejected`}`);
    return ExitCode.failed;
  }
  if (st.degraded) log.warn('degraded: ELK was unreachable; the logs are spooled in the workspace and the build goes on');
  return ExitCode.ok;
}

/** Ships what earlier runs spooled; a file is removed once all of it is in. */
async function shipSpool(shipper: Shipper, dir: string, log: Ctx['log']): Promise<void> {
  const files = await spoolFiles(dir);
  if (files.length === 0 || shipper.stats.degraded) return;
  log.info(`shipping ${files.length} spool file(s) left by earlier runs`);
  for (const file of files) {
    for await (const items of readSpool(file)) {
      for (const it of items) {
        const w = shipper.add(it);
        if (w) await w;
      }
    }
    await shipper.flush();
    if (shipper.stats.degraded) return;
    await rm(file, { force: true });
  }
}

async function shipKubernetes(
  ctx: Ctx,
  k: NonNullable<Plan['kube']>,
  run: RunContext,
  started: string,
  shipper: Shipper,
  onChunk: (n: number) => void,
  redact: ((s: string) => string) | undefined,
): Promise<{ errors: number; unreachable: boolean }> {
  const p = ctx.params;
  const http = new HttpClient(k.url, { headers: { authorization: `Bearer ${k.token}` }, ca: k.ca, timeoutMs: p['request-timeout'] });
  const kube = new KubeClient(http, k.namespace);
  let errors = 0;
  try {
    let taskRuns;
    try {
      taskRuns = await kube.taskRuns(p['pipeline-run'], ctx.signal);
    } catch (err) {
      if (!(err instanceof ConnectionError)) throw err;
      // The logs stay in the cluster; a finally task that fails would fail the PipelineRun.
      ctx.log.error(`cannot list the TaskRuns of ${p['pipeline-run']}: ${err.message}; nothing to ship`);
      return { errors: 0, unreachable: true };
    }
    ctx.log.info(`PipelineRun ${p['pipeline-run']}: ${taskRuns.length} TaskRuns`);
    const self = ctx.env.HOSTNAME;
    for (const tr of taskRuns) {
      const pod = tr.status?.podName;
      if (!pod || pod === self) continue;
      const labels = tr.metadata.labels ?? {};
      const runCtx: RunContext = { ...run, pipelineName: run.pipelineName || labels['tekton.dev/pipeline'] || '' };
      if (!p['service-name'] && !p['pipeline-name'] && runCtx.pipelineName) runCtx.serviceName = runCtx.pipelineName;
      const taskName = labels['tekton.dev/pipelineTask'] ?? tr.spec?.taskRef?.name ?? labels['tekton.dev/task'] ?? '';
      for (const s of tr.status?.steps ?? []) {
        const enc = new DocEncoder(runCtx, { taskName, taskRunId: tr.metadata.name, stepName: s.name, path: '' }, started, redact);
        const exitCode = s.terminated?.exitCode;
        const failed = (exitCode != null && exitCode !== 0) || (s.waiting?.reason != null && s.terminated == null);
        const stream = s.terminated || s.running ? await kube.stepLog(pod, s.container ?? `step-${s.name}`, ctx.signal) : undefined;
        let tail: string[] = [];
        let firstErrorType;
        let firstErrorMessage: string | undefined;
        let lastTs: string | undefined;
        if (stream) {
          const st = await pump(stream, enc, shipper, { kubeTimestamps: true, tailLines: failed ? p['tail-lines'] : 0, onChunk });
          errors += st.errors;
          tail = st.tail;
          firstErrorType = st.firstErrorType;
          firstErrorMessage = st.firstErrorMessage;
          lastTs = st.lastTimestamp;
          ctx.log.info(`${tr.metadata.name}/${s.name}: ${st.lines} lines, ${st.docs} documents, ${st.errors} errors`);
        }
        if (failed) {
          const reason = s.terminated?.reason ?? s.waiting?.reason ?? '';
          const message = s.waiting?.message ?? s.terminated?.message;
          const d = enc.summary({
            exitCode,
            reason,
            tail: message && tail.length === 0 ? [message] : tail,
            firstErrorType: /OOMKilled/.test(reason) ? 'out-of-memory' : firstErrorType,
            firstErrorMessage,
            timestamp: s.terminated?.finishedAt ? new Date(s.terminated.finishedAt).toISOString() : lastTs,
          });
          errors++;
          const w = shipper.add(d);
          if (w) await w;
        }
      }
    }
  } finally {
    http.close();
  }
  return { errors, unreachable: false };
}

/** Connects to the target: checks it is there, it is what it should be, and the credentials work. */
async function connect(ctx: Ctx, plan: Plan): Promise<{ transport: Transport; client: HttpClient | undefined; degraded: boolean }> {
  const p = ctx.params;
  if (p.output === 'file') return { transport: new FileTransport(resolve(plan.workspace, p['output-file'])), client: undefined, degraded: false };
  const auth = authHeaders(plan.auth.apiKey, plan.auth.username, plan.auth.password);
  if (auth.authorization) ctx.redactor.add(auth.authorization.replace(/^\w+ /, ''));
  const client = new HttpClient(p.url, { headers: auth, ca: plan.ca, timeoutMs: p['request-timeout'] });
  const transport = p.output === 'logstash' ? new LogstashTransport(client, p.compress) : new ElasticsearchTransport(client, p.index, p.compress);
  const what = p.output === 'logstash' ? 'Logstash' : 'Elasticsearch';
  let res;
  for (let attempt = 0; ; attempt++) {
    try {
      res = await client.request('GET', '', undefined, { accept: 'application/json' }, ctx.signal);
      if (res.status < 500 && res.status !== 429) break;
    } catch (err) {
      if (!(err instanceof ConnectionError)) throw err;
      if (attempt >= Math.min(2, p.retries)) {
        ctx.log.warn(`${what} is unreachable (${err.message}); spooling to the workspace, the build goes on`);
        return { transport, client, degraded: true };
      }
    }
    if (attempt >= Math.min(2, p.retries)) {
      ctx.log.warn(`${what} answers HTTP ${res?.status}; spooling to the workspace, the build goes on`);
      return { transport, client, degraded: true };
    }
    await new Promise((r) => setTimeout(r, 300 * (attempt + 1)));
  }
  if (res.status === 401 || res.status === 403) {
    client.close();
    throw new BadInputError(`${what} at ${client.where()} refused the credentials (HTTP ${res.status}: ${esReason(res)}); check the api-key or username/password Secret`);
  }
  if (p.output === 'elasticsearch') {
    if (res.status !== 200 || res.headers['x-elastic-product'] !== 'Elasticsearch') {
      client.close();
      throw new BadInputError(`param url is ${JSON.stringify(client.where())}, expected an Elasticsearch URL (it answered HTTP ${res.status}${res.headers['x-elastic-product'] ? '' : ' without the X-Elastic-Product: Elasticsearch header'})`);
    }
  }
  return { transport, client, degraded: false };
}

function fileSalt(abs: string): string {
  const st = statSync(abs);
  return `${st.size}:${st.mtimeMs}`;
}

/** Checks every param and input before anything is sent or written. */
function validate(ctx: Ctx): Plan {
  const p = ctx.params;
  const env = ctx.env;
  const problems: string[] = [];
  const workspace = resolve(ctx.cwd, p.workspace);
  if (!existsSync(workspace) || !statSync(workspace).isDirectory()) problems.push(`param workspace is ${JSON.stringify(p.workspace)}, expected an existing directory (${workspace})`);

  if (p.output !== 'file' && !p.url) problems.push(`param url is required with output=${p.output} (--url or STEG_URL), e.g. https://elasticsearch.example.com:9200`);
  if (p.output === 'file' && !p['output-file']) problems.push('param output-file is required with output=file (--output-file or STEG_OUTPUT_FILE)');
  if (p.mode !== 'ship' && p.output !== 'elasticsearch') problems.push(`param mode is ${JSON.stringify(p.mode)}, which needs output=elasticsearch (it is ${p.output})`);
  if (p.url) {
    const u = new URL(p.url);
    if (u.password) ctx.redactor.add(decodeURIComponent(u.password));
  }

  const readable = (name: string, value: string): string | undefined => {
    const abs = resolve(workspace, value);
    try {
      accessSync(abs, constants.R_OK);
      if (!statSync(abs).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
      return readFileSync(abs, 'utf8');
    } catch (e) {
      problems.push(`param ${name} is ${JSON.stringify(value)}, expected a readable file (${abs}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
      return undefined;
    }
  };
  let ca = p['ca-file'] ? readable('ca-file', p['ca-file']) : undefined;
  const auth: Plan['auth'] = { apiKey: p['api-key'], username: p.username, password: p.password };
  if (p['auth-dir']) {
    const dir = resolve(workspace, p['auth-dir']);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      problems.push(`param auth-dir is ${JSON.stringify(p['auth-dir'])}, expected a directory (a mounted Secret) (${dir} is none)`);
    } else {
      const file = (name: string): string | undefined => {
        const f = resolve(dir, name);
        if (!existsSync(f)) return undefined;
        try {
          return readFileSync(f, 'utf8').replace(/\r?\n$/, '');
        } catch (e) {
          problems.push(`param auth-dir: cannot read ${f} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
          return undefined;
        }
      };
      auth.apiKey ??= file('api-key');
      auth.password ??= file('password');
      if (!auth.username) auth.username = file('username') ?? '';
      ca ??= file('ca.crt');
      ctx.redactor.add(auth.apiKey);
      ctx.redactor.add(auth.password);
    }
  }

  if (auth.password && !auth.username) problems.push('param password is set but param username is empty: give both for basic auth, or an api-key');
  if (auth.apiKey && auth.username) problems.push('params api-key and username are both set: give one way to authenticate');

  const labels: Record<string, string> = {};
  for (const l of p.labels) {
    const m = /^([A-Za-z_][\w-]*)=(.*)$/.exec(l);
    if (!m) problems.push(`param labels has ${JSON.stringify(l)}, expected key=value with a key of letters, digits, _ or -`);
    else labels[m[1] as string] = m[2] as string;
  }

  let exitCode: number | undefined;
  const ec = p['exit-code'].trim();
  if (ec !== '') {
    if (/^-?\d+$/.test(ec)) exitCode = Number(ec);
    else {
      const text = readable('exit-code', ec);
      if (text != null) {
        if (/^\s*-?\d+\s*$/.test(text)) exitCode = Number(text.trim());
        else problems.push(`param exit-code is ${JSON.stringify(ec)}, expected a number or a file holding one (it holds ${JSON.stringify(text.slice(0, 20))})`);
      }
    }
  }

  const files: FileInput[] = [];
  let kube: Plan['kube'];
  if (p.mode === 'setup') {
    // setup alone reads no logs
  } else if (p.input === 'files') {
    if (p.files.length === 0) problems.push('param files is required with input=files (--files or STEG_FILES): files or globs relative to the workspace, or "-" for stdin');
    for (const f of p.files) {
      if (f === '-') {
        files.push({ abs: '-', rel: '-' });
        continue;
      }
      if (isGlob(f)) {
        const found = expandGlob(workspace, f);
        if (found.length === 0) ctx.log.warn(`param files: ${f} matches no file in ${workspace}`);
        for (const abs of found) {
          try {
            accessSync(abs, constants.R_OK);
            files.push({ abs, rel: rel(workspace, abs) });
          } catch (e) {
            problems.push(`param files: ${abs} (from ${f}) is not readable (${(e as NodeJS.ErrnoException).code})`);
          }
        }
        continue;
      }
      const abs = resolve(workspace, f);
      try {
        accessSync(abs, constants.R_OK);
        if (!statSync(abs).isFile()) problems.push(`param files has ${JSON.stringify(f)}, expected a file (${abs} is a directory; use a glob such as ${f.replace(/\/$/, '')}/**/*.log)`);
        else files.push({ abs, rel: rel(workspace, abs) });
      } catch (e) {
        problems.push(`param files has ${JSON.stringify(f)}, expected a readable file (${abs}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
      }
    }
  } else {
    if (!p['pipeline-run']) problems.push('param pipeline-run is required with input=kubernetes: the PipelineRun whose TaskRuns are read, e.g. $(context.pipelineRun.name)');
    let url = p['kube-api-url'];
    if (!url && env.KUBERNETES_SERVICE_HOST) {
      const host = env.KUBERNETES_SERVICE_HOST.includes(':') ? `[${env.KUBERNETES_SERVICE_HOST}]` : env.KUBERNETES_SERVICE_HOST;
      url = `https://${host}:${env.KUBERNETES_SERVICE_PORT ?? '443'}`;
    }
    if (!url) problems.push('param kube-api-url is empty and KUBERNETES_SERVICE_HOST is not set: give the Kubernetes API URL, or run in a pod');
    let token = p['kube-token'];
    if (!token) {
      try {
        token = readFileSync(`${SA_DIR}/token`, 'utf8').trim();
        ctx.redactor.add(token);
      } catch {
        problems.push(`param kube-token is not set and ${SA_DIR}/token is not readable: give --kube-token-file, or run with a service account`);
      }
    }
    let namespace = p.namespace;
    if (!namespace) {
      try {
        namespace = readFileSync(`${SA_DIR}/namespace`, 'utf8').trim();
      } catch {
        problems.push(`param namespace is empty and ${SA_DIR}/namespace is not readable: give --namespace`);
      }
    }
    let kca: string | undefined;
    if (p['kube-ca-file']) kca = readable('kube-ca-file', p['kube-ca-file']);
    else if (existsSync(`${SA_DIR}/ca.crt`)) kca = readFileSync(`${SA_DIR}/ca.crt`, 'utf8');
    if (url && token && namespace) kube = { url, token, ca: kca, namespace };
  }
  if (problems.length > 0) throw new BadInputError(problems.join('\n'));
  return { workspace, files, exitCode, labels, ca, auth, ...(kube ? { kube } : {}) };
}

function rel(workspace: string, abs: string): string {
  const r = relative(workspace, abs);
  return r.startsWith('..') || isAbsolute(r) ? abs : r;
}
