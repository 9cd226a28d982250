// A Kubernetes API double for what the shipper reads: Tekton v1 TaskRun lists filtered by
// label selector, and pod container logs (text/plain, optional RFC 3339 timestamps), with
// the API's Status objects for 401, 403, 404 and 400. No control plane can run here; set
// KUBE_API_URL (with KUBE_TOKEN, KUBE_NAMESPACE, KUBE_PIPELINE_RUN) to use a real one.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TaskRun } from '../../src/kube.ts';

/** A log line: its timestamp and text. */
export type LogLine = [timestamp: string, text: string];

export interface KubeDoubleOptions {
  token: string;
  namespace: string;
  taskRuns: TaskRun[];
  /** pod name -> container name -> lines. */
  logs: Record<string, Record<string, LogLine[]>>;
  /** The service account may not list TaskRuns / read logs (a missing Role). */
  forbid?: { taskRuns?: boolean; logs?: boolean };
  serviceAccount?: string;
}

function status(res: http.ServerResponse, code: number, reason: string, message: string, details?: object): void {
  const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code });
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Does a label set match a selector such as "a=b,c!=d"? */
export function matchesSelector(labels: Record<string, string>, selector: string): boolean {
  return selector.split(',').filter(Boolean).every((term) => {
    const m = /^([^!=]+)(==|=|!=)(.*)$/.exec(term.trim());
    if (!m) return labels[term.trim()] != null;
    const [, k, op, v] = m as unknown as [string, string, string, string];
    return op === '!=' ? labels[k] !== v : labels[k] === v;
  });
}

/** A running Kubernetes API double. */
export class KubeDouble {
  url = '';
  readonly requests: string[] = [];
  private server: http.Server | undefined;

  constructor(readonly o: KubeDoubleOptions) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (req.headers.authorization !== `Bearer ${this.o.token}`) return status(res, 401, 'Unauthorized', 'Unauthorized');
    const sa = `system:serviceaccount:${this.o.namespace}:${this.o.serviceAccount ?? 'pipeline'}`;
    let m = /^\/apis\/tekton\.dev\/v1\/namespaces\/([^/]+)\/taskruns$/.exec(url.pathname);
    if (m && req.method === 'GET') {
      const ns = decodeURIComponent(m[1] as string);
      if (this.o.forbid?.taskRuns || ns !== this.o.namespace) {
        return status(res, 403, 'Forbidden', `taskruns.tekton.dev is forbidden: User "${sa}" cannot list resource "taskruns" in API group "tekton.dev" in the namespace "${ns}"`, { group: 'tekton.dev', kind: 'taskruns' });
      }
      const sel = url.searchParams.get('labelSelector') ?? '';
      const items = this.o.taskRuns.filter((t) => matchesSelector(t.metadata.labels ?? {}, sel)).map((t) => ({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', ...t, metadata: { namespace: ns, uid: `uid-${t.metadata.name}`, ...t.metadata } }));
      const body = JSON.stringify({ apiVersion: 'tekton.dev/v1', items, kind: 'TaskRunList', metadata: { continue: '', resourceVersion: '48213' } });
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(body);
    }
    m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/.exec(url.pathname);
    if (m && req.method === 'GET') {
      const ns = decodeURIComponent(m[1] as string);
      const pod = decodeURIComponent(m[2] as string);
      if (this.o.forbid?.logs || ns !== this.o.namespace) {
        return status(res, 403, 'Forbidden', `pods "${pod}" is forbidden: User "${sa}" cannot get resource "pods/log" in API group "" in the namespace "${ns}"`, { name: pod, kind: 'pods' });
      }
      const containers = this.o.logs[pod];
      if (!containers) return status(res, 404, 'NotFound', `pods "${pod}" not found`, { name: pod, kind: 'pods' });
      const c = url.searchParams.get('container');
      if (!c) {
        const names = Object.keys(containers);
        if (names.length !== 1) return status(res, 400, 'BadRequest', `a container name must be specified for pod ${pod}, choose one of: [${names.join(' ')}]`);
      }
      const lines = containers[c ?? (Object.keys(containers)[0] as string)];
      if (!lines) return status(res, 400, 'BadRequest', `container ${c} is not valid for pod ${pod}`);
      const ts = url.searchParams.get('timestamps') === 'true';
      res.writeHead(200, { 'content-type': 'text/plain' });
      // Written in pieces, as a real log stream arrives.
      for (const [t, text] of lines) res.write(`${ts ? `${t} ` : ''}${text}\n`);
      return void res.end();
    }
    status(res, 404, 'NotFound', 'the server could not find the requested resource');
  }
}
