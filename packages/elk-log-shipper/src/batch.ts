import type { Item } from './shipper.ts';

const NL = 0x0a;
/** Bytes of a create action line besides the id and the index name. */
const ACTION_OVERHEAD = 64;

/**
 * The documents of one request, kept as bytes in the shape of an Elasticsearch `_bulk` body
 * (a create action line and the document line per item). Documents go into bytes as they
 * arrive: a full batch then costs the garbage collector nothing (the strings die young instead
 * of being copied and promoted while the batch fills), and the first send is one slice.
 */
export class Batch {
  private buf: Buffer;
  private len = 0;
  /** Document id per item. */
  readonly ids: string[] = [];
  /** Target index per item when it differs from the transport's (documents from an older spool). */
  readonly indexes: (string | undefined)[] = [];
  /** True for items read back from the spool: they are never spooled twice. */
  readonly fromSpool: boolean[] = [];
  /** Where each item's action line starts, and where its document starts. */
  private readonly starts: number[] = [];
  private readonly docStarts: number[] = [];

  constructor(capacity = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  /** Number of documents. */
  get length(): number {
    return this.ids.length;
  }

  /** Size of the `_bulk` body so far. */
  get byteLength(): number {
    return this.len;
  }

  /** Appends one document. */
  add(it: Item): void {
    const action = it.index ? `{"create":{"_index":${JSON.stringify(it.index)},"_id":"${it.id}"}}\n` : `{"create":{"_id":"${it.id}"}}\n`;
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    this.ensure((it.json.length + it.id.length + (it.index?.length ?? 0)) * 3 + ACTION_OVERHEAD);
    this.starts.push(this.len);
    this.len += this.buf.write(action, this.len, 'utf8');
    this.docStarts.push(this.len);
    this.len += this.buf.write(it.json, this.len, 'utf8');
    this.buf[this.len++] = NL;
    this.ids.push(it.id);
    this.indexes.push(it.index);
    this.fromSpool.push(it.fromSpool === true);
  }

  /** The `_bulk` NDJSON body: create actions with deterministic ids, and the documents. */
  bulk(): Buffer {
    return this.buf.subarray(0, this.len);
  }

  /** The documents as NDJSON with `event.id` added, for targets without action lines (Logstash, files). */
  events(): Buffer {
    const parts: Buffer[] = [];
    for (let i = 0; i < this.length; i++) {
      const doc = this.doc(i);
      // The document ends in "}": reopen it for the id.
      parts.push(doc.subarray(0, doc.length - 1), Buffer.from(`,"event.id":"${this.ids[i]}"}\n`));
    }
    return Buffer.concat(parts);
  }

  /** The JSON bytes of document i (no newline). */
  doc(i: number): Buffer {
    return this.buf.subarray(this.docStarts[i], this.end(i) - 1);
  }

  /** Document i as an item (its JSON decoded again: for the rare paths such as the dead-letter file). */
  item(i: number): Item {
    const it: Item = { id: this.ids[i] as string, json: this.doc(i).toString('utf8') };
    if (this.indexes[i] !== undefined) it.index = this.indexes[i];
    if (this.fromSpool[i]) it.fromSpool = true;
    return it;
  }

  /** A new batch of the given items (by position), copied. */
  select(positions: readonly number[]): Batch {
    let size = 0;
    for (const i of positions) size += this.end(i) - (this.starts[i] as number);
    const out = new Batch(Math.max(size, 1));
    for (const i of positions) {
      const start = this.starts[i] as number;
      out.ensure(this.end(i) - start);
      out.starts.push(out.len);
      out.docStarts.push(out.len + (this.docStarts[i] as number) - start);
      out.len += this.buf.copy(out.buf, out.len, start, this.end(i));
      out.ids.push(this.ids[i] as string);
      out.indexes.push(this.indexes[i]);
      out.fromSpool.push(this.fromSpool[i] === true);
    }
    return out;
  }

  /** A new batch of the items from start (inclusive) to end (exclusive). */
  slice(start: number, end: number): Batch {
    const positions: number[] = [];
    for (let i = start; i < Math.min(end, this.length); i++) positions.push(i);
    return this.select(positions);
  }

  private end(i: number): number {
    return i + 1 < this.length ? (this.starts[i + 1] as number) : this.len;
  }

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + extra));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
}
