import { CheckFailedError, sleep } from '@steg/step-kit';
import type { Logger } from '@steg/step-kit';

/** Where the deployed version is read from: a JSON field of a path, or a response header. */
export type VersionSource = { kind: 'json'; path: string; field: string } | { kind: 'header'; path: string; header: string };

export interface WaitOptions {
  baseUrl: string;
  /** The version the environment must report; undefined waits only for the app to answer. */
  expected?: string;
  source: VersionSource;
  /** Readiness path (e.g. /readyz); undefined skips the readiness check. */
  readyPath?: string;
  intervalMs: number;
  timeoutMs: number;
  /** Per-request timeout; a hung app must not eat the whole wait. */
  requestTimeoutMs?: number;
  log: Logger;
  signal?: AbortSignal;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** What one poll saw. */
export interface Observation {
  /** The version reported, when the version endpoint answered with one. */
  version?: string;
  /** True when the version endpoint answered 2xx (with or without a usable version). */
  answered: boolean;
  versionProblem?: string;
  ready: boolean;
  readyProblem?: string;
}

export interface WaitOutcome {
  version?: string;
  polls: number;
  waitedMs: number;
}

/** Polls the app until it answers, reports the expected version and is ready; throws a specific message on timeout. */
export async function waitForVersion(o: WaitOptions): Promise<WaitOutcome> {
  const now = o.now ?? Date.now;
  const wait = o.sleep ?? sleep;
  const started = now();
  let polls = 0;
  let last: Observation | undefined;
  let lastLogged = '';
  for (;;) {
    polls++;
    last = await observe(o);
    const versionOk = o.expected == null ? last.answered : last.version === o.expected;
    if (versionOk && last.ready) {
      return { version: last.version, polls, waitedMs: now() - started };
    }
    const line = describe(last, o);
    // One line per change, not per poll: a five-minute wait stays readable in the Tekton log.
    if (line !== lastLogged) {
      o.log.info(`waiting: ${line}`);
      lastLogged = line;
    }
    const elapsed = now() - started;
    if (elapsed + o.intervalMs > o.timeoutMs) {
      throw new CheckFailedError(timeoutMessage(last, o, Math.round(Math.max(elapsed, o.timeoutMs) / 1000)));
    }
    await wait(o.intervalMs, o.signal);
  }
}

function describe(ob: Observation, o: WaitOptions): string {
  const parts: string[] = [];
  if (ob.versionProblem) parts.push(ob.versionProblem);
  else if (o.expected != null && ob.version !== o.expected) parts.push(`reports ${ob.version}, expected ${o.expected}`);
  if (!ob.ready) parts.push(ob.readyProblem ?? 'not ready');
  return parts.join('; ');
}

/** The failure message: what the environment still says, what was expected, and for how long we waited. */
export function timeoutMessage(ob: Observation, o: Pick<WaitOptions, 'expected' | 'baseUrl' | 'readyPath'>, seconds: number): string {
  if (o.expected != null && ob.version != null && ob.version !== o.expected) {
    return `test environment still reports ${ob.version}, expected ${o.expected}, after ${seconds} s`;
  }
  if (ob.versionProblem) {
    return `test environment at ${o.baseUrl} did not report ${o.expected != null ? `version ${o.expected}` : 'a version'} after ${seconds} s: ${ob.versionProblem}`;
  }
  return `test environment at ${o.baseUrl} reports ${ob.version ?? 'its version'} but is not ready after ${seconds} s: ${ob.readyProblem ?? `${o.readyPath} did not answer 2xx`}`;
}

/** One poll: the version endpoint, then readiness. Never throws for network trouble; it is reported. */
export async function observe(o: WaitOptions): Promise<Observation> {
  const ob: Observation = { answered: false, ready: true };
  const v = await get(o, o.source.path);
  if ('problem' in v) {
    ob.versionProblem = v.problem;
    return withReadiness(o, ob);
  }
  ob.answered = true;
  if (o.source.kind === 'header') {
    const h = v.res.headers.get(o.source.header);
    if (h == null || h.trim() === '') ob.versionProblem = `${o.source.path} answered without a ${o.source.header} header`;
    else ob.version = h.trim();
  } else {
    try {
      const value = pick(JSON.parse(v.body), o.source.field);
      if (value == null || typeof value === 'object') ob.versionProblem = `${o.source.path} has no field ${o.source.field}`;
      else ob.version = String(value);
    } catch {
      ob.versionProblem = `${o.source.path} did not answer JSON (${v.body.slice(0, 60).replace(/\s+/g, ' ')})`;
    }
  }
  return withReadiness(o, ob);
}

async function withReadiness(o: WaitOptions, ob: Observation): Promise<Observation> {
  if (o.readyPath != null) {
    const r = await get(o, o.readyPath);
    if ('problem' in r) {
      ob.ready = false;
      ob.readyProblem = r.problem;
    }
  }
  return ob;
}

async function get(o: WaitOptions, path: string): Promise<{ res: Response; body: string } | { problem: string }> {
  const url = joinUrl(o.baseUrl, path);
  const signals = [AbortSignal.timeout(o.requestTimeoutMs ?? 10_000)];
  if (o.signal) signals.push(o.signal);
  try {
    const res = await (o.fetch ?? globalThis.fetch)(url, { signal: AbortSignal.any(signals), headers: { accept: 'application/json' } });
    const body = await res.text();
    if (!res.ok) return { problem: `${path} answered HTTP ${res.status}` };
    return { res, body };
  } catch (err) {
    if (o.signal?.aborted) throw err;
    const e = err as { name?: string; cause?: { code?: string } };
    if (e.name === 'TimeoutError') return { problem: `${path} did not answer within ${o.requestTimeoutMs ?? 10_000} ms` };
    return { problem: `cannot reach ${url} (${e.cause?.code ?? (err as Error).message})` };
  }
}

/** Reads a dotted field ("build.version") from parsed JSON. */
export function pick(value: unknown, field: string): unknown {
  let cur = value;
  for (const part of field.split('.')) {
    if (cur == null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Parses the version-source param: "json:FIELD" or "header:NAME"; undefined when invalid. */
export function parseVersionSource(raw: string, path: string): VersionSource | undefined {
  const m = /^(json|header):(.+)$/.exec(raw.trim());
  if (!m) return undefined;
  const what = (m[2] as string).trim();
  if (m[1] === 'json') return /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/.test(what) ? { kind: 'json', path, field: what } : undefined;
  return /^[A-Za-z0-9-]+$/.test(what) ? { kind: 'header', path, header: what.toLowerCase() } : undefined;
}

/** Appends a path to a base URL, keeping the base's own path (an app served under /step-counter/). */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
