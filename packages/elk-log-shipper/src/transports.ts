import { promisify } from 'node:util';
import { gzip as gzipCb, gzipSync, constants as zc } from 'node:zlib';
import { cpuBudget } from './cpu-budget.ts';
import type { HttpClient, HttpResponse } from './http.ts';
import type { Batch } from './batch.ts';
import { OrderedAppender } from './ordered-append.ts';
import { MAX_IN_FLIGHT } from './shipper.ts';
import type { ItemOutcome, SendOutcome, Transport } from './shipper.ts';

const gzip = promisify(gzipCb);

/**
 * Whether to compress on the main thread: yes when the process has one CPU or less (its cores, or
 * its cgroup quota: a Kubernetes CPU limit). The thread pool gains nothing there, and handing batches over to it let several finish compressing at once and then
 * wait on Elasticsearch together: on the 1 GiB benchmark on one core, 37.7-41.4 s instead of
 * 43.0-47.1 s. With more CPUs, the pool compresses while the next batch fills.
 */
export function compressInPlaceByDefault(): boolean {
  return cpuBudget() <= 1;
}

/** Statuses of a whole request (or of one bulk item) worth another try. */
export function retryable(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

/** A short reason from an Elasticsearch error body: "type: reason". */
export function esReason(res: HttpResponse): string {
  try {
    const j = JSON.parse(res.body.toString('utf8')) as { error?: { type?: string; reason?: string } | string };
    if (typeof j.error === 'string') return j.error;
    if (j.error) return `${j.error.type ?? 'error'}: ${j.error.reason ?? ''}`.trim();
  } catch {
    // not JSON: fall through to the text
  }
  return res.body.toString('utf8').slice(0, 300) || `HTTP ${res.status}`;
}

function wholeRequest(res: HttpResponse): SendOutcome | undefined {
  if (res.status === 413) return { kind: 'too-large' };
  if (res.status === 401 || res.status === 403) return { kind: 'auth', status: res.status, reason: esReason(res) };
  if (retryable(res.status)) {
    const ra = Number(res.headers['retry-after']);
    return { kind: 'retry', status: res.status, reason: esReason(res), retryAfterMs: Number.isFinite(ra) ? ra * 1000 : undefined };
  }
  if (res.status < 200 || res.status >= 300) return { kind: 'reject', status: res.status, reason: esReason(res) };
  return undefined;
}

async function encodeBody(body: Buffer, compress: boolean, inPlace: boolean): Promise<{ body: Buffer; headers: Record<string, string> }> {
  if (!compress) return { body, headers: {} };
  // Level 1: build logs are repetitive, so the fastest level already shrinks them several times.
  const options = { level: zc.Z_BEST_SPEED };
  return { body: inPlace ? gzipSync(body, options) : await gzip(body, options), headers: { 'content-encoding': 'gzip' } };
}

interface BulkItem {
  status: number;
  error?: { type?: string; reason?: string; caused_by?: { type?: string; reason?: string } };
}

const NO_ERRORS = Buffer.from('"errors":false');
const CREATED: ItemOutcome = { ok: true, existed: false };
/** Outcomes of a request that took every item (targets that answer per request, or a bulk without errors). */
const allCreated = (n: number): ItemOutcome[] => new Array<ItemOutcome>(n).fill(CREATED);

/** Elasticsearch _bulk with `create`: works for data streams and indices, and never overwrites. */
export class ElasticsearchTransport implements Transport {
  constructor(
    private readonly http: HttpClient,
    private readonly index: string,
    private readonly compress: boolean,
    /** Compress on the main thread instead of the thread pool (see compressInPlaceByDefault). */
    private readonly compressInPlace = compressInPlaceByDefault(),
  ) {}

  async send(items: Batch, signal: AbortSignal): Promise<SendOutcome> {
    const { body, headers } = await encodeBody(items.bulk(), this.compress, this.compressInPlace);
    // filter_path trims each item of the response to its status and error: the response of a
    // 5000-document batch shrinks from about 1 MB to a tenth, which the shipper no longer has to parse.
    const res = await this.http.request('POST', `${encodeURIComponent(this.index)}/_bulk?filter_path=errors,items.*.status,items.*.error`, body, { 'content-type': 'application/x-ndjson', ...headers }, signal);
    const whole = wholeRequest(res);
    if (whole) return whole;
    // "errors" comes first in the response, and false means every item was created: parsing the
    // per-item statuses (5000 of them, 130 KB) would only confirm it.
    if (res.body.subarray(0, 32).includes(NO_ERRORS)) return { kind: 'items', outcomes: allCreated(items.length) };
    const parsed = JSON.parse(res.body.toString('utf8')) as { items?: Record<string, BulkItem>[] };
    const outcomes: ItemOutcome[] = (parsed.items ?? []).map((entry) => {
      const r = Object.values(entry)[0] as BulkItem;
      if (r.status >= 200 && r.status < 300) return { ok: true, existed: false };
      if (r.status === 409) return { ok: true, existed: true };
      const e = r.error;
      const reason = e ? `${e.type ?? 'error'}: ${e.reason ?? ''}${e.caused_by ? ` (${e.caused_by.type}: ${e.caused_by.reason})` : ''}` : `status ${r.status}`;
      return { ok: false, retry: retryable(r.status), status: r.status, reason };
    });
    return { kind: 'items', outcomes };
  }
}

/**
 * Logstash's http input: one NDJSON request per batch (the pipeline maps
 * application/x-ndjson to the json_lines codec). It answers per request, not per item;
 * its Elasticsearch output can use event.id as document_id to keep re-sends idempotent.
 */
export class LogstashTransport implements Transport {
  constructor(
    private readonly http: HttpClient,
    private readonly compress: boolean,
    /** Compress on the main thread instead of the thread pool (see compressInPlaceByDefault). */
    private readonly compressInPlace = compressInPlaceByDefault(),
  ) {}

  private readonly memory = new EventsMemory();

  async send(items: Batch, signal: AbortSignal): Promise<SendOutcome> {
    const res = await this.memory.with(items, async (events) => {
      const { body, headers } = await encodeBody(events, this.compress, this.compressInPlace);
      return this.http.request('POST', '', body, { 'content-type': 'application/x-ndjson', ...headers }, signal);
    });
    const whole = wholeRequest(res);
    if (whole) return whole;
    return { kind: 'items', outcomes: allCreated(items.length) };
  }
}

/** NDJSON documents appended to a local file: for trying things out and for the demo. */
export class FileTransport implements Transport {
  private readonly file: OrderedAppender;
  private readonly memory = new EventsMemory();

  constructor(path: string) {
    this.file = new OrderedAppender(path);
  }

  async send(items: Batch): Promise<SendOutcome> {
    await this.memory.with(items, (events) => this.file.append(events));
    return { kind: 'items', outcomes: allCreated(items.length) };
  }
}

/**
 * Memory for the action-less NDJSON of batches (Batch.writeEvents), reused once a send is done:
 * a fresh buffer per batch lingers until the garbage collector notices it, which on the 100 MiB
 * benchmark log kept 129-133 MiB resident instead of 96-101.
 */
class EventsMemory {
  /** At most one buffer per request in flight. */
  private readonly spare: Buffer[] = [];

  /** Writes the batch's events into reused memory and runs `use` on them; the memory is reused once `use` settles. */
  async with<T>(items: Batch, use: (events: Buffer) => Promise<T>): Promise<T> {
    let memory = this.spare.pop();
    if (memory == null || memory.length < items.byteLength) memory = Buffer.allocUnsafe(items.byteLength);
    try {
      return await use(memory.subarray(0, items.writeEvents(memory)));
    } finally {
      if (this.spare.length < MAX_IN_FLIGHT) this.spare.push(memory);
    }
  }
}
