// An Elasticsearch test double, faithful to the documented REST behaviour the shipper relies
// on: _bulk (NDJSON with the final newline required, content types, gzip bodies, per-item
// results and errors, create-only for data streams, 409 on an existing _id), the
// X-Elastic-Product header, API-key and basic auth, index templates, data streams, indices,
// _refresh, _count and _mget. Faults (429 storms, per-item rejections, dropped connections)
// are injected on demand. Elasticsearch cannot run on this machine; set ELASTICSEARCH_URL to
// run the same tests against a real one.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

type Json = Record<string, unknown>;

interface Index {
  name: string;
  dataStream: boolean;
  /** Backing index name for data streams, the name itself otherwise. */
  writeIndex: string;
  docs: Map<string, string>;
  /** Documents counted when docs are not stored (benchmarks). */
  count: number;
  seq: number;
}

/** A fault for the next bulk request. */
export type RequestFault =
  | { kind: 'status'; status: 429 | 500 | 502 | 503 | 504 | 413 }
  /** Destroy the socket before processing: nothing is stored. */
  | { kind: 'drop-before' }
  /** Store everything, then destroy the socket: the response is lost. */
  | { kind: 'drop-after' };

export interface EsDoubleOptions {
  /** Accepted API key (the encoded value of `Authorization: ApiKey ...`). */
  apiKey?: string;
  /** Accepted basic-auth user. */
  basic?: { username: string; password: string };
  /** Keep documents (default); false only counts them, for benchmarks. */
  store?: boolean;
  port?: number;
  /** Serve https with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
}

/** What one bulk request looked like, for assertions. */
export interface BulkRecord {
  gzip: boolean;
  contentType: string;
  /** Document ids in order (not kept in benchmark mode, store: false). */
  ids: string[];
  status: number;
}

const PRODUCT = { 'x-elastic-product': 'Elasticsearch' };

/** A running double; `await using` stops it. */
export class EsDouble {
  url = '';
  readonly indices = new Map<string, Index>();
  readonly templates = new Map<string, Json>();
  readonly bulks: BulkRecord[] = [];
  /** Faults consumed one per bulk request. */
  readonly requestFaults: RequestFault[] = [];
  /** Per-item status to inject (e.g. 429, 503, 400); undefined processes the item. */
  itemFault: ((id: string, attempt: number) => number | undefined) | undefined;
  private readonly attempts = new Map<string, number>();
  private server: http.Server | undefined;

  constructor(private readonly o: EsDoubleOptions = {}) {}

