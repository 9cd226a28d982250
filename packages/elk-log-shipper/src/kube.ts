import type { IncomingMessage } from 'node:http';
import { BadInputError, StepError } from '@steg/step-kit';
import type { HttpClient } from './http.ts';

/** The parts of a Tekton v1 TaskRun the shipper reads. */
export interface TaskRun {
  metadata: { name: string; labels?: Record<string, string> };
  spec?: { taskRef?: { name?: string } };
  status?: {
    podName?: string;
    startTime?: string;
    completionTime?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    steps?: StepState[];
  };
}

/** A step's container state as the TaskRun status reports it. */
export interface StepState {
  name: string;
  container?: string;
  terminated?: { exitCode: number; reason?: string; message?: string; startedAt?: string; finishedAt?: string };
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
}

/** The Kubernetes Status object of an error response. */
interface Status {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
}

function statusMessage(body: string, status: number): string {
  try {
    const s = JSON.parse(body) as Status;
    if (s.kind === 'Status' && s.message) return `${s.reason ?? status}: ${s.message}`;
  } catch {
    // not a Status object
  }
  return `HTTP ${status}${body ? `: ${body.slice(0, 300)}` : ''}`;
}

const RBAC_HINT = 'give the Task\'s service account the Role in tekton/tasks/steg-elk-log-shipper/rbac.yaml (get/list taskruns, get pods/log)';

/** Reads TaskRuns and step logs of one PipelineRun through the Kubernetes API. */
export class KubeClient {
  constructor(
    private readonly http: HttpClient,
    private readonly namespace: string,
  ) {}

  /** TaskRuns of the PipelineRun (label tekton.dev/pipelineRun), oldest first. */
  async taskRuns(pipelineRun: string, signal?: AbortSignal): Promise<TaskRun[]> {
    const sel = encodeURIComponent(`tekton.dev/pipelineRun=${pipelineRun}`);
    const path = `apis/tekton.dev/v1/namespaces/${encodeURIComponent(this.namespace)}/taskruns?labelSelector=${sel}`;
    const res = await this.http.request('GET', path, undefined, { accept: 'application/json' }, signal);
    const text = res.body.toString('utf8');
    if (res.status === 401) throw new BadInputError(`the Kubernetes API refused the token (${statusMessage(text, res.status)}); check param kube-token`);
    if (res.status === 403) throw new BadInputError(`the Kubernetes API forbids listing TaskRuns (${statusMessage(text, res.status)}); ${RBAC_HINT}`);
    if (res.status !== 200) throw new StepError(`listing TaskRuns of ${pipelineRun} failed: ${statusMessage(text, res.status)}`);
    const list = JSON.parse(text) as { items?: TaskRun[] };
    return (list.items ?? []).sort((a, b) => (a.status?.startTime ?? '').localeCompare(b.status?.startTime ?? '') || a.metadata.name.localeCompare(b.metadata.name));
  }

  /**
   * The log of one step container, with timestamps, as a stream; undefined when it is gone
   * (pod deleted, container never started).
   */
  async stepLog(pod: string, container: string, signal?: AbortSignal): Promise<IncomingMessage | undefined> {
    const path = `api/v1/namespaces/${encodeURIComponent(this.namespace)}/pods/${encodeURIComponent(pod)}/log?container=${encodeURIComponent(container)}&timestamps=true`;
    const res = await this.http.stream(path, signal);
    if (res.statusCode === 200) return res;
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (res.statusCode === 403) throw new BadInputError(`the Kubernetes API forbids reading pod logs (${statusMessage(text, 403)}); ${RBAC_HINT}`);
    if (res.statusCode === 401) throw new BadInputError(`the Kubernetes API refused the token (${statusMessage(text, 401)}); check param kube-token`);
    if (res.statusCode === 404 || res.statusCode === 400) return undefined;
    throw new StepError(`reading the log of ${pod}/${container} failed: ${statusMessage(text, res.statusCode ?? 0)}`);
  }
}

/** Splits the RFC 3339 timestamp Kubernetes puts before each log line (timestamps=true). */
export function splitKubeTimestamp(line: string): { ts: string | undefined; text: string } {
  const sp = line.indexOf(' ');
  if (sp > 19 && sp < 40 && line.charCodeAt(4) === 45 && line.charCodeAt(10) === 84) {
    const ms = Date.parse(line.slice(0, sp));
    if (!Number.isNaN(ms)) return { ts: new Date(ms).toISOString(), text: line.slice(sp + 1) };
  }
  return { ts: undefined, text: line };
}
