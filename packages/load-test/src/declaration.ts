import { param } from '@steg/step-kit';
import type { ResultDef } from '@steg/step-kit';

/** The step's params (shared by the declaration and run.ts, which types its context from them). */
export const params = {
  mode: param.enum(['run', 'merge'] as const, { default: 'run', description: 'run: load the target; merge: merge the summaries of several runs (a Tekton matrix) into one verdict and report' }),
  target: param.url({ default: '', description: 'Base URL of the target; profile paths are relative to it (a single URL when no profile is given)' }),
  profile: param.path({ default: '', description: 'Load profile (JSON or YAML): routes with method, path, headers, body, weight and thresholds' }),
  thresholds: param.list({ default: [], description: 'Thresholds such as p(95)<200ms, error_rate<1%, rps>100; "route: p(99)<300ms" for one route' }),
  'allowed-hosts': param.list({ default: ['localhost', '127.0.0.1', '[::1]'], description: 'Host patterns the target must match (host, *.domain, host:port; * allows all); anything else is refused before a request' }),
  method: param.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const, { default: 'GET', description: 'HTTP method for a single URL (no profile)' }),
  body: param.string({ default: '', description: 'Request body for a single URL (no profile)' }),
  'content-type': param.string({ default: '', description: 'Content-Type for the single-URL body' }),
  connections: param.int({ default: 10, min: 1, max: 1000, description: 'Concurrent connections (the closed model sends as fast as each is answered)' }),
  rate: param.int({ default: 0, min: 0, max: 50000, description: 'Requests per second for the open model (constant arrival rate); 0 for the closed model' }),
  duration: param.duration({ default: '30s', min: '1s', max: '30m', description: 'How long to measure, after the warm-up' }),
  warmup: param.duration({ default: '5s', min: '0', max: '5m', description: 'Load sent first and not measured (connection setup, JIT, caches)' }),
  timeout: param.duration({ default: '10s', min: '100ms', max: '2m', description: 'Request timeout; a request without an answer by then counts as a timeout error' }),
  'keep-alive': param.bool({ default: true, description: 'Reuse connections; false opens a new connection per request' }),
  'ca-file': param.string({ default: '', description: 'PEM CA bundle (or a directory holding ca.crt) trusted, besides the system roots, for an https target\'s certificate' }),
  insecure: param.bool({ default: false, description: 'Load an https target even when its certificate is not trusted (by default one handshake checks it first, since autocannon never does)' }),
  'auth-header': param.secret({ description: 'Authorization header value sent with every request (from a mounted Secret file); never logged or reported' }),
  'report-dir': param.path({ default: 'load-test-report', description: 'Where summary.json, junit.xml, summary.md and report.html are written' }),
  baseline: param.path({ default: '', description: 'A previous run\'s summary.json: compared when it exists, replaced by this run\'s summary when it passes' }),
  'max-regression': param.number({ default: 20, min: 0, max: 1000, description: 'Percent by which p50/p95/p99 latency (and closed-model rps) may be worse than the baseline' }),
  'merge-from': param.list({ default: [], description: 'merge mode: summary files, or directories searched for */summary.json' }),
  'max-generator-cpu': param.int({ default: 95, min: 10, max: 400, description: 'Percent of one CPU core the generator process may use before the verdict is inconclusive' }),
  'max-generator-lag': param.duration({ default: '100ms', min: '1ms', max: '10s', description: 'Event-loop lag (p99) of the generator beyond which the verdict is inconclusive' }),
  'progress-interval': param.duration({ default: '5s', min: '1s', max: '5m', description: 'How often a progress line is logged' }),
};

/** The step's results. */
export const results = {
  verdict: { description: 'pass, fail or inconclusive' },
  summary: { description: 'Compact summary: requests, rps, error rate, p50/p95/p99 in ms, broken thresholds', type: 'json' },
  'summary-file': { description: 'Path of summary.json (histograms included; the input of merge mode and of the next baseline)' },
  report: { description: 'Path of the self-contained HTML report' },
} satisfies Record<string, ResultDef>;
