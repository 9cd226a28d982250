import { isAscii } from 'node:buffer';

const NL = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);
/** A line longer than this is cut, so one runaway line cannot exhaust memory. */
export const MAX_LINE_BYTES = 1 << 20;
/**
 * Bytes of a chunk decoded into one string at a time. V8 puts a string above 128 KiB in fresh
 * pages of its own (a page fault per 4 KiB); below that it comes from the young generation's
 * reused memory. Decoding 256 KiB at once cost 54k page faults on the 100 MiB benchmark log, 33k this way.
 */
export const DECODE_WINDOW = 64 * 1024;

/**
 * Splits a byte stream into lines, keeping each line's byte offset (the basis of the
 * deterministic document ids). Works on Buffers, never on the whole file. A chunk can be split
 * in steps (feed, then drain until it returns true), so the consumer can stop to ship a full
 * batch in the middle of a chunk instead of holding all of its documents.
 */
export class LineSplitter {
  private carry: Buffer | undefined;
  private offset = 0;
  /** The chunk being drained, its offset in the stream, and where draining stands. */
  private buf: Buffer = EMPTY;
  private base = 0;
  private pos = 0;
  /** Where the chunk's ASCII lines end (0: decode line by line as UTF-8). */
  private asciiEnd = 0;
  /** The window of ASCII lines decoded last, and the chunk offset it starts at. */
  private text: string | undefined;
  private textStart = 0;
  private draining = false;
  /** The line begun in the previous chunk and ended in this one, to emit first; its offset. */
  private head: Buffer | undefined;
  private headBase = 0;

  /**
   * `onBytes`, when given, is offered each line of a chunk's ASCII part first, as bytes: it
   * returns where the next line starts when it took the line, or -1 to have it decoded and
   * passed to `onLine`. `limit` is where the chunk's complete lines end.
   */
  constructor(
    private readonly onLine: (text: string, offset: number) => void,
    private readonly onBytes?: (buf: Buffer, start: number, limit: number, offset: number) => number,
  ) {}

  /** Feeds a chunk and splits all of it. */
  push(chunk: Buffer): void {
    this.feed(chunk);
    this.drain();
  }

  /** Takes the next chunk; drain() emits its lines. */
  feed(chunk: Buffer): void {
    if (this.draining) throw new Error('LineSplitter: feed() before the previous chunk was drained');
    let buf = chunk;
    let base = this.offset;
    let pos = 0;
    const carry = this.carry;
    this.carry = undefined;
    if (carry) {
      const nl = chunk.indexOf(NL);
      if (nl < 0) {
        // No end of line in this chunk either: the carried line goes on.
        buf = Buffer.concat([carry, chunk]);
        base -= carry.length;
      } else {
        // Only the line that straddles the two chunks is joined, not the whole chunk (a copy of
        // the input and fresh pages for each chunk).
        this.head = Buffer.concat([carry, chunk.subarray(0, nl + 1)]);
        this.headBase = base - carry.length;
        pos = nl + 1;
      }
    }
    this.buf = buf;
    this.base = base;
    this.pos = pos;
    this.offset = this.base + buf.length;
    this.draining = true;
    const last = buf.lastIndexOf(NL);
    // Build logs are nearly all ASCII: one decode per window of lines and string slices per line
    // cost a fraction of a decode per line, and character offsets equal byte offsets here.
    this.asciiEnd = last >= pos && isAscii(buf.subarray(pos, last)) ? last + 1 : 0;
    this.text = undefined;
  }

  /**
   * Emits the lines of the fed chunk. Returns true when the chunk is done, false when pause()
   * asked to stop first (call drain again to go on).
   */
  drain(pause?: () => boolean): boolean {
    if (!this.draining) return true;
    if (this.head) {
      if (pause?.()) return false;
      const head = this.head;
      this.head = undefined;
      this.emit(head, 0, head.length - 1, this.headBase);
    }
    const { buf, base, asciiEnd } = this;
    let start = this.pos;
    if (asciiEnd > 0) {
      let text = this.text ?? '';
      let from = this.textStart;
      const onBytes = this.onBytes;
      while (start < asciiEnd) {
        if (pause?.()) return this.stop(start);
        if (onBytes !== undefined) {
          const next = onBytes(buf, start, asciiEnd, base + start);
          if (next >= 0) {
            start = next;
            continue;
          }
        }
        let nl = text.indexOf('\n', start - from);
        if (nl < 0) {
          text = this.decodeWindow(start);
          from = start;
          nl = text.indexOf('\n');
        }
        const at = start - from;
        const stop = nl > at && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
        this.onLine(text.slice(at, stop), base + start);
        start = from + nl + 1;
      }
    } else {
      for (;;) {
        if (pause?.()) return this.stop(start);
        const nl = buf.indexOf(NL, start);
        if (nl < 0) break;
        this.emit(buf, start, nl, base);
        start = nl + 1;
      }
    }
    this.draining = false;
    this.buf = EMPTY;
    this.text = undefined;
    this.asciiEnd = 0;
    if (start < buf.length) {
      if (buf.length - start > MAX_LINE_BYTES) {
        this.emit(buf, start, buf.length, base);
      } else {
        // A copy, so the carried bytes do not pin the whole chunk they came in.
        this.carry = Buffer.from(buf.subarray(start));
      }
    }
    return true;
  }

  /** Emits the last line when the input did not end with a newline. */
  end(): void {
    this.drain();
    if (this.carry && this.carry.length > 0) {
      this.emit(this.carry, 0, this.carry.length, this.offset - this.carry.length);
    }
    this.carry = undefined;
  }

  private stop(at: number): false {
    this.pos = at;
    return false;
  }

  /** Decodes the ASCII lines from `start`: up to DECODE_WINDOW bytes, whole lines only (one line at least). */
  private decodeWindow(start: number): string {
    const buf = this.buf;
    let end = this.asciiEnd;
    if (end - start > DECODE_WINDOW) {
      end = buf.lastIndexOf(NL, start + DECODE_WINDOW - 1) + 1;
      // A line longer than the window: that line alone.
      if (end <= start) end = buf.indexOf(NL, start) + 1;
    }
    const text = buf.toString('latin1', start, end);
    this.text = text;
    this.textStart = start;
    return text;
  }

  private emit(buf: Buffer, start: number, end: number, base: number): void {
    const stop = end > start && buf[end - 1] === CR ? end - 1 : end;
    this.onLine(buf.toString('utf8', start, stop), base + start);
  }
}
