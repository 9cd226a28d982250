import type { Level } from './classify.ts';
import type { FrameBytes } from './grouper.ts';
import { FRAME } from './grouper.ts';
import type { Item } from './shipper.ts';

const NL = 0x0a;
const TAB = 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LOWER_N = 0x6e;
const LOWER_T = 0x74;
const CLOSE_BRACE = 0x7d;
/** Bytes of a create action line besides the id and the index name. */
const ACTION_OVERHEAD = 64;
/** Bytes of a line document besides its id prefix, message, offset digits and context. */
const LINE_OVERHEAD = 160;
/** A message that JSON can carry between quotes as it is: printable ASCII without `"` and `\`. */
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
/** A stack frame line: a tab, then what PLAIN_ASCII allows. */
const TAB_THEN_PLAIN = /^\t[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';

const bytes = (s: string): Uint8Array => Buffer.from(s, 'utf8');

type RawWrite = (this: Buffer, s: string, offset: number) => number;
const proto = Buffer.prototype as unknown as { latin1Write?: RawWrite; utf8Write?: RawWrite };
/**
 * Buffer's own per-encoding writers (in Node since its first releases, used by write() itself):
 * write() parses its arguments and looks the encoding up on every call, a tenth of what a line
 * document costs. write() stands in should a Node ever drop them.
 */
const latin1Write: RawWrite = proto.latin1Write ?? function (this: Buffer, s: string, o: number) {
  return this.write(s, o, 'latin1');
};
const utf8Write: RawWrite = proto.utf8Write ?? function (this: Buffer, s: string, o: number) {
  return this.write(s, o, 'utf8');
};
const AFTER_ID = bytes('"}}\n{"@timestamp":"');
const AFTER_TIME = bytes('","message":');
const EVENT_ID_OPEN = bytes(',"event.id":"');
const EVENT_ID_CLOSE = bytes('"}\n');
/** Bytes of AFTER_ID that belong to the document: `{"@timestamp":"`. */
const DOC_HEAD = AFTER_ID.length - 4;
const LEVEL_BYTES: Record<Level, Uint8Array> = {
  trace: bytes(',"log.level":"trace","log.offset":'),
  debug: bytes(',"log.level":"debug","log.offset":'),
  info: bytes(',"log.level":"info","log.offset":'),
  warn: bytes(',"log.level":"warn","log.offset":'),
  error: bytes(',"log.level":"error","log.offset":'),
  fatal: bytes(',"log.level":"fatal","log.offset":'),
};

/**
 * What every line document of one source has in common, as bytes: the start of its action line
 * (up to the id's offset part) and the context that ends the document.
 */
export class LineShape {
  /** `{"create":{"_id":"<prefix>-` */
  readonly idHead: Uint8Array;
  /** `,<context>}` and the newline. */
  readonly tail: Uint8Array;

  constructor(idPrefix: string, context: string) {
    this.idHead = bytes(`{"create":{"_id":"${idPrefix}-`);
    this.tail = bytes(context === '' ? '}\n' : `,${context}}\n`);
  }
}

/**
 * What a line document has between its id and its message, `"}}\n{"@timestamp":"<time>","message":"`,
 * for one time: the encoder keeps one, changed only when the time changes, and each plain line
 * document copies it in one piece (three pieces and a byte loop for the time cost twice that).
 */
export class LineTime {
  private room = Buffer.alloc(AFTER_ID.length + 32 + AFTER_TIME.length + 1);
  /** The bytes for the current time (empty until one is set). */
  bytes: Uint8Array = Buffer.alloc(0);

  constructor() {
    this.room.set(AFTER_ID, 0);
  }

  /** Takes the canonical timestamp (`YYYY-MM-DDTHH:MM:SS.mmmZ`, 24 bytes) at `at` of `src`. */
  setCanonical(src: Uint8Array, at: number): void {
    if (this.bytes.length !== AFTER_ID.length + 24 + AFTER_TIME.length + 1) this.frame(24);
    const room = this.room;
    for (let k = 0; k < 24; k++) room[AFTER_ID.length + k] = src[at + k] as number;
  }

  /** Takes a timestamp as text (ASCII, as ISO 8601 is). */
  setText(t: string): void {
    if (t.length > this.room.length - AFTER_ID.length - AFTER_TIME.length - 1) {
      const room = Buffer.alloc(AFTER_ID.length + t.length + AFTER_TIME.length + 1);
      room.set(AFTER_ID, 0);
      this.room = room;
    }
    this.frame(latin1Write.call(this.room, t, AFTER_ID.length));
  }

  /** The time as text. */
  text(): string {
    return this.room.toString('latin1', AFTER_ID.length, this.bytes.length - AFTER_TIME.length - 1);
  }

  /** Ends the bytes after a time of `n` bytes. */
  private frame(n: number): void {
    const room = this.room;
    room.set(AFTER_TIME, AFTER_ID.length + n);
    room[AFTER_ID.length + n + AFTER_TIME.length] = QUOTE;
    this.bytes = room.subarray(0, AFTER_ID.length + n + AFTER_TIME.length + 1);
  }
}

/**
 * The documents of one request, kept as bytes in the shape of an Elasticsearch `_bulk` body
 * (a create action line and the document line per item). Documents go into bytes as they
 * arrive: a full batch then costs the garbage collector nothing (the strings die young instead
 * of being copied and promoted while the batch fills), and the first send is one slice.
 */
export class Batch {
  private buf: Buffer;
  private len = 0;
  /** Where each item's action line starts, and where its document starts. */
  private readonly starts: number[] = [];
  private readonly docStarts: number[] = [];
  /** Items with a target index of their own or read back from the spool (rare: kept aside). */
  private extras: Map<number, { index: string | undefined; fromSpool: boolean }> | undefined;

  /** A batch with room for `capacity` bytes, in `reuse` when given and large enough. */
  constructor(capacity = 64 * 1024, reuse?: Buffer) {
    this.buf = reuse && reuse.length >= capacity ? reuse : Buffer.allocUnsafe(capacity);
  }

  /**
   * Hands the batch's memory over for the next batch and empties this one. Touching fresh memory
   * costs a page fault per 4 KiB, which for a shipper writing hundreds of MiB was a fifth of its
   * time. Only for a batch nothing refers to any more (sent, or copied out).
   */
  release(): Buffer {
    const buf = this.buf;
    this.buf = Buffer.alloc(0);
    this.len = 0;
    this.starts.length = 0;
    this.docStarts.length = 0;
    this.extras = undefined;
    return buf;
  }

  /** Number of documents. */
  get length(): number {
    return this.starts.length;
  }

  /** Size of the `_bulk` body so far. */
  get byteLength(): number {
    return this.len;
  }

  /** Appends one document. */
  add(it: Item): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    this.ensure((it.json.length + it.id.length + (it.index?.length ?? 0)) * 3 + ACTION_OVERHEAD);
    if (it.index !== undefined || it.fromSpool === true) (this.extras ??= new Map()).set(this.length, { index: it.index, fromSpool: it.fromSpool === true });
    this.len = this.writeAction(it.id, it.index);
    this.len += utf8Write.call(this.buf, it.json, this.len);
    this.buf[this.len++] = NL;
  }

  /** Starts an item at the end: writes its create action line (room already ensured); returns where its document starts. */
  private writeAction(id: string, index?: string): number {
    const action = index ? `{"create":{"_index":${JSON.stringify(index)},"_id":"${id}"}}\n` : `{"create":{"_id":"${id}"}}\n`;
    this.starts.push(this.len);
    const docStart = this.len + utf8Write.call(this.buf, action, this.len);
    this.docStarts.push(docStart);
    return docStart;
  }

  /**
   * Appends a document whose last field is `key` holding `lines` joined by newlines (a stack
   * trace), escaped line by line straight into the batch. Joining a trace and JSON.stringify of
   * the result cost 4-6 µs per 1.4 KB trace, because its tabs and newlines need escapes; most
   * lines are plain ASCII or a frame (a tab, then plain ASCII) and are copied as they are.
   * `json` is the document's JSON before that field, without its closing brace. The lines that
   * are FRAME are taken from `frames`, escaped already.
   */
  addWithLines(id: string, json: string, key: string, lines: readonly string[], frames?: FrameBytes): void {
    let size = json.length * 3 + id.length + key.length + ACTION_OVERHEAD + 8 + (frames?.len ?? 0);
    for (const l of lines) size += l.length * 6 + 2;
    this.ensure(size);
    const buf = this.buf;
    let p = this.writeAction(id);
    p += utf8Write.call(buf, json, p);
    p += latin1Write.call(buf, `,${JSON.stringify(key)}:"`, p);
    let frame = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      if (line === FRAME && frames !== undefined) {
        // Escaped already, with the newline before it (a frame never starts an event: pushFrame
        // adds to an open one): a run of frames is copied in one piece.
        const from = frame === 0 ? 0 : (frames.ends[frame - 1] as number);
        while (lines[i + 1] === FRAME) {
          i++;
          frame++;
        }
        p = copyBytes(buf, p, frames.buf, from, frames.ends[frame++] as number);
        continue;
      }
      if (i > 0) {
        buf[p++] = BACKSLASH;
        buf[p++] = LOWER_N;
      }
      if (line.charCodeAt(0) === TAB && TAB_THEN_PLAIN.test(line)) {
        // The frame goes in whole one byte on, and its tab becomes the t of `\t`: no slice made.
        const at = p;
        p += 1 + latin1Write.call(buf, line, p + 1);
        buf[at] = BACKSLASH;
        buf[at + 1] = LOWER_T;
      } else if (PLAIN_ASCII.test(line)) {
        p += latin1Write.call(buf, line, p);
      } else {
        p += utf8Write.call(buf, JSON.stringify(line).slice(1, -1), p);
      }
    }
    buf[p++] = QUOTE;
    buf[p++] = CLOSE_BRACE;
    buf[p++] = NL;
    this.len = p;
  }

  /**
   * Appends a plain line document of a source: `{"@timestamp", "message", "log.level",
   * "log.offset"}` and the source's context, with the id `<prefix>-<offset in base 36>`. This is
   * the path of nearly every document, so it writes bytes directly: no strings built, no objects.
   * `time` must be ASCII (an ISO timestamp).
   */
  addLine(shape: LineShape, offset: number, time: string, message: string, level: Level): void {
    this.ensure(shape.idHead.length + message.length * 6 + shape.tail.length + LINE_OVERHEAD);
    const buf = this.buf;
    let p = this.startLine(shape, offset, AFTER_ID);
    p += latin1Write.call(buf, time, p);
    buf.set(AFTER_TIME, p);
    p += AFTER_TIME.length;
    if (PLAIN_ASCII.test(message)) {
      buf[p++] = QUOTE;
      p += latin1Write.call(buf, message, p);
      buf[p++] = QUOTE;
    } else {
      p += utf8Write.call(buf, JSON.stringify(message), p);
    }
    this.endLine(shape, p, offset, level);
  }

  /**
   * addLine for a message that is bytes of the log (printable ASCII without `"` or `\`, as
   * plain-line.ts scanPlainLine checks): the same document, copied without a string made, with
   * the time `time` holds.
   */
  addLineBytes(shape: LineShape, offset: number, time: LineTime, src: Uint8Array, start: number, end: number, level: Level): void {
    const head = time.bytes;
    this.ensure(shape.idHead.length + head.length + (end - start) + shape.tail.length + LINE_OVERHEAD);
    const buf = this.buf;
    let p = copyBytes(buf, this.startLine(shape, offset, head), src, start, end);
    buf[p++] = QUOTE;
    this.endLine(shape, p, offset, level);
  }

  /** Ends a line document whose message ends at `at`: its level, offset and the source's context. */
  private endLine(shape: LineShape, at: number, offset: number, level: Level): void {
    const buf = this.buf;
    const lv = LEVEL_BYTES[level];
    buf.set(lv, at);
    const p = writeDecimal(buf, at + lv.length, offset);
    buf.set(shape.tail, p);
    this.len = p + shape.tail.length;
  }

  /**
   * Starts a line document at the end (room already ensured): its action line, then `after`,
   * which starts with AFTER_ID (`{"@timestamp":"` and the time, as LineTime holds them, or that
   * alone); returns where `after` ends.
   */
  private startLine(shape: LineShape, offset: number, after: Uint8Array): number {
    const buf = this.buf;
    const at = this.len;
    this.starts.push(at);
    buf.set(shape.idHead, at);
    const p = writeBase36(buf, at + shape.idHead.length, offset);
    buf.set(after, p);
    // The document starts at `{"@timestamp":"`.
    this.docStarts.push(p + AFTER_ID.length - DOC_HEAD);
    return p + after.length;
  }

  /** The `_bulk` NDJSON body: create actions with deterministic ids, and the documents. */
  bulk(): Buffer {
    return this.buf.subarray(0, this.len);
  }

  /** The documents as NDJSON with `event.id` added, for targets without action lines (Logstash, files). */
  events(): Buffer {
    const out = Buffer.allocUnsafe(this.len);
    return out.subarray(0, this.writeEvents(out));
  }

  /**
   * Writes what events() gives into `out`, which needs byteLength bytes at least (an action
   * line is longer than the `event.id` field that replaces it); returns the bytes written.
   */
  writeEvents(out: Buffer): number {
    if (out.length < this.len) throw new RangeError(`writeEvents needs ${this.len} bytes, got ${out.length}`);
    let p = 0;
    for (let i = 0; i < this.length; i++) {
      // The document ends in "}": reopen it for the id, which sits at the end of the action line.
      const docStart = this.docStarts[i] as number;
      const idEnd = docStart - 4;
      const idStart = this.buf.lastIndexOf(QUOTE, idEnd - 1) + 1;
      p += this.buf.copy(out, p, docStart, this.end(i) - 2);
      out.set(EVENT_ID_OPEN, p);
      p += EVENT_ID_OPEN.length;
      p += this.buf.copy(out, p, idStart, idEnd);
      out.set(EVENT_ID_CLOSE, p);
      p += EVENT_ID_CLOSE.length;
    }
    return p;
  }

  /** The id of document i. */
  id(i: number): string {
    // The action line ends in `"<id>"}}\n`.
    const idEnd = (this.docStarts[i] as number) - 4;
    return this.buf.toString('utf8', this.buf.lastIndexOf(QUOTE, idEnd - 1) + 1, idEnd);
  }

  /** The target index of document i when it differs from the transport's. */
  index(i: number): string | undefined {
    return this.extras?.get(i)?.index;
  }

  /** True when document i was read back from the spool (it is never spooled twice). */
  isFromSpool(i: number): boolean {
    return this.extras?.get(i)?.fromSpool === true;
  }

  /** The JSON bytes of document i (no newline). */
  doc(i: number): Buffer {
    return this.buf.subarray(this.docStarts[i], this.end(i) - 1);
  }

  /** Document i as an item (its JSON decoded again: for the rare paths such as the dead-letter file). */
  item(i: number): Item {
    const it: Item = { id: this.id(i), json: this.doc(i).toString('utf8') };
    const index = this.index(i);
    if (index !== undefined) it.index = index;
    if (this.isFromSpool(i)) it.fromSpool = true;
    return it;
  }

  /** A new batch of the given items (by position), copied. */
  select(positions: readonly number[]): Batch {
    let size = 0;
    for (const i of positions) size += this.end(i) - (this.starts[i] as number);
    const out = new Batch(Math.max(size, 1));
    for (const i of positions) {
      const start = this.starts[i] as number;
      const extra = this.extras?.get(i);
      if (extra) (out.extras ??= new Map()).set(out.length, extra);
      out.ensure(this.end(i) - start);
      out.starts.push(out.len);
      out.docStarts.push(out.len + (this.docStarts[i] as number) - start);
      out.len += this.buf.copy(out.buf, out.len, start, this.end(i));
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

/** Copies src from `start` to `end` into buf at `at`; returns the end. */
function copyBytes(buf: Uint8Array, at: number, src: Uint8Array, start: number, end: number): number {
  // Buffer's copy costs less than set() with a view made for it (about 250 instructions less per
  // line document), and less than a byte loop (about 16 instructions a byte) above 16 bytes.
  if (end - start > 16) return at + bufferCopy.call(src, buf, at, start, end);
  let p = at;
  for (let k = start; k < end; k++) buf[p++] = src[k] as number;
  return p;
}
const bufferCopy = Buffer.prototype.copy as (this: Uint8Array, target: Uint8Array, targetStart: number, sourceStart: number, sourceEnd: number) => number;

const DIGIT_CODES = Uint8Array.from(DIGITS, (c) => c.charCodeAt(0));
const scratch = new Uint8Array(16);

/** Writes a non-negative integer in base 10 (as String(n) does); returns the end. */
function writeDecimal(buf: Buffer, at: number, n: number): number {
  if (n >= 0x80000000) return writeDigits(buf, at, n, 10);
  let v = n | 0;
  // The length first, then the digits from the last one: one pass, and a division by a
  // constant that the compiler turns into a multiplication.
  const len = v < 10 ? 1 : v < 100 ? 2 : v < 1e3 ? 3 : v < 1e4 ? 4 : v < 1e5 ? 5 : v < 1e6 ? 6 : v < 1e7 ? 7 : v < 1e8 ? 8 : v < 1e9 ? 9 : 10;
  let p = at + len;
  do {
    const q = (v / 10) | 0;
    buf[--p] = 0x30 + v - q * 10;
    v = q;
  } while (v > 0);
  return at + len;
}

/** Writes a non-negative integer in base 36 (as n.toString(36) does); returns the end. */
function writeBase36(buf: Buffer, at: number, n: number): number {
  if (n >= 0x80000000) return writeDigits(buf, at, n, 36);
  let v = n | 0;
  const len = v < 36 ? 1 : v < 1296 ? 2 : v < 46656 ? 3 : v < 1679616 ? 4 : v < 60466176 ? 5 : 6;
  let p = at + len;
  do {
    const q = (v / 36) | 0;
    buf[--p] = DIGIT_CODES[v - q * 36] as number;
    v = q;
  } while (v > 0);
  return at + len;
}

/** Writes a non-negative integer in a base up to 36 (as Number.prototype.toString does); returns the end. */
function writeDigits(buf: Buffer, at: number, n: number, base: number): number {
  let k = scratch.length;
  if (n < 0x80000000) {
    // Small integer arithmetic: several times cheaper than floating division per digit.
    let v = n | 0;
    do {
      const q = (v / base) | 0;
      scratch[--k] = DIGIT_CODES[v - q * base] as number;
      v = q;
    } while (v > 0);
  } else {
    let v = n;
    do {
      const q = Math.floor(v / base);
      scratch[--k] = DIGIT_CODES[v - q * base] as number;
      v = q;
    } while (v > 0);
  }
  const len = scratch.length - k;
  for (let i = 0; i < len; i++) buf[at + i] = scratch[k + i] as number;
  return at + len;
}