  async start(): Promise<this> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          this.handle(req, res, Buffer.concat(chunks));
        } catch (err) {
          send(res, 500, { error: { type: 'exception', reason: (err as Error).message }, status: 500 });
        }
      });
    };
    this.server = this.o.tls ? https.createServer(this.o.tls, handler) : http.createServer(handler);
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => this.server?.listen(this.o.port ?? 0, '127.0.0.1', r));
    this.url = `${this.o.tls ? 'https' : 'http'}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** Documents of an index or data stream, id to source. */
  docs(index: string): Map<string, string> {
    return this.indices.get(index)?.docs ?? new Map();
  }

  private authorized(req: http.IncomingMessage): 'ok' | 'missing' | 'bad' {
    if (!this.o.apiKey && !this.o.basic) return 'ok';
    const h = req.headers.authorization;
    if (!h) return 'missing';
    if (this.o.apiKey && h === `ApiKey ${this.o.apiKey}`) return 'ok';
    if (this.o.basic && h === `Basic ${Buffer.from(`${this.o.basic.username}:${this.o.basic.password}`).toString('base64')}`) return 'ok';
    return 'bad';
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? 'GET';

    const auth = this.authorized(req);
    if (auth !== 'ok') {
      const reason = auth === 'missing'
        ? `missing authentication credentials for REST request [${url.pathname}]`
        : 'unable to authenticate with provided credentials and anonymous access is not allowed for this request';
      const header = { 'WWW-Authenticate': ['Basic realm="security" charset="UTF-8"', 'ApiKey'] };
      res.setHeader('www-authenticate', ['Basic realm="security" charset="UTF-8"', 'ApiKey']);
      return send(res, 401, { error: { root_cause: [{ type: 'security_exception', reason, header }], type: 'security_exception', reason, header }, status: 401 });
    }

    let body = raw;
    if (req.headers['content-encoding'] === 'gzip') {
      try {
        body = gunzipSync(raw);
      } catch {
        return send(res, 400, esError('parse_exception', 'request body is not valid gzip', 400));
      }
    }

    if (parts.length === 0 && (method === 'GET' || method === 'HEAD')) {
      return send(res, 200, {
        name: 'steg-es-double',
        cluster_name: 'steg',
        cluster_uuid: 'steg-double-0000000000',
        version: { number: '8.15.0', build_flavor: 'default', build_type: 'docker', lucene_version: '9.11.1', minimum_wire_compatibility_version: '7.17.0', minimum_index_compatibility_version: '7.0.0' },
        tagline: 'You Know, for Search',
      });
    }
    const last = parts.at(-1);
    if (last === '_bulk' && (method === 'POST' || method === 'PUT') && parts.length <= 2) return this.bulk(req, res, body, parts.length === 2 ? parts[0] : undefined);
    if (parts[0] === '_index_template' && parts.length === 2) return this.indexTemplate(method, parts[1] as string, body, res);
    if (parts[0] === '_data_stream' && parts.length === 2) return this.dataStream(method, parts[1] as string, res);
    if (parts.length === 2 && last === '_refresh') return this.withIndex(parts[0] as string, res, () => send(res, 200, { _shards: { total: 1, successful: 1, failed: 0 } }));
    if (parts.length === 2 && last === '_count') return this.withIndex(parts[0] as string, res, (ix) => send(res, 200, { count: ix.docs.size || ix.count, _shards: { total: 1, successful: 1, skipped: 0, failed: 0 } }));
    if (parts.length === 2 && last === '_mget') return this.mget(parts[0] as string, body, res);
    if (parts.length === 1 && method === 'PUT') return this.createIndex(parts[0] as string, res);
    if (parts.length === 1 && method === 'DELETE') {
      if (!this.indices.delete(parts[0] as string)) return send(res, 404, esError('index_not_found_exception', `no such index [${parts[0]}]`, 404));
      return send(res, 200, { acknowledged: true });
    }
    return send(res, 405, { error: `Incorrect HTTP method for uri [${url.pathname}] and method [${method}]`, status: 405 });
  }

  private withIndex(name: string, res: http.ServerResponse, fn: (ix: Index) => void): void {
    const ix = this.indices.get(name);
    if (!ix) return send(res, 404, esError('index_not_found_exception', `no such index [${name}]`, 404, { 'resource.type': 'index_or_alias', 'resource.id': name, index: name }));
    fn(ix);
  }

  private indexTemplate(method: string, name: string, body: Buffer, res: http.ServerResponse): void {
    if (method === 'PUT' || method === 'POST') {
      let t: Json;
      try {
        t = JSON.parse(body.toString('utf8')) as Json;
      } catch {
        return send(res, 400, esError('x_content_parse_exception', 'request body is not valid JSON', 400));
      }
      if (!Array.isArray(t.index_patterns) || t.index_patterns.length === 0) {
        return send(res, 400, esError('action_request_validation_exception', 'Validation Failed: 1: index patterns are missing;', 400));
      }
      this.templates.set(name, t);
      return send(res, 200, { acknowledged: true });
    }
    if (method === 'GET') {
      const t = this.templates.get(name);
      if (!t) return send(res, 404, esError('resource_not_found_exception', `index template matching [${name}] not found`, 404));
      return send(res, 200, { index_templates: [{ name, index_template: t }] });
    }
    if (method === 'DELETE') {
      this.templates.delete(name);
      return send(res, 200, { acknowledged: true });
    }
    send(res, 405, { error: `Incorrect HTTP method [${method}]`, status: 405 });
  }

  /** The template whose pattern matches a name, highest priority first. */
  private matchTemplate(name: string): Json | undefined {
    let best: Json | undefined;
    for (const t of this.templates.values()) {
      const pats = t.index_patterns as string[];
      if (pats.some((p) => new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(name))) {
        if (!best || Number(t.priority ?? 0) > Number(best.priority ?? 0)) best = t;
      }
    }
    return best;
  }

  private newIndex(name: string, dataStream: boolean): Index {
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '.');
    const ix: Index = { name, dataStream, writeIndex: dataStream ? `.ds-${name}-${day}-000001` : name, docs: new Map(), count: 0, seq: 0 };
    this.indices.set(name, ix);
    return ix;
  }

  private dataStream(method: string, name: string, res: http.ServerResponse): void {
    if (method === 'PUT') {
      if (this.indices.has(name)) return send(res, 400, esError('resource_already_exists_exception', `data_stream [${name}] already exists`, 400));
      const t = this.matchTemplate(name);
      if (!t || !t.data_stream) return send(res, 400, esError('illegal_argument_exception', `no matching index template found for data stream [${name}]`, 400));
      this.newIndex(name, true);
      return send(res, 200, { acknowledged: true });
    }
    if (method === 'GET') {
      const ix = this.indices.get(name);
      if (!ix?.dataStream) return send(res, 404, esError('index_not_found_exception', `no such index [${name}]`, 404));
      return send(res, 200, { data_streams: [{ name, timestamp_field: { name: '@timestamp' }, indices: [{ index_name: ix.writeIndex }], generation: 1, status: 'GREEN', template: 'matched' }] });
    }
    if (method === 'DELETE') {
      if (!this.indices.delete(name)) return send(res, 404, esError('index_not_found_exception', `no such index [${name}]`, 404));
      return send(res, 200, { acknowledged: true });
    }
    send(res, 405, { error: `Incorrect HTTP method [${method}]`, status: 405 });
  }

  private createIndex(name: string, res: http.ServerResponse): void {
    if (this.indices.has(name)) return send(res, 400, esError('resource_already_exists_exception', `index [${name}/${randomUUID().slice(0, 22)}] already exists`, 400, { index: name }));
    if (this.matchTemplate(name)?.data_stream) {
      return send(res, 400, esError('illegal_argument_exception', `cannot create index with name [${name}], because it matches with template [${name}] that creates data streams only, use create data stream api instead`, 400));
    }
    this.newIndex(name, false);
    send(res, 200, { acknowledged: true, shards_acknowledged: true, index: name });
  }

  private mget(name: string, body: Buffer, res: http.ServerResponse): void {
    const ix = this.indices.get(name);
    const { ids = [] } = JSON.parse(body.toString('utf8') || '{}') as { ids?: string[] };
    const docs = ids.map((id) => {
      const src = ix?.docs.get(id);
      return src != null ? { _index: ix?.writeIndex, _id: id, _version: 1, found: true, _source: JSON.parse(src) as unknown } : { _index: name, _id: id, found: false };
    });
    send(res, 200, { docs });
  }

  private bulk(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, pathIndex: string | undefined): void {
    const ct = String(req.headers['content-type'] ?? '');
    const record: BulkRecord = { gzip: req.headers['content-encoding'] === 'gzip', contentType: ct, ids: [], status: 0 };
    this.bulks.push(record);
    const fault = this.requestFaults.shift();
    if (fault?.kind === 'drop-before') {
      record.status = -1;
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      record.status = fault.status;
      if (fault.status === 429) {
        return send(res, 429, esError('es_rejected_execution_exception', 'rejected execution of coordinating operation [coordinating_and_primary_bytes=0, replica_bytes=0, all_bytes=0, coordinating_operation_bytes=1048576, max_coordinating_and_primary_bytes=1024]', 429));
      }
      if (fault.status === 413) return send(res, 413, '');
      return send(res, fault.status, esError('unavailable_shards_exception', 'primary shard is not active', fault.status));
    }
    if (!/^application\/(x-ndjson|json|vnd\.elasticsearch\+(x-ndjson|json))\b/.test(ct)) {
      record.status = 406;
      return send(res, 406, { error: `Content-Type header [${ct}] is not supported`, status: 406 });
    }
    if (body.length === 0) {
      record.status = 400;
      return send(res, 400, esError('action_request_validation_exception', 'Validation Failed: 1: no requests added;', 400));
    }
    if (body[body.length - 1] !== 0x0a) {
      record.status = 400;
      return send(res, 400, esError('illegal_argument_exception', 'The bulk request must be terminated by a newline [\\n]', 400));
    }
    const started = Date.now();
    const filter = new URL(req.url ?? '/', 'http://x').searchParams.get('filter_path');
    // Benchmark mode counts a create of an existing index without building its item, when the
    // filtered response of every such item is the same text.
    const counted = this.o.store === false && !this.itemFault && filter && pathIndex ? this.indices.get(pathIndex) : undefined;
    const countedText = counted ? createdText(filter as string) : undefined;
    const items: Json[] = [];
    let errors = false;
    let pos = 0;
    let line = 0;
    while (pos < body.length) {
      const nl = body.indexOf(0x0a, pos);
      const start = pos;
      pos = nl + 1;
      line++;
      if (countedText !== undefined && isCreateAction(body, start, nl)) {
        const end = body.indexOf(0x0a, pos);
        if (end > pos && (!(counted as Index).dataStream || hasTimestamp(body, pos, end))) {
          (counted as Index).count++;
          (counted as Index).seq++;
          items.push(COUNTED);
          pos = end + 1;
          line++;
          continue;
        }
      }
      let action: Record<string, { _index?: string; _id?: string }>;
      const plainId = createActionId(body, start, nl);
      if (plainId !== undefined) {
        action = { create: { _id: plainId } };
      } else {
        const actionText = body.toString('utf8', start, nl);
        if (actionText.trim() === '') continue;
        try {
          action = JSON.parse(actionText) as typeof action;
        } catch {
          record.status = 400;
          return send(res, 400, esError('x_content_parse_exception', `[${line}:1] Unexpected character in action/metadata line [${line}]`, 400));
        }
      }
      const op = Object.keys(action)[0] as string;
      if (!['index', 'create', 'update', 'delete'].includes(op) || Object.keys(action).length !== 1) {
        record.status = 400;
        return send(res, 400, esError('illegal_argument_exception', `Malformed action/metadata line [${line}], expected field [create], [delete], [index] or [update] but found [${op}]`, 400));
      }
      const meta = action[op] ?? {};
      let source: string | undefined;
      if (op !== 'delete') {
        if (pos >= body.length) {
          record.status = 400;
          return send(res, 400, esError('illegal_argument_exception', `Validation Failed: 1: source is missing for the action on line [${line}];`, 400));
        }
        const end = body.indexOf(0x0a, pos);
        // Benchmark mode keeps no documents: it only needs to know the timestamp is there.
        source = this.o.store === false ? (hasTimestamp(body, pos, end) ? '"@timestamp"' : '') : body.toString('utf8', pos, end);
        pos = end + 1;
        line++;
      }
      const indexName = meta._index ?? pathIndex;
      if (!indexName) {
        record.status = 400;
        return send(res, 400, esError('action_request_validation_exception', 'Validation Failed: 1: index is missing;', 400));
      }
      const id = meta._id ?? randomUUID().replace(/-/g, '').slice(0, 20);
      // Benchmark mode keeps no ids either: twenty million of them made its garbage collector pause for long.
      if (this.o.store !== false) record.ids.push(id);
      const item = this.bulkItem(op, indexName, id, source);
      if ((item.status as number) >= 300) errors = true;
      // A literal for the usual op: an object with a computed key is a slower kind of object.
      items.push(op === 'create' ? { create: item } : { [op]: item });
    }
    record.status = 200;
    if (fault?.kind === 'drop-after') {
      record.status = -2;
      req.socket.destroy();
      return;
    }
    send(res, 200, filter ? filteredBulkResponse(errors, Date.now() - started, items, filter) : { errors, took: Date.now() - started, items });
  }

  private bulkItem(op: string, indexName: string, id: string, source: string | undefined): Json {
    // Attempts are counted only for a fault that asks for them: a lookup per item is a cost.
    let injected: number | undefined;
    if (this.itemFault) {
      const attempt = (this.attempts.get(id) ?? 0) + 1;
      this.attempts.set(id, attempt);
      injected = this.itemFault(id, attempt);
    }
    let ix = this.indices.get(indexName);
    const failed = (status: number, type: string, reason: string, extra: Json = {}): Json => ({
      _index: ix?.writeIndex ?? indexName, _id: id, status, error: { type, reason, ...extra },
    });
    if (injected === 429) return failed(429, 'es_rejected_execution_exception', 'rejected execution of primary operation [shard_detail=[steg][0]] on EsThreadPoolExecutor[name = write, queue capacity = 10000]');
    if (injected != null && injected >= 500) return failed(injected, 'unavailable_shards_exception', `[${indexName}][0] primary shard is not active Timeout: [1m]`);
    if (injected === 400) return failed(400, 'document_parsing_exception', '[1:42] failed to parse field [log.offset] of type [long] in document with id \'' + id + '\'', { caused_by: { type: 'illegal_argument_exception', reason: 'For input string: "x"' } });
    if (op === 'update' || op === 'delete') return failed(400, 'illegal_argument_exception', `the double does not support [${op}]`);
    if (!ix) {
      const t = this.matchTemplate(indexName);
      ix = this.newIndex(indexName, t?.data_stream != null);
    }
    if (ix.dataStream && op !== 'create') {
      return failed(400, 'illegal_argument_exception', `only write ops with an op_type of create are allowed in data streams`);
    }
    if (this.o.store === false) {
      // Benchmark mode: count only, so the double keeps up on one core.
      if (ix.dataStream && !(source ?? '').includes('"@timestamp"')) {
        return failed(400, 'document_parsing_exception', '[1:2] failed to parse: data stream timestamp field [@timestamp] is missing');
      }
      ix.count++;
      return { _index: ix.writeIndex, _id: id, _version: 1, result: 'created', _shards: { total: 2, successful: 1, failed: 0 }, _seq_no: ix.seq++, _primary_term: 1, status: 201 };
    }
    let doc: Json;
    try {
      doc = JSON.parse(source ?? '') as Json;
      if (doc == null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('not an object');
    } catch {
      return failed(400, 'document_parsing_exception', '[1:1] failed to parse', { caused_by: { type: 'x_content_parse_exception', reason: 'Unexpected character' } });
    }
    if (ix.dataStream && !('@timestamp' in doc)) {
      return failed(400, 'document_parsing_exception', '[1:2] failed to parse: data stream timestamp field [@timestamp] is missing');
    }
    const exists = ix.docs.has(id);
    if (exists && op === 'create') {
      return failed(409, 'version_conflict_engine_exception', `[${id}]: version conflict, document already exists (current version [1])`, { index_uuid: 'steg-double-uuid', shard: '0', index: ix.writeIndex });
    }
    ix.docs.set(id, source as string);
    return {
      _index: ix.writeIndex, _id: id, _version: exists ? 2 : 1, result: exists ? 'updated' : 'created',
      _shards: { total: 2, successful: 1, failed: 0 }, _seq_no: ix.seq++, _primary_term: 1, status: exists ? 200 : 201,
    };
  }
}

/** A compiled filter_path: true keeps the whole value, an object maps keys (or "*") to more of it. */
type PathTree = true | Map<string, PathTree>;

function compilePaths(filter: string): PathTree {
  const root = new Map<string, PathTree>();
  for (const path of filter.split(',').map((p) => p.trim().split('.'))) {
    let node: Map<string, PathTree> = root;
    for (let i = 0; i < path.length; i++) {
      const key = path[i] as string;
      const next = node.get(key);
      if (i === path.length - 1) {
        node.set(key, true);
        break;
      }
      if (next === true) break;
      const child = next ?? new Map<string, PathTree>();
      node.set(key, child);
      node = child;
    }
  }
  return root;
}

/** The union of two compiled paths (a key matched by a name and by "*"). */
function mergePaths(a: PathTree, b: PathTree): PathTree {
  if (a === true || b === true) return true;
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, out.has(k) ? mergePaths(out.get(k) as PathTree, v) : v);
  return out;
}

const compiled = new Map<string, PathTree>();

/**
 * Elasticsearch's filter_path response filtering (comma-separated dotted paths, * for any key);
 * empty objects and arrays are dropped, as Elasticsearch does. The paths are compiled once, so
 * filtering a 5000-item bulk response stays cheap.
 */
export function filterPath(value: unknown, filter: string): unknown {
  let tree = compiled.get(filter);
  if (!tree) compiled.set(filter, (tree = compilePaths(filter)));
  const pick = (v: unknown, t: PathTree): unknown => {
    if (t === true) return v;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (const x of v) {
        const r = pick(x, t);
        if (r !== undefined) out.push(r);
      }
      return out.length ? out : undefined;
    }
    if (v == null || typeof v !== 'object') return undefined;
    const out: Json = {};
    let any = false;
    const star = t.get('*');
    for (const k in v as Json) {
      const named = t.get(k);
      const sub = named && star ? mergePaths(named, star) : (named ?? star);
      if (sub === undefined) continue;
      const r = pick((v as Json)[k], sub);
      if (r !== undefined) {
        out[k] = r;
        any = true;
      }
    }
    return any ? out : undefined;
  };
  return pick(value, tree) ?? {};
}

/** Per filter, the filtered text of success items by op, status and result (null: it varies with the item). */
const itemTexts = new Map<string, Map<string, string | null>>();

/**
 * A _bulk response filtered by filter_path, the same as filterPath on the whole response, as
 * text. A success item filtered down to what does not vary (its status, when the shipper asks
 * for status and error) is filtered and serialized once per request shape instead of per item.
 */
export function filteredBulkResponse(errors: boolean, took: number, items: Json[], filter: string): string {
  if (!filterKeepsItems(filter)) return JSON.stringify(filterPath({ errors, took }, filter));
  let cache = itemTexts.get(filter);
  if (!cache) itemTexts.set(filter, (cache = new Map()));
  const texts: string[] = [];
  for (const wrapped of items) {
    if (wrapped === COUNTED) {
      texts.push(createdText(filter) as string);
      continue;
    }
    const op = Object.keys(wrapped)[0] as string;
    const item = wrapped[op] as Json;
    const key = item.error === undefined ? `${op}\0${String(item.status)}\0${String(item.result)}\0${String(item._version)}` : undefined;
    let text = key === undefined ? undefined : cache.get(key);
    if (text === undefined) {
      text = filteredItem(wrapped, filter);
      if (key !== undefined) {
        // Cacheable only when what is left does not depend on the item's own id, index or sequence number.
        const other = filteredItem({ [op]: { ...item, _id: `${String(item._id)}~`, _index: `${String(item._index)}~`, _seq_no: Number(item._seq_no) + 1 } }, filter);
        cache.set(key, other === text ? text : null);
      }
    } else if (text === null) {
      text = filteredItem(wrapped, filter);
    }
    if (text !== '') texts.push(text);
  }
  // Nothing left of any item: the general path knows when an empty list stays.
  if (texts.length === 0) return JSON.stringify(filterPath({ errors, took, items }, filter));
  const body = JSON.stringify(filterPath({ errors, took }, filter));
  return `${body.length > 2 ? `${body.slice(0, -1)},` : '{'}"items":[${texts.join(',')}]}`;
}

/** Stands for an item benchmark mode counted without building it (a create that succeeded). */
const COUNTED: Json = Object.freeze({});
const createdTexts = new Map<string, string | undefined>();

/**
 * The filtered text of a successful create item when it is the same for every item (the filter
 * keeps none of its id, index or sequence number, nor drops the item), else undefined.
 */
function createdText(filter: string): string | undefined {
  if (createdTexts.has(filter)) return createdTexts.get(filter);
  const created = (id: string, index: string, seq: number): string =>
    filteredItem({ create: { _index: index, _id: id, _version: 1, result: 'created', _shards: { total: 2, successful: 1, failed: 0 }, _seq_no: seq, _primary_term: 1, status: 201 } }, filter);
  const text = created('a', 'i', 0);
  const same = filterKeepsItems(filter) && text !== '' && text === created('b', 'j', 1) ? text : undefined;
  createdTexts.set(filter, same);
  return same;
}

/** One wrapped bulk item as it appears in the filtered response, or '' when the filter drops it. */
function filteredItem(wrapped: Json, filter: string): string {
  const out = filterPath({ items: [wrapped] }, filter) as { items?: unknown[] };
  return out.items ? JSON.stringify(out.items[0]) : '';
}

/** True when a filter can keep anything of the items. */
function filterKeepsItems(filter: string): boolean {
  return filter.split(',').some((p) => /^(items|\*)(\.|$)/.test(p.trim()));
}

const TIMESTAMP = Buffer.from('"@timestamp"');
const DOC_HEAD = Buffer.from('{"@timestamp"');
const CREATE_HEAD = Buffer.from('{"create":{"_id":"');
const CREATE_TAIL = Buffer.from('"}}');

/** True when `bytes` occur in body at `at` (a loop: Buffer.compare's argument checks cost more than these few bytes). */
function bytesAt(body: Buffer, at: number, bytes: Buffer): boolean {
  if (at + bytes.length > body.length) return false;
  for (let i = 0; i < bytes.length; i++) if (body[at + i] !== bytes[i]) return false;
  return true;
}

/** True when the document between start and end has an @timestamp key (benchmark mode, which parses no documents). */
function hasTimestamp(body: Buffer, start: number, end: number): boolean {
  if (bytesAt(body, start, DOC_HEAD)) return true;
  // Bounded to the document: a search of the rest of the body would make a request of documents
  // without the field quadratic.
  return body.subarray(start, end).includes(TIMESTAMP);
}

/**
 * The id of an action line of the exact form `{"create":{"_id":"<id>"}}` whose id is printable
 * ASCII without escapes, or undefined for any other line (which then goes through JSON.parse).
 * Nearly every line a shipper sends has this form; parsing it as a string and then as JSON was
 * most of what kept the benchmark's double from keeping up with the shipper on its one core.
 */
function createActionId(body: Buffer, start: number, end: number): string | undefined {
  return isCreateAction(body, start, end) ? body.toString('latin1', start + CREATE_HEAD.length, end - CREATE_TAIL.length) : undefined;
}

/** True for an action line of the exact form createActionId reads, without decoding its id. */
function isCreateAction(body: Buffer, start: number, end: number): boolean {
  const idStart = start + CREATE_HEAD.length;
  const idEnd = end - CREATE_TAIL.length;
  if (idEnd <= idStart || !bytesAt(body, start, CREATE_HEAD) || !bytesAt(body, idEnd, CREATE_TAIL)) return false;
  for (let i = idStart; i < idEnd; i++) {
    const c = body[i] as number;
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

function esError(type: string, reason: string, status: number, extra: Json = {}): Json {
  return { error: { root_cause: [{ type, reason, ...extra }], type, reason, ...extra }, status };
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { ...PRODUCT, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
